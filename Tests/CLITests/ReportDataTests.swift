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

        // A stored Chinchilla fit is drawn on both views: one slice per budget vs N, one per size vs D,
        // evaluated from the stored theta at the N the fit counted (non-embedding here).
        let theta = [log(40.0), log(300.0), log(1.5), 0.3, 0.28]  // a = log A, b = log B, e = log E, alpha, beta
        _ = try store.insertFit(FitRecord(law: "chinchilla", params: "{}", intervals: "{}",
                                          selection: #"{"params":"nonembedding"}"#, objective: "huber", objectiveValue: 0,
                                          rmse: 0, r2: 1, nPoints: 2, converged: true, status: "converged",
                                          options: #"{"theta":[\#(theta.map { "\($0)" }.joined(separator: ","))]}"#))
        let fitted = try ReportData.load(store, path: db)
        #expect(fitted.runs.map(\.params) == runs.map { Double($0.paramsNonEmbedding) })
        let bySize = fitted.curves.chinchilla.filter { $0.over == .tokens }
        #expect(Set(bySize.map(\.fixed)) == Set(runs.map { Double($0.paramsNonEmbedding) }))
        for slice in bySize {
            for p in slice.points {
                #expect(abs(p.y - (1.5 + 40 / pow(slice.fixed, 0.3) + 300 / pow(p.x, 0.28))) < 1e-9)
            }
        }
        #expect(fitted.curves.chinchilla.filter { $0.over == .params }.count == Set(runs.map(\.tokensBudget)).count)
    }
}

/// Imported points are binned for the plots: every point in exactly one bin, bins contiguous in
/// value, a shared value never split, and the plotted points are the database's.
@Suite struct ImportedReportDataTests {
    @Test func binsPartitionThePointsInOrder() {
        let values = [5.0, 1, 1, 3, 9, 2, 2, 2, 8, 7, 6, 4, 10, 11]
        let bins = ReportData.logBins(values, maxBins: 4)
        #expect(bins.count <= 4 && bins.count >= 3)
        #expect(bins.flatMap(\.members).sorted() == Array(values.indices))
        for (a, b) in zip(bins, bins.dropFirst()) { #expect(a.range.upperBound < b.range.lowerBound) }
        for b in bins {
            #expect(b.members.allSatisfy { b.range.contains(values[$0]) })
            #expect(b.fixed >= b.range.lowerBound && b.fixed <= b.range.upperBound)
        }
        // Few distinct values: one bin each (a grid keeps its own groups).
        #expect(ReportData.logBins([3, 1, 3, 1, 2], maxBins: 5).map(\.members.count) == [2, 1, 2])
    }

    @Test func importedPointsAreThePlottedPoints() throws {
        let s = Scratch()
        let db = s.path("r.db")
        #expect(try CLI.run(["import", s.write("c.csv", ImportedReportTests.chinchillaCSV(count: 30)), "--source", "c", "--db", db]).status == 0)
        #expect(try CLI.run(["fit", "--law", "chinchilla", "--source", "c", "--where", "loss < 3.2", "--starts", "30",
                             "--bootstrap", "0", "--db", db]).status == 0)
        let store = try Store(path: db)
        let input = try ReportData.load(store, path: db)
        let surface = try #require(input.curves.imported)
        let stored = try store.points(source: "c", where: "loss < 3.2")
        #expect(surface.points.map(\.loss) == stored.map(\.loss) && surface.data == "source 'c' where loss < 3.2")
        let plot = try #require(ReportBuilder.plots(input).first { $0.id == "imported-params" })
        let plotted = plot.plot.series.filter { $0.kind == .scatter }.flatMap(\.points).map { "\($0.x) \($0.y)" }
        #expect(Set(plotted) == Set(stored.map { "\($0.n!) \($0.loss)" }) && plotted.count == stored.count)
    }
}
