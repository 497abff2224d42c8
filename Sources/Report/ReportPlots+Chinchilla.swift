extension ReportBuilder {
    /// Runs with a final validation loss: the observations the Chinchilla and isoFLOP fits use.
    static func finishedRuns(_ input: ReportInput) -> [ReportInput.Run] {
        orderedRuns(input).filter { ($0.finalValLoss ?? .nan).isFinite }
    }

    /// Final loss vs N per token budget (and vs D per model size), with fitted surface slices.
    static func chinchillaPlots(_ input: ReportInput) -> [NamedPlot] {
        let runs = finishedRuns(input)
        var plots: [NamedPlot] = []
        let largestN = runs.map(\.params).max()
        for over in [FitCurves.SurfaceSlice.Over.params, .tokens] {
            let slices = input.curves.chinchilla.filter { $0.over == over }
            // Group runs by what is held fixed: the budget when x is N, the size when x is D.
            let fixedOf = { (r: ReportInput.Run) in over == .params ? r.tokens : r.params }
            let xOf = { (r: ReportInput.Run) in over == .params ? r.params : r.tokens }
            let colors = SequentialKeyColors(runs.map(fixedOf) + slices.map(\.fixed))
            var series: [Series] = []
            var groupsWithSeveralX = 0
            for key in colors.keys {
                let group = runs.filter { SequentialKeyColors.same(fixedOf($0), key) }
                guard !group.isEmpty else { continue }
                if Set(group.map(xOf)).count > 1 { groupsWithSeveralX += 1 }
                let name = over == .params ? "D = \(ReportFormat.count(key)) tokens" : "N = \(ReportFormat.count(key)) params"
                series.append(Series(name, x: group.map(xOf), y: group.map { $0.finalValLoss! }, kind: .scatter,
                                     color: colors.color(key)))
            }
            // The x-vs-D view only adds information when sizes were trained at several budgets.
            if over == .tokens && slices.isEmpty && groupsWithSeveralX == 0 { continue }
            if over == .params && runs.isEmpty && slices.isEmpty { continue }
            for slice in slices {
                series += sliceSeries(slice, color: colors.color(slice.fixed))
            }
            if !slices.isEmpty {
                series.append(Series("fit", points: [], kind: .line, color: .gray, lineWidth: 1.2))
                if slices.contains(where: { $0.extrapolatesBeyond != nil }) {
                    series.append(Series("extrapolation", points: [], kind: .dashed, color: .gray, lineWidth: 1.2))
                }
            }
            var refs = over == .params ? largestN.map { [ReferenceLine(.vertical, at: $0, label: "largest trained")] } ?? [] : []
            refs += entropyLine(input)
            let plot = Plot(title: over == .params ? "Final loss vs parameters, per token budget" : "Final loss vs tokens, per model size",
                            x: over == .params ? ReportAxes.params : ReportAxes.tokens, y: ReportAxes.loss(),
                            series: series, referenceLines: refs,
                            legendTitle: over == .params ? "Token budget" : "Model size")
            plots.append(NamedPlot(id: over == .params ? "chinchilla-params" : "chinchilla-tokens", section: .chinchilla,
                                   caption: "\(runs.count) finished run(s); \(slices.count) fitted curve(s).", plot: plot))
        }
        return plots
    }

    /// The corpus's true irreducible loss, when known (synthetic language): what E should approach.
    static func entropyLine(_ input: ReportInput) -> [ReferenceLine] {
        input.entropyRate.map { [ReferenceLine(.horizontal, at: $0, label: String(format: "entropy rate %.3f", $0))] } ?? []
    }

    /// A fitted slice drawn solid up to its extrapolation point and dashed beyond it.
    static func sliceSeries(_ slice: FitCurves.SurfaceSlice, color: Color) -> [Series] {
        guard let limit = slice.extrapolatesBeyond else {
            return [Series("", points: slice.points, kind: .line, color: color, lineWidth: 1.2)]
        }
        let inside = slice.points.filter { $0.x <= limit }
        var beyond = slice.points.filter { $0.x > limit }
        if let joint = inside.last { beyond.insert(joint, at: 0) } // no gap at the boundary
        return [Series("", points: inside, kind: .line, color: color, lineWidth: 1.2),
                Series("", points: beyond, kind: .dashed, color: color, lineWidth: 1.2)]
    }

    static func isoflopPlots(_ input: ReportInput) -> [NamedPlot] {
        let groups = input.curves.isoflop.sorted { $0.compute < $1.compute }
        guard !groups.isEmpty else { return [] }
        let colors = SequentialKeyColors(groups.map(\.compute))
        var series: [Series] = []
        for g in groups {
            let color = colors.color(g.compute)
            series.append(Series("C = \(ReportFormat.flops(g.compute)) FLOPs", points: g.points, kind: .scatter, color: color))
            series.append(Series("", points: g.parabola, kind: .dashed, color: color, lineWidth: 1.3))
            if let m = g.minimum {
                series.append(Series("", points: [m], kind: .scatter, color: color, marker: .diamond, markerRadius: 5.5))
            }
        }
        series.append(Series("parabola fit", points: [], kind: .dashed, color: .gray, lineWidth: 1.3))
        series.append(Series("minimum", points: [], kind: .scatter, color: .gray, marker: .diamond, markerRadius: 5.5))
        let plot = Plot(title: "IsoFLOP profiles", x: ReportAxes.params, y: ReportAxes.loss(), series: series,
                        legendTitle: "Compute budget")
        return [NamedPlot(id: "isoflop", section: .isoflop, caption: "\(groups.count) compute budget(s).", plot: plot)]
    }

    /// Frontier points: the given ones, else the isoFLOP minima (D = C / 6N).
    static func frontierPoints(_ input: ReportInput) -> [FitCurves.FrontierPoint] {
        if !input.curves.frontier.isEmpty { return input.curves.frontier }
        return input.curves.isoflop.compactMap { g in
            g.minimum.map { FitCurves.FrontierPoint(compute: g.compute, params: $0.x, tokens: g.compute / (6 * $0.x)) }
        }
    }

    static func frontierPlots(_ input: ReportInput) -> [NamedPlot] {
        let points = frontierPoints(input).sorted { $0.compute < $1.compute }
        let fit = input.curves.frontierFit.sorted { $0.compute < $1.compute }
        guard !points.isEmpty || !fit.isEmpty else { return [] }
        return [(\FitCurves.FrontierPoint.params, Axis("Optimal parameters N_opt", unit: "parameters", scale: .log10), "params",
                 "Compute-optimal parameters"),
                (\FitCurves.FrontierPoint.tokens, Axis("Optimal tokens D_opt", unit: "tokens", scale: .log10), "tokens",
                 "Compute-optimal tokens")].map { key, yAxis, id, title in
            let plot = Plot(title: title, x: ReportAxes.compute, y: yAxis, series: [
                Series("isoFLOP minima", x: points.map(\.compute), y: points.map { $0[keyPath: key] }, kind: .scatter,
                       color: Palette.categorical(0), marker: .diamond, markerRadius: 5),
                Series("fitted allocation", x: fit.map(\.compute), y: fit.map { $0[keyPath: key] }, kind: .dashed,
                       color: Palette.categorical(1)),
            ].filter { !$0.points.isEmpty }, width: 560, height: 400)
            return NamedPlot(id: "frontier-\(id)", section: .frontier, caption: points.isEmpty ? "The fitted allocation." : "\(points.count) optimum/optima.", plot: plot)
        }
    }
}
