import Foundation

extension ReportBuilder {
    /// Imported points with their fitted Chinchilla surface: loss vs N per D bin, loss vs D per
    /// N bin (dashed beyond the largest imported value), and the residuals of the fit.
    static func importedPlots(_ input: ReportInput) -> [NamedPlot] {
        guard let s = input.curves.imported, !s.points.isEmpty else { return [] }
        var plots: [NamedPlot] = []
        let what = "\(s.points.count) imported point(s) of \(s.data)"
        for over in [FitCurves.SurfaceSlice.Over.params, .tokens] {
            let bins = over == .params ? s.byTokens : s.byParams
            let colors = Palette.sequential(count: bins.count)
            var series: [Series] = []
            for (i, b) in bins.enumerated() {
                let pts = b.members.map { s.points[$0] }
                series.append(Series(binLabel(b, over: over) + " (\(pts.count))",
                                     x: pts.map { over == .params ? $0.n : $0.d }, y: pts.map(\.loss), kind: .scatter,
                                     color: colors[i]))
                series += sliceSeries(b.slice, color: colors[i])
            }
            series.append(Series("\(s.fit), per bin", points: [], kind: .line, color: .gray, lineWidth: 1.2))
            series.append(Series("extrapolation", points: [], kind: .dashed, color: .gray, lineWidth: 1.2))
            let largest = s.points.map { over == .params ? $0.n : $0.d }.max()!
            let plot = Plot(title: over == .params ? "Imported points: loss vs parameters, per token bin"
                                                   : "Imported points: loss vs tokens, per parameter bin",
                            x: over == .params ? ReportAxes.params : ReportAxes.tokens, y: ReportAxes.loss("Loss"),
                            series: series,
                            referenceLines: [ReferenceLine(.vertical, at: largest, label: "largest imported")],
                            legendTitle: over == .params ? "Tokens D (points)" : "Parameters N (points)")
            plots.append(NamedPlot(id: over == .params ? "imported-params" : "imported-tokens", section: .chinchilla,
                                   caption: "Data: \(what), binned by \(over == .params ? "D" : "N") into \(bins.count) group(s); curves: the surface of \(s.fit) at each bin's geometric-mean \(over == .params ? "D" : "N"), dashed beyond the largest imported \(over == .params ? "N" : "D").",
                                   plot: plot))
        }
        let colors = Palette.sequential(count: s.byTokens.count)
        let residuals = s.byTokens.enumerated().map { i, b in
            Series(binLabel(b, over: .params), x: b.members.map { s.points[$0].n },
                   y: b.members.map { s.points[$0].loss - s.points[$0].predicted }, kind: .scatter, color: colors[i])
        }
        let rmse = (s.points.map { pow($0.loss - $0.predicted, 2) }.reduce(0, +) / Double(s.points.count)).squareRoot()
        let plot = Plot(title: "Residuals of the fit on imported points", x: ReportAxes.params,
                        y: Axis("Observed − fitted loss", unit: "nats/token"), series: residuals,
                        referenceLines: [ReferenceLine(.horizontal, at: 0, label: "fit")], legendTitle: "Tokens D")
        plots.append(NamedPlot(id: "imported-residuals", section: .chinchilla,
                               caption: "Data: \(what); residual = observed loss − \(s.fit)'s prediction (RMSE \(ReportFormat.value(rmse, digits: 3)) nats).",
                               plot: plot))
        return plots
    }

    static func binLabel(_ b: ImportedSurface.Bin, over: FitCurves.SurfaceSlice.Over) -> String {
        let name = over == .params ? "D" : "N"
        if SequentialKeyColors.same(b.range.lowerBound, b.range.upperBound) { return "\(name) = \(ReportFormat.count(b.fixed))" }
        return "\(name) \(ReportFormat.count(b.range.lowerBound))–\(ReportFormat.count(b.range.upperBound))"
    }
}
