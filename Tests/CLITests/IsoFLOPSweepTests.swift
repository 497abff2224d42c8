import Foundation
import Testing

/// A tiny IsoFLOP sweep trained through the real binary and fitted: runs record their budget, the fit
/// groups them by it (one profile per budget, every run in one), and each budget either gives a
/// minimum or is named in a note. Tiny runs (a few hundred steps) are noisy, so which budgets have an
/// interior minimum is not asserted; that every one is accounted for, and what the fit reports, is.
@Suite struct IsoFLOPSweepTests {
    static let spec = """
    name = "isoflop-tiny"
    seq_len = 16
    batch = 4
    evals = 2
    eval_windows = 4
    downstream_items = 4

    [models]
    shapes = ["1x8", "1x16", "1x24", "1x32"]
    head_dim = 8

    [budgets]
    flops = [2e7, 6e7, 2e8]

    [optim]
    lr = [3e-3]
    schedules = ["cosine"]
    """

    @Test func tinySweepIsGroupedByItsBudgetsAndFitted() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let sweep = try CLI.run(["sweep", "--spec", s.write("iso.toml", Self.spec), "--db", db])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let levels = try CLI.run(["query", "select compute_level, count(*), count(distinct params_total) from runs group by compute_level order by compute_level",
                                  "--db", db, "--format", "csv"])
        let rows = levels.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.map { Double($0[0]) ?? 0 } == [2e7, 6e7, 2e8], "\(levels.stdout)")
        #expect(rows.allSatisfy { $0[1] == "4" && $0[2] == "4" })
        let fit = try CLI.run(["fit", "--law", "isoflop", "--bootstrap", "40", "--db", db, "--json"])
        if fit.status == 0 {
            let obj = try #require(lastJSON(fit))
            let groups = (obj["groups"] as? [Any])?.count ?? 0, skipped = (obj["skipped"] as? [Any])?.count ?? 0
            #expect(groups == 3 && skipped == 0, "every budget is one profile with an interior minimum")
            let a = try #require((obj["params"] as? [String: Double])?["a"])
            #expect(a.isFinite)
            #expect(obj["bootstrap_total"] as? Int == 40)
            // An interval, or a note saying why there is none.
            let ci = (obj["ci"] as? [String: [Double]])?["a"]
            let notes = obj["notes"] as? [String] ?? []
            #expect(ci.map { $0[0] < a && a < $0[1] } ?? notes.contains { $0.contains("a:") || $0.contains("bootstrap") })
        } else {
            // Fewer than 3 budgets with an interior minimum: the error accounts for all 3 and names them.
            #expect(fit.status == 2)
            #expect(fit.stderr.contains("of 3)") && fit.stderr.contains("interior minimum"), "\(fit.stderr)")
            for c in ["2e+07", "6e+07", "2e+08"] where !fit.stderr.contains(c) {
                // A budget missing from the message must be one that had a minimum.
                #expect(fit.stderr.contains("have"), "\(c) not accounted for: \(fit.stderr)")
            }
        }
    }
}
