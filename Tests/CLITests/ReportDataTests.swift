import Foundation
import Report
import Store
import Testing
@testable import scalefit

/// The numbers behind the report's plots come from the database unchanged.
@Suite struct ReportDataTests {
    @Test func finalLossPlotShowsTheDatabaseValues() throws {
        let s = Scratch()
        let db = s.path("r.db")
        for (l, d) in [(1, 32), (2, 32)] {
            let r = try CLI.run(["train", "--n-layer", "\(l)", "--d-model", "\(d)", "--n-head", "1", "--seq-len", "16",
                                 "--batch", "4", "--steps", "12", "--eval-every", "6", "--eval-windows", "4",
                                 "--downstream-items", "0", "--db", db])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let store = try Store(path: db)
        let input = try ReportData.load(store, path: db)
        let runs = try store.runs()
        #expect(input.runs.count == runs.count)
        for (plotted, stored) in zip(input.runs, runs) {
            #expect(plotted.finalValLoss == stored.finalValLoss)
            #expect(plotted.params == Double(stored.paramsTotal))
            #expect(plotted.evals.map(\.valLoss) == (try store.evals(runID: stored.id!)).compactMap(\.valLoss))
        }
        // The plot of final loss vs parameters carries exactly those (N, loss) points.
        let plot = try #require(ReportBuilder.plots(input).first { $0.section == .chinchilla })
        let points = Set(plot.plot.series.flatMap { $0.points }.map { "\($0.x) \($0.y)" })
        for r in runs { #expect(points.contains("\(Double(r.paramsTotal)) \(r.finalValLoss!)")) }
        // The synthetic corpus's true irreducible loss is drawn and stated (seed 0 default language).
        let h = try #require(input.entropyRate)
        #expect(abs(h - 1.0027) < 1e-4)
        #expect(plot.plot.referenceLines.contains { $0.orientation == .horizontal && $0.value == h })
        #expect(ReportBuilder.html(input, plots: []).contains("Corpus entropy rate 1.003 nats/token"))
    }
}
