import Foundation
import Testing

/// End-to-end sweeps through the real binary: resume after SIGKILL, shards + merge, bad specs.
@Suite(.serialized) struct SweepCommandTests {
    static let spec = """
    name = "cli-test"
    seq_len = 16
    batch = 4
    evals = 4
    eval_windows = 4
    downstream_items = 4

    [models]
    shapes = ["1x32", "2x32"]

    [budgets]
    tokens = [6400, 12800]

    [optim]
    lr = [3e-3]
    schedules = ["cosine"]
    """

    func query(_ db: String, _ sql: String) throws -> [[String]] {
        let r = try CLI.run(["query", sql, "--db", db, "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// `query` without the expectation: nil while the database is not ready.
    func poll(_ db: String, _ sql: String) throws -> [[String]]? {
        let r = try CLI.run(["query", sql, "--db", db, "--format", "csv"])
        guard r.status == 0 else { return nil }
        return r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func killedSweepResumesWithoutDuplicatesOrRetraining() throws {
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let db = s.path("r.db")
        // Wait until one run has finished and a later one has logged steps, then kill mid-run.
        let killedMidRun = try killWhen(["sweep", "--spec", spec, "--db", db]) {
            // Polled while the sweep may still be creating the schema: a failed poll is not a failure.
            guard FileManager.default.fileExists(atPath: db),
                  let rows = try? poll(db, "select (select count(*) from runs where status = 'finished'), (select count(*) from steps s join runs r on r.id = s.run_id where r.status = 'running')"),
                  let row = rows.first, row.count == 2 else { return false }
            return Int(row[0]) ?? 0 >= 1 && Int(row[1]) ?? 0 >= 1
        }
        #expect(killedMidRun, "the sweep finished before it could be killed")
        let before = try query(db, "select run_key, finished_at from runs where status = 'finished' order by run_key")
        #expect(!before.isEmpty)
        let again = try CLI.run(["sweep", "--spec", spec, "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
        // Every run finished exactly once, with exactly its budgeted steps, each logged once.
        let runs = try query(db, "select status, steps_done, steps_budget, (select count(*) from steps where run_id = runs.id), (select count(distinct step) from steps where run_id = runs.id) from runs")
        #expect(runs.count == 4)
        for r in runs {
            #expect(r[0] == "finished")
            #expect(r[1] == r[2] && r[2] == r[3] && r[3] == r[4], "\(r)")
        }
        let dup = try query(db, "select count(*) from (select run_id, step from steps group by run_id, step having count(*) > 1)")
        #expect(dup.first?.first == "0")
        // Runs finished before the kill were not trained again.
        let after = try query(db, "select run_key, finished_at from runs where run_key in (\(before.map { "'\($0[0])'" }.joined(separator: ","))) order by run_key")
        #expect(after == before)
        // A third invocation has nothing to do.
        let third = try CLI.run(["sweep", "--spec", spec, "--db", db, "--json"])
        #expect(lastJSON(third)?["skipped"] as? Int == 4)
    }

    @Test func shardsMergeToTheUnshardedSweep() throws {
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let whole = s.path("whole.db"), a = s.path("a.db"), b = s.path("b.db"), merged = s.path("merged.db")
        #expect(try CLI.run(["sweep", "--spec", spec, "--db", whole]).status == 0)
        #expect(try CLI.run(["sweep", "--spec", spec, "--db", a, "--shard", "1/2"]).status == 0)
        #expect(try CLI.run(["sweep", "--spec", spec, "--db", b, "--shard", "2/2"]).status == 0)
        #expect(try CLI.run(["merge", a, b, "-o", merged]).status == 0)
        let twice = try CLI.run(["merge", a, b, "-o", merged, "--json"])
        #expect(lastJSON(twice)?["runs"] as? Int == 0)
        #expect(lastJSON(twice)?["steps"] as? Int == 0)
        let sql = "select run_key, status, steps_done, final_val_loss, (select count(*) from steps where run_id = runs.id) from runs order by run_key"
        // Same runs, and (training being deterministic) the same losses.
        #expect(try query(merged, sql) == query(whole, sql))
        #expect(try query(merged, "select count(*) from sweeps").first?.first == "1")
    }

    @Test func badSpecsNameKeyAndLineAndWriteNothing() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let cases: [(String, String)] = [
            (Self.spec.replacingOccurrences(of: "batch = 4", with: "batch = 4\nbatsh = 3"), "line 4: unknown key 'batsh'"),
            (Self.spec.replacingOccurrences(of: "shapes = [\"1x32\", \"2x32\"]", with: "shapes = []"), "'shapes': is empty"),
            (Self.spec.replacingOccurrences(of: "tokens = [6400, 12800]", with: "tokens = [6400, -5]"), "'tokens': values must be > 0"),
            (Self.spec.replacingOccurrences(of: "[optim]", with: "[optimizer]"), "unknown section [optimizer]"),
            (Self.spec.replacingOccurrences(of: "\"cosine\"", with: "\"cosinus\""), "unknown schedule 'cosinus'"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let spec = s.write("bad\(i).toml", text)
            let r = try CLI.run(["sweep", "--spec", spec, "--db", db])
            #expect(r.status == 2)
            #expect(r.stderr.contains(expected), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let missing = try CLI.run(["sweep", "--spec", s.path("absent.toml"), "--db", db])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
