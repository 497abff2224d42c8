import Foundation

/// The Chinchilla figure set (Hoffmann et al. 2022, Figures 2-4 in spirit): loss vs compute with the
/// compute-optimal frontier, the fitted surface as iso-loss contours with the optimal path, the
/// residuals of every run, and the surface along each IsoFLOP budget. Drawn from
/// `FitCurves.chinchillaFigures`; nothing is fitted here.
extension ReportBuilder {
    static func chinchillaFigurePlots(_ input: ReportInput) -> [NamedPlot] {
        guard let f = input.curves.chinchillaFigures, !f.runs.isEmpty else { return [] }
        return [lossVsComputePlot(f, input), surfacePlot(f), residualPlot(f), isoflopSurfacePlot(f)].compactMap { $0 }
    }

    /// Colours by model size, small to large, shared by every panel of the set.
    static func sizeColors(_ f: ChinchillaFigures) -> SequentialKeyColors {
        SequentialKeyColors(f.runs.map(\.params))
    }

    /// Each size's runs against C = 6ND, the fitted loss of each size along its budgets (the surface
    /// slices at fixed N), and the frontier: the lowest loss the surface allows at each compute.
    static func lossVsComputePlot(_ f: ChinchillaFigures, _ input: ReportInput) -> NamedPlot? {
        let colors = sizeColors(f)
        var series: [Series] = []
        for n in colors.keys {
            let group = f.runs.filter { SequentialKeyColors.same($0.params, n) }
            series.append(Series("N = \(ReportFormat.count(n))", x: group.map(\.compute), y: group.map(\.measured),
                                 kind: .scatter, color: colors.color(n)))
        }
        for slice in input.curves.chinchilla where slice.over == .tokens && !colors.keys.isEmpty {
            guard colors.keys.contains(where: { SequentialKeyColors.same($0, slice.fixed) }) else { continue }
            let pts = slice.points.map { PlotPoint(6 * slice.fixed * $0.x, $0.y) }
            series.append(Series("", points: pts, kind: .line, color: colors.color(slice.fixed), lineWidth: 1))
        }
        let largest = f.largestCompute ?? .infinity
        let inside = f.frontier.filter { $0.x <= largest }
        var beyond = f.frontier.filter { $0.x > largest }
        if let joint = inside.last, !beyond.isEmpty { beyond.insert(joint, at: 0) }
        series.append(Series("compute-optimal frontier", points: inside, kind: .line, color: .black, lineWidth: 2))
        if !beyond.isEmpty {
            series.append(Series("frontier, extrapolated", points: beyond, kind: .dashed, color: .black, lineWidth: 2))
        }
        var refs = entropyLine(input)
        if largest.isFinite { refs.append(ReferenceLine(.vertical, at: largest, label: "largest trained")) }
        let plot = Plot(title: "Final loss vs compute, with the compute-optimal frontier", x: ReportAxes.compute,
                        y: ReportAxes.loss(), series: series.filter { !$0.points.isEmpty || !$0.name.isEmpty },
                        referenceLines: refs, legendTitle: "Model size")
        return NamedPlot(id: "chinchilla-compute", section: .chinchilla,
                         caption: "\(f.runs.count) run(s) of \(f.fit); thin lines: the fitted loss of each size along its budgets; "
                             + "black: min over N of L(N, C/6N) (Hoffmann et al. 2022, Eq. 4), dashed beyond the largest trained compute.",
                         plot: plot)
    }

    /// Iso-loss contours of the fitted surface in the (N, D) plane, the runs, and the compute-optimal path.
    static func surfacePlot(_ f: ChinchillaFigures) -> NamedPlot? {
        guard !f.contours.isEmpty else { return nil }
        let levels = SequentialKeyColors(f.contours.map(\.loss))
        var series = f.contours.sorted { $0.loss < $1.loss }.map { c in
            Series(String(format: "L = %.3f", c.loss), points: c.points, kind: .line, color: levels.color(c.loss), lineWidth: 1.3)
        }
        series.append(Series("compute-optimal path", points: f.optimalPath, kind: .dashed, color: .black, lineWidth: 1.6))
        series.append(Series("trained runs", x: f.runs.map(\.params), y: f.runs.map(\.tokens), kind: .scatter, color: .gray,
                             marker: .square, markerRadius: 3.5))
        let plot = Plot(title: "Fitted loss surface: iso-loss contours", x: ReportAxes.params, y: ReportAxes.tokens,
                        series: series.filter { !$0.points.isEmpty }, legendTitle: "Fitted loss")
        return NamedPlot(id: "chinchilla-surface", section: .chinchilla,
                         caption: "Where \(f.fit) predicts each loss level: D(N) = (B / (L - E - A/N^α))^(1/β). "
                             + "The dashed path is the compute-optimal (N, D) for each budget.",
                         plot: plot)
    }

    /// measured / predicted - 1 for every run, against compute, coloured by size.
    static func residualPlot(_ f: ChinchillaFigures) -> NamedPlot? {
        let colors = sizeColors(f)
        let series = colors.keys.map { n in
            let group = f.runs.filter { SequentialKeyColors.same($0.params, n) }
            return Series("N = \(ReportFormat.count(n))", x: group.map(\.compute), y: group.map { 100 * $0.relativeResidual },
                          kind: .lineWithMarkers, color: colors.color(n), lineWidth: 1)
        }
        let r = f.runs.map(\.relativeResidual)
        let rms = (r.map { $0 * $0 }.reduce(0, +) / Double(r.count)).squareRoot()
        let worst = f.runs.max { abs($0.relativeResidual) < abs($1.relativeResidual) }!
        let plot = Plot(title: "Residuals of the fit", x: ReportAxes.compute,
                        y: Axis("Measured / predicted - 1", unit: "%", scale: .linear), series: series,
                        referenceLines: [ReferenceLine(.horizontal, at: 0)], legendTitle: "Model size", width: 620, height: 380)
        return NamedPlot(id: "chinchilla-residuals", section: .chinchilla,
                         caption: String(format: "%@ on the runs it was fitted on: RMS %.2f%%, largest %.2f%% (%@). ",
                                         f.fit, 100 * rms, 100 * worst.relativeResidual, worst.label)
                             + "A trend along a size's line means the law's form misses something the noise does not explain.",
                         plot: plot)
    }

    /// The measured losses at each IsoFLOP budget with the fitted surface along that budget and its minimum.
    static func isoflopSurfacePlot(_ f: ChinchillaFigures) -> NamedPlot? {
        let slices = f.isoflop.sorted { $0.compute < $1.compute }
        guard !slices.isEmpty else { return nil }
        let colors = SequentialKeyColors(slices.map(\.compute))
        var series: [Series] = []
        for s in slices {
            let color = colors.color(s.compute)
            let runs = f.runs.filter { $0.computeLevel.map { SequentialKeyColors.same($0, s.compute) } ?? false }
            series.append(Series("C = \(ReportFormat.flops(s.compute)) FLOPs", x: runs.map(\.params), y: runs.map(\.measured),
                                 kind: .scatter, color: color))
            series.append(Series("", points: s.points, kind: .line, color: color, lineWidth: 1.3))
            if let m = s.minimum {
                series.append(Series("", points: [m], kind: .scatter, color: color, marker: .diamond, markerRadius: 5.5))
            }
        }
        series.append(Series("fitted surface", points: [], kind: .line, color: .gray, lineWidth: 1.3))
        series.append(Series("its minimum", points: [], kind: .scatter, color: .gray, marker: .diamond, markerRadius: 5.5))
        let plot = Plot(title: "IsoFLOP profiles of the fitted surface", x: ReportAxes.params, y: ReportAxes.loss(),
                        series: series, legendTitle: "Compute budget")
        return NamedPlot(id: "isoflop-surface", section: .isoflop,
                         caption: "\(slices.count) budget(s): the runs of each `[budgets] flops` level and \(f.fit)'s loss along "
                             + "that budget (D follows the level's runs); the minima are Approach 3's N* at each budget.",
                         plot: plot)
    }
}
