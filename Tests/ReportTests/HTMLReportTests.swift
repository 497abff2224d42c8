import Foundation
import Testing
@testable import Report

@Suite struct HTMLReportTests {
    @Test func emptyInputGivesValidPageSayingWhatIsMissing() {
        let input = ReportInput()
        let plots = ReportBuilder.plots(input)
        #expect(plots.isEmpty)
        let html = ReportBuilder.html(input, plots: plots)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"))
        #expect(occurrences(of: "<svg", in: html) == 0)
        #expect(html.contains("The database is empty"))
        #expect(html.contains("No fits yet: run <code>scalefit fit --law chinchilla</code>."))
        #expect(html.contains("No training curves yet: run <code>scalefit sweep --preset demo</code>."))
        for section in ReportSection.allCases {
            #expect(html.contains("<section id=\"\(section.rawValue)\">"))
            if section != .summary {
                #expect(!ReportBuilder.missingNotes(section, input).isEmpty, "section \(section) should explain what is missing")
            }
        }
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("http"))
    }

    @Test func fullInputHasOneWellFormedSvgPerPlotAndNoMissingNotes() throws {
        let input = SampleInput.make()
        let plots = ReportBuilder.plots(input)
        let html = ReportBuilder.html(input, plots: plots)
        #expect(occurrences(of: "<svg", in: html) == plots.count)
        #expect(Set(plots.map(\.id)).count == plots.count)
        // Every plotted section gets at least one plot from the sample.
        let sections = Set(plots.map(\.section))
        #expect(sections == Set(ReportSection.allCases).subtracting([.summary, .tables]))
        for plot in plots { #expect(parseXML(plot.plot.svg()) != nil, "plot \(plot.id) is not well-formed") }
        for section in ReportSection.allCases { #expect(ReportBuilder.missingNotes(section, input).isEmpty) }
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href=\"http"))
        #expect(html.contains("L8-d256 &lt;queued&gt;")) // table text is escaped
        #expect(html.contains("E = 1.9 [1.85, 1.95]"))
    }

    /// The numbers behind the final-loss-vs-parameters plot are exactly the runs' (N, final loss).
    @Test func chinchillaPlotDataEqualsInputRuns() throws {
        let input = SampleInput.make()
        let plot = try #require(ReportBuilder.plots(input).first { $0.id == "chinchilla-params" }).plot
        let scatter = plot.series.filter { $0.kind == .scatter }
        #expect(scatter.count == SampleInput.budgets.count)
        let plotted = scatter.flatMap(\.points).map { "\($0.x) \($0.y)" }.sorted()
        let expected = input.runs.compactMap { r in r.finalValLoss.map { "\(r.params) \($0)" } }.sorted()
        #expect(plotted == expected)
        // Each budget's series holds exactly that budget's runs.
        for (series, budget) in zip(scatter, SampleInput.budgets) {
            let runs = input.runs.filter { $0.tokens == budget && $0.finalValLoss != nil }
            #expect(series.points.map(\.x) == runs.map(\.params).sorted())
        }
        // Fitted curves past the largest trained model are dashed, and only those.
        let largest = SampleInput.sizes.last!.params
        let dashed = plot.series.filter { $0.kind == .dashed && !$0.points.isEmpty }
        #expect(dashed.count == SampleInput.budgets.count)
        #expect(dashed.allSatisfy { s in s.points.dropFirst().allSatisfy { $0.x > largest } })
        #expect(plot.series.filter { $0.kind == .line && !$0.points.isEmpty }.allSatisfy { s in s.points.allSatisfy { $0.x <= largest } })
        #expect(plot.referenceLines.first?.value == largest)
    }

    @Test func partialInputExplainsOnlyWhatIsMissing() {
        var input = SampleInput.make()
        input.curves = FitCurves()
        input.effectiveRank = []
        let notes = ReportBuilder.missingNotes(.chinchilla, input)
        #expect(notes == ["No Chinchilla fit yet: run `scalefit fit --law chinchilla`."])
        #expect(ReportBuilder.missingNotes(.effectiveRank, input).count == 1)
        #expect(ReportBuilder.missingNotes(.cka, input).isEmpty)
        // Downstream points still come from the runs' evaluations; only the fit is missing.
        #expect(ReportBuilder.missingNotes(.downstream, input) == ["No downstream fit yet: run `scalefit fit --law downstream`."])
        let downstream = ReportBuilder.plots(input).first { $0.id == "downstream" }
        #expect(downstream?.plot.series.first?.points.count == input.runs.reduce(0) { $0 + $1.evals.count })
        // Frontier falls back to isoFLOP minima when only those exist.
        input.curves.isoflop = SampleInput.make().curves.isoflop
        #expect(ReportBuilder.frontierPoints(input).count == 3)
    }

    /// Writes the sample page (and one PNG) for a visual check when REPORT_SAMPLE_DIR is set.
    @Test func writeSamplePageWhenRequested() throws {
        guard let dir = ProcessInfo.processInfo.environment["REPORT_SAMPLE_DIR"] else { return }
        let input = SampleInput.make()
        let plots = ReportBuilder.plots(input)
        try ReportBuilder.html(input, plots: plots).write(toFile: "\(dir)/report.html", atomically: true, encoding: .utf8)
        try ReportBuilder.html(ReportInput(), plots: []).write(toFile: "\(dir)/empty.html", atomically: true, encoding: .utf8)
        for plot in plots {
            try plot.plot.svg().write(toFile: "\(dir)/\(plot.id).svg", atomically: true, encoding: .utf8)
        }
    }
}
