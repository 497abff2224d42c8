extension ReportBuilder {
    /// Sentences for a section saying which data is missing and which command produces it.
    /// Commands are wrapped in backticks (rendered as code). Empty when nothing is missing.
    public static func missingNotes(_ section: ReportSection, _ input: ReportInput) -> [String] {
        let cmd = input.commands
        let hasFinished = !finishedRuns(input).isEmpty
        switch section {
        case .summary:
            return input.isEmpty ? ["The database is empty: no runs, fits or training-dynamics measurements yet. Start with `\(cmd.sweep)`."] : []
        case .lossCurves:
            return input.runs.contains { !$0.curve.isEmpty } ? [] : ["No training curves yet: run `\(cmd.sweep)`."]
        case .chinchilla:
            var notes: [String] = []
            let imported = input.curves.imported != nil
            if !hasFinished {
                notes.append(imported ? "No finished runs: the plots below show imported points and their fit."
                                      : "No finished runs with a validation loss yet: run `\(cmd.sweep)`.")
            }
            if input.curves.chinchilla.isEmpty && !imported { notes.append("No Chinchilla fit yet: run `\(cmd.fitChinchilla)`.") }
            return notes
        case .isoflop:
            return input.curves.isoflop.isEmpty
                ? ["No isoFLOP fit yet: run `\(cmd.fitIsoflop)` (it needs several model sizes per compute budget)."] : []
        case .frontier:
            return frontierPoints(input).isEmpty && input.curves.frontierFit.isEmpty
                ? ["No compute-optimal frontier yet: run `\(cmd.fitIsoflop)` or `\(cmd.fitChinchilla)`."] : []
        case .annealing:
            let curves = input.curves.annealing + input.curves.curveFits.flatMap(\.curves)
            if curves.isEmpty { return ["No annealing fit yet: run `\(cmd.fitAnnealing)`."] }
            return curves.contains(where: \.heldOut)
                ? [] : ["No held-out schedule yet: train another schedule and run `\(cmd.fitAnnealing)` to predict it."]
        case .downstream:
            if downstreamPoints(input).isEmpty { return ["No downstream evaluations yet: run `\(cmd.downstreamEval)`."] }
            return (input.curves.downstream?.fitted.isEmpty ?? true) ? ["No downstream fit yet: run `\(cmd.fitDownstream)`."] : []
        case .effectiveRank:
            return input.effectiveRank.isEmpty ? ["No effective-rank measurements yet: run `\(cmd.effectiveRank)`."] : []
        case .cka:
            return input.cka.isEmpty ? ["No CKA measurements yet: run `\(cmd.cka)`."] : []
        case .tables:
            var notes: [String] = []
            if input.runs.isEmpty { notes.append("No runs recorded yet: run `\(cmd.sweep)`.") }
            if input.fits.isEmpty { notes.append("No fits yet: run `\(cmd.fitChinchilla)`.") }
            return notes
        }
    }
}
