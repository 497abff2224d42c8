extension ReportBuilder {
    static func annealingPlots(_ input: ReportInput) -> [NamedPlot] {
        let panels = [FitCurves.CurveFitPanel(id: "annealing", title: "Loss vs step: annealing law fit and prediction",
                                              curves: input.curves.annealing)] + input.curves.curveFits
        return panels.filter { !$0.curves.isEmpty }.map(curveFitPlot)
    }

    /// A curve law's fit: each schedule measured (solid) and fitted or predicted (dashed).
    static func curveFitPlot(_ panel: FitCurves.CurveFitPanel) -> NamedPlot {
        var series: [Series] = []
        for (i, c) in panel.curves.enumerated() {
            let color = Palette.categorical(i)
            series.append(Series("\(c.schedule) measured", points: c.actual, kind: .line, color: color, lineWidth: 1.3))
            series.append(Series("\(c.schedule) \(c.heldOut ? "predicted (held out)" : "fit")", points: c.predicted,
                                 kind: .dashed, color: color, lineWidth: 2))
        }
        let plot = Plot(title: panel.title, x: ReportAxes.step,
                        y: ReportAxes.loss("Loss", scale: .linear), series: series, legendTitle: "Schedule")
        let heldOut = panel.curves.filter(\.heldOut).count
        return NamedPlot(id: panel.id, section: .annealing,
                         caption: "\(panel.curves.count - heldOut) fitted schedule(s), \(heldOut) held-out prediction(s).", plot: plot)
    }

    /// Measured (loss, error) pairs: the given curve's, else every evaluation with a downstream error.
    static func downstreamPoints(_ input: ReportInput) -> [PlotPoint] {
        if let d = input.curves.downstream, !d.points.isEmpty { return d.points }
        return input.runs.flatMap { run in
            run.evals.compactMap { e in e.downstreamError.map { PlotPoint(e.valLoss, $0) } }
        }
    }

    static func downstreamPlots(_ input: ReportInput) -> [NamedPlot] {
        let points = downstreamPoints(input)
        let fitted = input.curves.downstream?.fitted ?? []
        guard !points.isEmpty || !fitted.isEmpty else { return [] }
        let series = [
            Series("evaluations", points: points, kind: .scatter, color: Palette.categorical(0)),
            Series("fit Err(L) = ε − k·exp(−γL)", points: fitted.sorted { $0.x < $1.x }, kind: .dashed, color: Palette.categorical(1)),
        ].filter { !$0.points.isEmpty }
        let plot = Plot(title: "Downstream error vs validation loss", x: ReportAxes.loss(scale: .linear),
                        y: Axis("Average downstream error", unit: "fraction (1 − accuracy)"), series: series)
        return [NamedPlot(id: "downstream", section: .downstream, caption: "\(points.count) evaluation(s).", plot: plot)]
    }

    /// Run ids in report order (the runs list first, then ids only seen in the metric series).
    static func runIDs(_ input: ReportInput, among ids: [String]) -> [String] {
        var order = orderedRuns(input).map(\.id).filter { ids.contains($0) }
        for id in ids where !order.contains(id) { order.append(id) }
        return order
    }

    static func runLabel(_ input: ReportInput, _ id: String) -> String {
        input.runs.first { $0.id == id }?.label ?? "run \(id)"
    }

    /// One plot per run of a per-layer metric over steps, one line per layer in first-seen order.
    static func perLayerPlots(_ input: ReportInput, section: ReportSection, records: [(run: String, step: Int, layer: String, value: Double)],
                              title: String, yAxis: Axis) -> [NamedPlot] {
        runIDs(input, among: records.map(\.run)).map { id in
            let mine = records.filter { $0.run == id }
            var layers: [String] = []
            for r in mine where !layers.contains(r.layer) { layers.append(r.layer) }
            let colors = Palette.sequential(count: layers.count)
            let series = layers.enumerated().map { i, layer in
                let pts = mine.filter { $0.layer == layer }.sorted { $0.step < $1.step }
                return Series(layer, x: pts.map { Double($0.step) }, y: pts.map(\.value), kind: .lineWithMarkers,
                              color: colors[i], markerRadius: 2.5, lineWidth: 1.4)
            }
            let plot = Plot(title: "\(title): \(runLabel(input, id))", x: ReportAxes.step, y: yAxis, series: series,
                            legendTitle: "Layer")
            return NamedPlot(id: "\(section.rawValue)-\(ReportFormat.slug(id))", section: section,
                             caption: "\(layers.count) layer(s)/matrices, \(Set(mine.map(\.step)).count) checkpoint(s).", plot: plot)
        }
    }

    static func effectiveRankPlots(_ input: ReportInput) -> [NamedPlot] {
        perLayerPlots(input, section: .effectiveRank,
                      records: input.effectiveRank.map { ($0.runID, $0.step, $0.matrix, $0.erank) },
                      title: "Effective rank", yAxis: Axis("Effective rank", unit: "dimensions"))
    }

    static func ckaPlots(_ input: ReportInput) -> [NamedPlot] {
        perLayerPlots(input, section: .cka, records: input.cka.map { ($0.runID, $0.step, $0.layer, $0.cka) },
                      title: "CKA with final checkpoint", yAxis: Axis("Linear CKA", unit: "unitless, 0 to 1", range: 0...1.05))
    }
}
