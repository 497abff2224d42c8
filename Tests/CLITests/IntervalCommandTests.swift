import Foundation
import Testing

/// IsoFLOP fits of imported grids, bootstrap counts and the notes a fit and a prediction carry when
/// the data do not pin a parameter down or the query lies far outside them, through the real binary.
@Suite struct IntervalCommandTests {
    /// Chinchilla-law loss (Hoffmann et al. 2022 fit).
    static func loss(_ n: Double, _ d: Double) -> Double { 1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28) }

    @Test func importedIsoFLOPGridFitsWithLevelsSeedsAndASkippedBudget() throws {
        // Five budgets with uneven sizes, two seeds per size (noise 0.003), compute recorded with a
        // 1% rounding scatter; a sixth budget sampled only above its optimum.
        var csv = "N,D,loss,compute\n"
        var seed: UInt64 = 7
        func noise() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) - 0.5
        }
        let optimum = { (c: Double) in 0.6 * pow(c / 6, 0.4516) }
        for (k, c) in [1e18, 3e18, 1e19, 3e19, 1e20].enumerated() {
            for o in [-0.7, -0.45, -0.2, 0.05, 0.35, 0.6, 0.9].map({ $0 + 0.03 * Double(k) }) {
                let n = optimum(c) * pow(10, o), d = c / (6 * n)
                for _ in 0..<2 { csv += "\(n),\(d),\(Self.loss(n, d) + 0.006 * noise()),\(c * (1 + 0.02 * noise()))\n" }
            }
        }
        for o in [0.4, 0.7, 1.0, 1.3] {
            let c = 3e20, n = optimum(c) * pow(10, o), d = c / (6 * n)
            csv += "\(n),\(d),\(Self.loss(n, d)),\(c)\n"
        }
        let s = Scratch()
        let db = s.path("r.db")
        #expect(try CLI.run(["import", s.write("iso.csv", csv), "--source", "grid", "--db", db]).status == 0)
        let r = try CLI.run(["fit", "--law", "isoflop", "--source", "grid", "--bootstrap", "60", "--db", db, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(lastJSON(r))
        let a = try #require((obj["params"] as? [String: Double])?["a"])
        #expect(abs(a - 0.28 / 0.62) < 0.02, "a = \(a)")
        #expect(obj["n"] as? Int == 5)
        #expect(obj["bootstrap_total"] as? Int == 60)
        #expect((obj["bootstrap_converged"] as? Int ?? 0) >= 20)
        let ci = try #require((obj["ci"] as? [String: [Double]])?["a"])
        #expect(ci[0] < a && a < ci[1])
        let notes = try #require(obj["notes"] as? [String])
        #expect(notes.contains { $0.contains("3e+20") && $0.contains("interior") }, "\(notes)")
        // predict: N_opt with an interval, and how far 1e23 lies beyond the largest budget.
        let fitID = try #require(obj["fit_id"] as? Int)
        let p = try CLI.run(["predict", "--fit", "\(fitID)", "--compute", "1e23", "--db", db, "--json"])
        #expect(p.status == 0, "\(p.stderr)")
        let pj = try #require(lastJSON(p))
        #expect((pj["ci"] as? [String: [Double]])?["N_opt"] != nil)
        let pnotes = try #require(pj["notes"] as? [String])
        #expect(pnotes.contains { $0.contains("extrapolation: C = 1e+23") && $0.contains("333") }, "\(pnotes)")
        // Beyond the data the interval is said to cover the noise only (docs/intervals.md).
        #expect(pnotes.contains { $0.hasPrefix("beyond the data the interval covers the noise") }, "\(pnotes)")
        // Inside the data, no such note.
        let inside = try CLI.run(["predict", "--fit", "\(fitID)", "--compute", "1e19", "--db", db, "--json"])
        let inNotes = (try #require(lastJSON(inside)))["notes"] as? [String] ?? []
        #expect(!inNotes.contains { $0.hasPrefix("beyond the data") }, "\(inNotes)")
    }

    @Test func fitAndPredictSayWhatTheDataDoNotIdentify() throws {
        // A narrow grid (sizes 2x apart, tokens 4x) far above the floor, with noise: the bootstrap
        // cannot pin E or the coefficients.
        var seed: UInt64 = 3
        func noise() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) - 0.5
        }
        var csv = "N,D,loss\n"
        for n in [2e4, 3e4, 4e4] {
            for d in [2e5, 4e5, 8e5] { csv += "\(n),\(d),\(Self.loss(n, d) * (1 + 0.02 * noise()))\n" }
        }
        let s = Scratch()
        let db = s.path("r.db")
        #expect(try CLI.run(["import", s.write("p.csv", csv), "--source", "narrow", "--db", db]).status == 0)
        let r = try CLI.run(["fit", "--law", "chinchilla", "--source", "narrow", "--starts", "50", "--bootstrap", "30",
                             "--db", db])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("note: ") && r.stdout.contains("not identified by these data"), "\(r.stdout)")
        #expect(r.stdout.contains("/30 bootstrap refits converged"))
        let stored = try CLI.run(["query", "select options from fits", "--db", db, "--format", "csv"])
        #expect(stored.stdout.contains("not identified by these data") && stored.stdout.contains("bootstrap_converged"))
        let p = try CLI.run(["predict", "--fit", "1", "--compute", "1e15", "--db", db])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("note: extrapolation: C = 1e+15"), "\(p.stdout)")
        #expect(p.stdout.contains("do not identify"), "\(p.stdout)")
    }

    @Test func annealingIntervalsContainTheTruthAndTheirEstimates() throws {
        // Two noisy curves of the law (constant and cosine): the bootstrap resamples residual blocks
        // within each curve and refits lambda, so every parameter, lambda included, gets an interval
        // with its estimate strictly inside, and the truth inside too.
        let (l0, a, alpha, c, lambda) = (2.4, 0.9, 0.5, 0.35, 0.999)
        var seed: UInt64 = 11
        func gauss() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let u1 = max(Double(seed >> 11) / Double(1 << 53), 1e-300)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * Double(seed >> 11) / Double(1 << 53))
        }
        func curve(_ lrs: [Double]) -> [Double] {
            var s1 = 0.0, s2 = 0.0, m = 0.0, prev = lrs[0]
            return lrs.map { eta in
                s1 += eta
                m = lambda * m + (prev - eta)
                s2 += m
                prev = eta
                return l0 + a * pow(s1, -alpha) - c * s2
            }
        }
        let steps = 1000, peak = 1e-3
        let constant = [Double](repeating: peak, count: steps)
        let cosine = (0..<steps).map { i in 0.1 * peak + 0.9 * peak * 0.5 * (1 + cos(Double.pi * Double(i) / Double(steps - 1))) }
        let s = Scratch()
        var args = ["fit", "--law", "annealing", "--warmup-as-peak", "off", "--bootstrap", "30", "--db", s.path("r.db"), "--json"]
        for (name, lrs) in [("constant", constant), ("cosine", cosine)] {
            let losses = curve(lrs)
            // The documented meaning of a row: the rate of step s and the loss after s updates (rates
            // 0..<s, so losses[s - 1]); every step's rate is given, the loss every 20 steps.
            let rows = (0..<steps).map { s in
                s > 0 && s % 20 == 0 ? "\(s),\(lrs[s]),\(losses[s - 1] + 0.002 * gauss())" : "\(s),\(lrs[s]),"
            }
            args += ["--curve", s.write("\(name).csv", (["step,lr,loss"] + rows).joined(separator: "\n"))]
        }
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(lastJSON(r))
        let p = try #require(obj["params"] as? [String: Double])
        let ci = try #require(obj["ci"] as? [String: [Double]])
        #expect(obj["bootstrap_total"] as? Int == 30 && (obj["bootstrap_converged"] as? Int ?? 0) >= 20)
        let truth = ["L0": l0, "A": a, "alpha": alpha, "C": c, "lambda": lambda]
        for (name, value) in truth {
            let iv = try #require(ci[name], "\(name) has no interval: \(obj["notes"] ?? "")")
            let est = try #require(p[name])
            #expect(iv[0] < est && est < iv[1], "\(name): estimate \(est) not strictly inside \(iv)")
            #expect(iv[0] <= value && value <= iv[1], "\(name): truth \(value) outside \(iv)")
        }
    }
}
