import Foundation
import Testing

/// WSD branching end to end: branches start while their trunk still trains (a second core takes
/// them), their losses are bit for bit those of the same budgets trained from scratch, and a sweep
/// killed while a branch trains resumes to the same losses.
@Suite(.serialized) struct WSDBranchSweepTests {
    /// Steps per budget: 100, 200 and 400 (64 tokens a step); with half of each run in its decay the
    /// branches start at trunk steps 50 and 100, long before the trunk's 400, and train long enough
    /// (50 and 100 steps) to be caught training.
    static func spec(branching: Bool, name: String = "wsd-branch-test") -> String {
        """
        name = "\(name)"
        corpus = "synthetic:words=64,successors=8"
        seq_len = 16
        batch = 4
        evals = 4
        eval_windows = 4
        downstream_items = 0

        [models]
        shapes = ["1x32"]

        [budgets]
        tokens = [6400, 12800, 25600]

        [optim]
        lr = [3e-3]
        schedules = ["wsd:warmup=10,decay=0.5,shape=1-sqrt"]
        floor_fraction = 0.0

        [wsd]
        branching = \(branching)
        """
    }

    func query(_ db: String, _ sql: String) throws -> [[String]] {
        let r = try CLI.run(["query", sql, "--db", db, "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Every budget's training losses by step, as the run saw them: a branch's steps before its
    /// branch point are its trunk's.
    func lossesByBudget(_ db: String) throws -> [String: [String]] {
        let runs = try query(db, "select id, tokens_budget, coalesce(parent_run_id, ''), coalesce(branch_step, '') from runs")
        var out: [String: [String]] = [:]
        for r in runs {
            var rows = try query(db, "select step, train_loss from steps where run_id = \(r[0]) order by step")
            if !r[2].isEmpty, let from = Int(r[3]) {
                #expect(rows.first?.first == r[3], "branch rows start at its branch step")
                let trunk = try query(db, "select step, train_loss from steps where run_id = \(r[2]) and step < \(from) order by step")
                rows = trunk + rows
            }
            out[r[1]] = rows.map { $0.joined(separator: ":") }
        }
        return out
    }

    func finalLosses(_ db: String) throws -> [[String]] {
        try query(db, "select tokens_budget, status, steps_done, final_val_loss from runs order by tokens_budget")
    }

    @Test func branchesStartWhileTheTrunkTrainsAndMatchScratchRuns() throws {
        let s = Scratch()
        let branched = s.path("branch.db"), scratch = s.path("scratch.db")
        let r = try CLI.run(["sweep", "--spec", s.write("b.toml", Self.spec(branching: true)), "--db", branched, "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        // The progress log (one line per event off a terminal): both branches start before the trunk is done.
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let trunkDone = try #require(lines.firstIndex { $0.hasPrefix("done") && $0.contains("D=25.6k") }, "\(r.stderr)")
        for budget in ["D=6.4k ", "D=12.8k "] {
            let start = try #require(lines.firstIndex { $0.hasPrefix("start") && $0.contains(budget) }, "\(r.stderr)")
            #expect(start < trunkDone, "branch \(budget) started after its trunk finished:\n\(r.stderr)")
        }
        #expect(try query(branched, "select count(*) from runs where branch_step is not null").first?.first == "2")
        let ref = try CLI.run(["sweep", "--spec", s.write("s.toml", Self.spec(branching: false)), "--db", scratch, "--jobs", "2"])
        #expect(ref.status == 0, "\(ref.stderr)")
        let a = try lossesByBudget(branched), b = try lossesByBudget(scratch)
        #expect(a.count == 3 && a.values.map(\.count).sorted() == [100, 200, 400])
        #expect(a == b, "branch losses differ from the from-scratch runs")
        #expect(try finalLosses(branched) == finalLosses(scratch))
        // The branch checkpoints are gone once every branch is done; no lease is left.
        let left = try FileManager.default.contentsOfDirectory(atPath: branched + ".checkpoints").filter { $0.contains(".branch") }
        #expect(left.isEmpty, "\(left)")
        #expect(try query(branched, "select count(*) from run_leases").first?.first == "0")
    }

    @Test func sweepKilledWhileABranchTrainsResumesToTheSameLosses() throws {
        let s = Scratch()
        let branched = Self.spec(branching: true, name: "wsd-kill")
        let spec = s.write("k.toml", branched)
        let db = s.path("k.db")
        // Killed once a branch has logged steps (the trunk is still training then).
        let killed = try killWhen(["sweep", "--spec", spec, "--db", db, "--jobs", "2"]) {
            guard FileManager.default.fileExists(atPath: db),
                  let q = try? CLI.run(["query", "select count(*) from steps s join runs r on r.id = s.run_id where r.branch_step is not null and r.status = 'running'",
                                        "--db", db, "--format", "csv"]), q.status == 0 else { return false }
            return Int(q.stdout.split(separator: "\n").last ?? "") ?? 0 >= 1
        }
        #expect(killed, "the sweep finished before a branch was seen training")
        let again = try CLI.run(["sweep", "--spec", spec, "--db", db, "--jobs", "2"])
        #expect(again.status == 0, "\(again.stderr)")
        let dup = try query(db, "select count(*) from (select run_id, step from steps group by run_id, step having count(*) > 1)")
        #expect(dup.first?.first == "0")
        let ref = s.path("ref.db")
        let scratch = branched.replacingOccurrences(of: "branching = true", with: "branching = false")
        #expect(try CLI.run(["sweep", "--spec", s.write("r.toml", scratch), "--db", ref, "--jobs", "2"]).status == 0)
        #expect(try lossesByBudget(db) == lossesByBudget(ref), "the resumed branched sweep differs from the from-scratch runs")
        #expect(try finalLosses(db) == finalLosses(ref))
    }
}
