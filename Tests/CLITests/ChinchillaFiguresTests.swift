import Foundation
import Report
import Store
import Testing
@testable import scalefit

/// The Chinchilla figure set is the stored fit evaluated exactly: residuals are the losses'
/// departures from it, contours lie on the surface, the frontier is the lowest loss at each compute,
/// and the IsoFLOP slices follow each budget with the surface's minimum where Eq. 4 puts it.
@Suite struct ChinchillaFiguresTests {
    // L = E + A/N^alpha + B/D^beta with the stored theta (log A, log B, log E, alpha, beta).
    static let (E, A, B, alpha, beta) = (1.5, 40.0, 300.0, 0.3, 0.28)
    static func law(_ n: Double, _ d: Double) -> Double { E + A / pow(n, alpha) + B / pow(d, beta) }

    /// An IsoFLOP grid (3 budgets x 4 sizes, D = C / 6N for the non-embedding N) with known departures.
    func database(_ s: Scratch) throws -> (Store, String, [(n: Double, d: Double, level: Double, residual: Double)]) {
        let db = s.path("f.db")
        let store = try Store(path: db)
        var rows: [(n: Double, d: Double, level: Double, residual: Double)] = []
        var i = 0
        for c in [1e12, 4e12, 1.6e13] {
            for n in [2_000, 8_000, 32_000, 128_000] {
                let d = (c / (6 * Double(n))).rounded()
                let residual = 0.004 * Double(i % 5 - 2)  // -0.8% ... +0.8%
                i += 1
                var r = RunRecord(runKey: "k\(i)", config: "{}", nLayer: 1, dModel: 32, nHead: 1, seqLen: 16, vocab: 256, batchSize: 4,
                                  paramsTotal: n + 9_000, paramsNonEmbedding: n, flopsPerToken: 6 * Double(n),
                                  tokensBudget: Int(d), stepsBudget: 10, lr: 1e-3, schedule: "cosine", seed: 0, corpus: "synthetic")
                r.status = "finished"
                r.tokensDone = Int(d)
                r.computeLevel = c
                r.finalValLoss = Self.law(Double(n), d) * (1 + residual)
                r.id = try store.insertRun(r)
                try store.updateRun(r)
                rows.append((Double(n), d, c, residual))
            }
        }
        let theta = [log(Self.A), log(Self.B), log(Self.E), Self.alpha, Self.beta]
        _ = try store.insertFit(FitRecord(law: "chinchilla", params: "{}", intervals: "{}",
                                          selection: #"{"params":"nonembedding"}"#, objective: "huber", objectiveValue: 0,
                                          rmse: 0, r2: 1, nPoints: rows.count, converged: true, status: "converged",
                                          options: #"{"theta":[\#(theta.map { "\($0)" }.joined(separator: ","))]}"#))
        return (store, db, rows)
    }

    @Test func figuresAreTheStoredFitEvaluatedExactly() throws {
        let s = Scratch()
        let (store, db, rows) = try database(s)
        let input = try ReportData.load(store, path: db)
        let f = try #require(input.curves.chinchillaFigures)
        // Every run, at the N the fit counts, with the law's prediction and the departure put in.
        #expect(f.runs.count == rows.count)
        for row in rows {
            let p = try #require(f.runs.first { $0.params == row.n && $0.tokens == row.d })
            #expect(abs(p.predicted - Self.law(row.n, row.d)) < 1e-9)
            #expect(abs(p.relativeResidual - row.residual) < 1e-12)
            #expect(p.computeLevel == row.level)
        }
        // Contours lie on the surface at their level.
        #expect(f.contours.count >= 3)
        for c in f.contours {
            #expect(c.points.count >= 2)
            for p in c.points { #expect(abs(Self.law(p.x, p.y) - c.loss) < 1e-9 * c.loss) }
        }
        // The frontier is the lowest loss on C = 6ND: moving N either way along the budget costs loss.
        #expect(!f.frontier.isEmpty && !f.optimalPath.isEmpty)
        for p in f.frontier {
            let best = stride(from: -3.0, through: 3.0, by: 0.01).map { k -> Double in
                let n = 1e4 * pow(10, k)
                return Self.law(n, p.x / (6 * n))
            }.min()!
            #expect(p.y <= best + 1e-9 && p.y > best - 1e-3 * best, "frontier at C=\(p.x): \(p.y) vs grid minimum \(best)")
        }
        // IsoFLOP slices: along D = C / 6N exactly (these runs were planned in this N), minimum at Eq. 4's N*.
        #expect(f.isoflop.count == 3)
        for sl in f.isoflop {
            for p in sl.points { #expect(abs(p.y - Self.law(p.x, sl.compute / (6 * p.x))) < 1e-6 * p.y) }
            let g = pow(Self.alpha * Self.A / (Self.beta * Self.B), 1 / (Self.alpha + Self.beta))
            let nStar = g * pow(sl.compute / 6, Self.beta / (Self.alpha + Self.beta))
            if let m = sl.minimum {
                // The grid has 120 steps over 96x in N: a step is 3.9%.
                #expect(abs(log(m.x / nStar)) < 0.04, "C=\(sl.compute): minimum at \(m.x), N* \(nStar)")
            } else {
                #expect(nStar < 2_000 / 1.4 || nStar > 128_000 * 1.4, "C=\(sl.compute): N* \(nStar) inside the grid, no minimum")
            }
        }
        // The panels: ids, and the residual panel plots exactly the departures (in %).
        let plots = ReportBuilder.plots(input)
        for id in ["chinchilla-compute", "chinchilla-surface", "chinchilla-residuals", "isoflop-surface"] {
            #expect(plots.contains { $0.id == id }, "no \(id) plot")
        }
        let residuals = try #require(plots.first { $0.id == "chinchilla-residuals" })
        let plotted = residuals.plot.series.flatMap(\.points).map(\.y).sorted()
        let expected = rows.map { 100 * $0.residual }.sorted()
        #expect(plotted.count == expected.count)
        for (a, b) in zip(plotted, expected) { #expect(abs(a - b) < 1e-9) }
        // Loss vs compute carries each run at C = 6ND.
        let compute = try #require(plots.first { $0.id == "chinchilla-compute" })
        let points = Set(compute.plot.series.filter { $0.kind == .scatter }.flatMap(\.points).map { "\($0.x) \($0.y)" })
        for p in f.runs { #expect(points.contains("\(p.compute) \(p.measured)")) }
        // The page renders each panel as one well-formed SVG.
        let html = ReportBuilder.html(input, plots: plots)
        #expect(html.contains("chinchilla-surface") && html.contains("isoflop-surface"))
    }

    @Test func noFitNoFigures() throws {
        let s = Scratch()
        let store = try Store(path: s.path("e.db"))
        let input = try ReportData.load(store, path: s.path("e.db"))
        #expect(input.curves.chinchillaFigures == nil)
        #expect(!ReportBuilder.plots(input).contains { $0.id.hasPrefix("chinchilla-") })
    }
}
