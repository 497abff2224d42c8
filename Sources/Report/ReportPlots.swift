/// Axes shared by several report plots (labels carry units).
enum ReportAxes {
    static func loss(_ what: String = "Validation loss", scale: AxisScale = .log10) -> Axis {
        Axis(what, unit: "nats/token", scale: scale)
    }
    static let params = Axis("Parameters N", unit: "parameters", scale: .log10)
    static let tokens = Axis("Training tokens D", unit: "tokens", scale: .log10)
    static let compute = Axis("Compute C = 6ND", unit: "FLOPs", scale: .log10)
    static let step = Axis("Training step", unit: "steps")
}

extension ReportBuilder {
    /// All plots the input has data for, in page order. Sections without data get no plot (the
    /// HTML page explains what is missing instead).
    public static func plots(_ input: ReportInput) -> [NamedPlot] {
        let builders: [(ReportInput) -> [NamedPlot]] = [
            lossCurvePlots, chinchillaPlots, chinchillaFigurePlots, holdoutPlots, importedPlots, isoflopPlots, frontierPlots,
            annealingPlots, downstreamPlots, effectiveRankPlots, ckaPlots,
        ]
        return builders.flatMap { $0(input) }.map { p in
            guard let note = input.curves.dataNotes[p.id] else { return p }
            var q = p
            q.caption += " " + note
            return q
        }
    }

    /// Runs ordered by size then budget, so legends read small to large.
    static func orderedRuns(_ input: ReportInput) -> [ReportInput.Run] {
        input.runs.sorted { ($0.params, $0.tokens, $0.id) < ($1.params, $1.tokens, $1.id) }
    }

    static func lossCurvePlots(_ input: ReportInput) -> [NamedPlot] {
        let runs = orderedRuns(input).filter { !$0.curve.isEmpty }
        guard !runs.isEmpty else { return [] }
        let colors = SequentialKeyColors(runs.map(\.params))
        let series = runs.map { run in
            Series("\(run.label) (\(ReportFormat.count(run.params)))",
                   x: run.curve.map(\.tokens), y: run.curve.map(\.trainLoss), kind: .line, color: colors.color(run.params),
                   lineWidth: 1.4)
        }
        let plot = Plot(title: "Training loss vs tokens", x: ReportAxes.tokens, y: ReportAxes.loss("Training loss"),
                        series: series, legendTitle: "Run (parameters)")
        return [NamedPlot(id: "loss-curves", section: .lossCurves, caption: "Training loss of \(runs.count) run(s).", plot: plot)]
    }
}

/// Builds the report's plots and HTML page from a `ReportInput`.
public enum ReportBuilder {}
