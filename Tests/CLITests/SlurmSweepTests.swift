import Foundation
import Testing
@testable import scalefit
import Store

/// Is a Slurm controller reachable (`sinfo` present and answering)? CI starts a one-machine cluster
/// with Scripts/slurm-local.sh before the tests; elsewhere the cluster tests are skipped.
enum SlurmProbe {
    static let available: Bool = {
        guard let sinfo = ChildProcess.find("sinfo") else { return false }
        return (try? shell(sinfo, ["--noheader"]).status) == 0
    }()
    static let skipMessage: Comment = "no Slurm cluster reachable (sinfo absent or failing); Scripts/slurm-local.sh start runs one"

    static func shell(_ exe: String, _ args: [String]) throws -> CLIResult {
        try ChildProcess.run(URL(fileURLWithPath: exe.hasPrefix("/") ? exe : "/usr/bin/\(exe)"), args)
    }

    /// Waits until `job` has left the queue.
    static func waitUntilGone(_ job: String, timeout: TimeInterval = 600) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let q = try shell("squeue", ["--noheader", "--jobs", job, "--format=%i"])
            if q.status != 0 || q.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            usleep(200_000)
        }
        Issue.record("job \(job) still queued after \(timeout) s")
    }
}

/// `sweep --slurm` end to end: option errors and dry runs everywhere, real submissions where a
/// cluster answers.
@Suite(.serialized) struct SlurmSweepTests {
    /// Four runs, two per shard; each shard has one 100-step run (long enough to cancel mid-run).
    static let spec = """
    name = "slurm-test"
    seq_len = 16
    batch = 4
    evals = 4
    eval_windows = 4
    downstream_items = 4

    [models]
    shapes = ["1x32"]

    [budgets]
    tokens = [3200, 6400]

    [optim]
    lr = [3e-3]
    schedules = ["cosine"]
    seeds = [0, 1]
    """

    /// Per run: key, status, steps done, logged steps, distinct steps, final losses to 17 digits (bit-exact).
    static let resultsSQL = """
        select run_key, status, steps_done, (select count(*) from steps where run_id = runs.id) logged,
               (select count(distinct step) from steps where run_id = runs.id) distinct_steps,
               printf('%!.17g', final_val_loss) val, printf('%!.17g', final_train_loss) train,
               (select group_concat(printf('%!.17g', train_loss), ';') from (select train_loss from steps
                where run_id = runs.id order by step)) curve from runs order by run_key
        """

    func query(_ db: String, _ sql: String) throws -> [[String]] {
        let r = try CLI.run(["query", sql, "--db", db, "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The same sweep trained locally, once for the suite.
    static let local: [[String]] = {
        let s = Scratch()
        let spec = s.write("local.toml", SlurmSweepTests.spec)
        let r = try! CLI.run(["sweep", "--spec", spec, "--db", s.path("local.db")])
        precondition(r.status == 0, r.stderr)
        return try! SlurmSweepTests().query(s.path("local.db"), resultsSQL)
    }()

    /// Every run finished once, every step logged once, and the losses equal the local sweep's bit for bit.
    func expectMatchesLocal(_ db: String) throws {
        let rows = try query(db, Self.resultsSQL)
        try #require(rows.count == 4 && rows.allSatisfy { $0.count == 8 }, "\(rows)")
        for r in rows {
            #expect(r[1] == "finished", "\(r)")
            #expect(r[2] == r[3] && r[3] == r[4], "steps done / logged / distinct differ: \(r)")
        }
        #expect(rows == Self.local)
        let dup = try query(db, "select count(*) from (select run_id, step from steps group by run_id, step having count(*) > 1)")
        #expect(dup.first?.first == "0")
    }

    @Test func badSlurmOptionsFailInOneLineAndWriteNothing() throws {
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let db = s.path("out/r.db")
        _ = s.write("file", "x")
        let cases: [([String], String)] = [
            (["--slurm", "0"], "--slurm must be > 0"),
            (["--slurm", "-3"], "--slurm must be > 0"),
            (["--slurm", "20000"], "--slurm must be <= 10000"),
            (["--slurm", "5"], "the sweep has only 4 runs"),
            (["--slurm", "x"], "--slurm"),
            (["--wait"], "--wait needs --slurm N"),
            (["--slurm", "2", "--shard", "1/2"], "--shard and --slurm"),
            (["--slurm", "2", "--dry-run", "--wait"], "--dry-run and --wait"),
            (["--slurm", "2", "--cpus-per-task", "0"], "--cpus-per-task must be > 0"),
            (["--slurm", "2", "--threads", "0"], "--threads must be > 0"),
            (["--slurm", "2", "--sbatch-arg", "--array=1-3"], "--array is set by scalefit"),
            (["--slurm", "2", "--sbatch-arg", "account=x"], "is not an sbatch option"),
            (["--slurm", "2", "--partition", "a b"], "--partition: 'a b' is not a valid value"),
            (["--slurm", "2", "--resubmit-failed", "--dry-run"], "nothing was submitted"),
            (["--slurm", "2", "--dry-run", "--db", s.path("file/r.db")], "is not a folder"),
            (["--status"], "no Slurm shards at"),
        ]
        for (args, expected) in cases {
            let dbArgs = args.contains("--db") ? [] : ["--db", db]
            let r = try CLI.run(["sweep", "--spec", spec] + dbArgs + args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.path("out")))
    }

    @Test func dryRunPrintsSelfContainedScripts() throws {
        let s = Scratch()
        let spec = s.write("my sweep.toml", Self.spec)
        let r = try CLI.run(["sweep", "--spec", spec, "--slurm", "2", "--dry-run", "--db", s.path("r.db"),
                             "--lrs", "3e-3", "--cpus-per-task", "2", "--time", "5:00", "--sbatch-arg", "--comment=a b"],
                            cwd: s.url)
        #expect(r.status == 0, "\(r.stderr)")
        let scripts = Self.split(r.stdout)
        #expect(scripts.count == 2)
        let array = scripts.first ?? "", merge = scripts.last ?? ""
        // Absolute binary and paths, the spec and overrides as given, threads from --cpus-per-task.
        #expect(array.contains("#SBATCH --array=1-2") && array.contains("#SBATCH --requeue"))
        #expect(array.contains("#SBATCH --cpus-per-task=2") && array.contains("#SBATCH --time=5:00"))
        #expect(array.contains("#SBATCH \"--comment=a b\""))
        #expect(array.contains("'\(spec)' --lrs 3e-3 --shard \"$i/2\" --db \"$dir/shard-$i.db\" --jobs 2 --threads 1"))
        #expect(array.contains("dir=\(s.path("r.db.shards"))"))
        #expect(array.contains(CLI.binary.resolvingSymlinksInPath().path + " sweep"))
        #expect(merge.contains("merge \"${shards[@]}\" -o \(s.path("r.db"))"))
        #expect(merge.contains("--status --db \(s.path("r.db"))"))
        // A dry run writes nothing.
        #expect(!FileManager.default.fileExists(atPath: s.path("r.db.shards")))
        #expect(!FileManager.default.fileExists(atPath: s.path("r.db")))
    }

    /// Every sweep option is either passed on to the shard tasks or handled by the submitting command,
    /// and every passed-on option reaches the task's command line: a new sweep option cannot be dropped.
    @Test func everySweepOptionReachesTheTasksOrIsHandledBySubmission() throws {
        let help = try CLI.run(["sweep", "--experimental-dump-help"])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(help.stdout.utf8)) as? [String: Any])
        let args = try #require((obj["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
        let longs = args.flatMap { ($0["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" } }
            .compactMap { $0["name"] as? String }.map { "--" + $0 }
        #expect(longs.count > 20)
        for o in longs {
            #expect(SweepCommand.forwardedOptions.contains(o) || SweepCommand.notForwarded.contains(o), "\(o) is neither forwarded nor handled")
        }
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let given = ["--shapes", "1x32", "--tokens-per-param", "5", "--lrs", "3e-3", "--schedules", "cosine", "--seeds", "0,1",
                     "--corpus", "synthetic", "--branch", "--checkpoint-dir", s.path("ck")]
        let r = try CLI.run(["sweep", "--spec", spec, "--slurm", "2", "--dry-run", "--db", s.path("r.db")] + given)
        #expect(r.status == 0, "\(r.stderr)")
        let task = Self.split(r.stdout).first?.split(separator: "\n").first { $0.contains(" sweep --spec ") } ?? ""
        for o in SweepCommand.forwardedOptions.subtracting(["--preset"]) {
            #expect(task.contains(" \(o)"), "\(o) missing from the task command: \(task)")
        }
        #expect(task.contains("--checkpoint-dir \(s.path("ck"))\"/shard-$i\""), "\(task)")
    }

    /// A shard task killed on one node and requeued on another finds the leases of its first attempt,
    /// which do not expire for minutes; as the shard's only writer it drops them and trains.
    @Test func aShardTaskTakesOverLeasesLeftByAKilledAttempt() throws {
        let s = Scratch()
        let spec = s.write("one.toml", Self.spec.replacingOccurrences(of: "tokens = [3200, 6400]", with: "tokens = [640]")
            .replacingOccurrences(of: "seeds = [0, 1]", with: "seeds = [0]"))
        let db = s.path("shard-1.db")
        #expect(try CLI.run(["sweep", "--spec", spec, "--db", db]).status == 0)
        let store = try Store(path: db)
        try store.connection.execute("""
            UPDATE runs SET status = 'running';
            INSERT INTO run_leases(run_id, owner, expires_at) SELECT id, 'node-17:4242:1', \(Date().timeIntervalSince1970 + 3600) FROM runs;
            """)
        let held = try CLI.run(["sweep", "--spec", spec, "--db", db, "--json"])
        #expect(lastJSON(held)?["held_elsewhere"] as? Int == 1, "\(held.stdout)")
        let task = try CLI.run(["sweep", "--spec", spec, "--db", db, "--json", "--sole-writer"])
        #expect(task.status == 0, "\(task.stderr)")
        #expect(lastJSON(task)?["finished"] as? Int == 1 && lastJSON(task)?["held_elsewhere"] as? Int == 0, "\(task.stdout)")
        let dup = try query(db, "select count(*) - count(distinct step) from steps")
        #expect(dup.first?.first == "0")
    }

    static func split(_ dryRun: String) -> [String] {
        dryRun.components(separatedBy: "#!/bin/bash\n").dropFirst().map { "#!/bin/bash\n" + $0 }
    }

    @Test(.enabled(if: SlurmProbe.available, SlurmProbe.skipMessage))
    func dryRunScriptsAreAcceptedBySbatchTestOnly() throws {
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let r = try CLI.run(["sweep", "--spec", spec, "--slurm", "3", "--dry-run", "--db", s.path("r.db"),
                             "--time", "10:00", "--mem", "100M", "--sbatch-arg", "--comment=scalefit test"])
        #expect(r.status == 0, "\(r.stderr)")
        let scripts = Self.split(r.stdout)
        #expect(scripts.count == 2)
        for (i, text) in scripts.enumerated() {
            let path = s.write("script\(i).sh", text)
            let t = try SlurmProbe.shell("sbatch", ["--test-only", path])
            #expect(t.status == 0, "sbatch --test-only rejected script \(i): \(t.stderr)\n\(text)")
        }
    }

    @Test(.enabled(if: SlurmProbe.available, SlurmProbe.skipMessage))
    func slurmSweepWaitsMergesAndMatchesTheLocalSweep() throws {
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let db = s.path("out/results.db")
        let r = try CLI.run(["sweep", "--spec", spec, "--slurm", "2", "--wait", "--db", db])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("4 runs (4 finished, 0 diverged, 0 not done)"), "\(r.stdout)")
        #expect(r.stdout.contains("(shard 1/2): exit 0") && r.stdout.contains("(shard 2/2): exit 0"), "\(r.stdout)")
        try expectMatchesLocal(db)
        // One database per shard, each with its half of the grid.
        for i in 1...2 {
            #expect(try query(s.path("out/results.db.shards/shard-\(i).db"), "select count(*) from runs").first?.first == "2")
        }
        // Merging the shards again adds nothing.
        let again = try CLI.run(["merge", s.path("out/results.db.shards/shard-1.db"), s.path("out/results.db.shards/shard-2.db"),
                                 "-o", db, "--json"])
        #expect(lastJSON(again)?["runs"] as? Int == 0 && lastJSON(again)?["steps"] as? Int == 0)
        #expect(lastJSON(again)?["runs_updated"] as? Int == 0)
        let status = try CLI.run(["sweep", "--spec", spec, "--status", "--db", db])
        #expect(status.status == 0 && status.stdout.contains("total: 4/4 runs done"), "\(status.stdout)")
    }

    @Test(.enabled(if: SlurmProbe.available, SlurmProbe.skipMessage))
    func cancelledTaskIsResubmittedToIdenticalResults() throws {
        let s = Scratch()
        let spec = s.write("sweep.toml", Self.spec)
        let db = s.path("results.db")
        let shard1 = s.path("results.db.shards/shard-1.db")
        let submit = try CLI.run(["sweep", "--spec", spec, "--slurm", "2", "--db", db, "--json"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let job = lastJSON(submit)
        let array = try #require(job?["array_job"] as? String), merge = try #require(job?["merge_job"] as? String)
        // Cancel shard 1's task once its first run has logged steps and before it has finished.
        let deadline = Date().addingTimeInterval(300)
        var cancelled = false
        while Date() < deadline, !cancelled {
            if FileManager.default.fileExists(atPath: shard1),
               let rows = try? query(shard1, "select count(*) from steps s join runs r on r.id = s.run_id where r.status = 'running'"),
               Int(rows.first?.first ?? "") ?? 0 > 0 {
                let c = try SlurmProbe.shell("scancel", ["\(array)_1"])
                #expect(c.status == 0, "\(c.stderr)")
                cancelled = true
            }
            usleep(50_000)
        }
        #expect(cancelled, "shard 1 never logged a step")
        try SlurmProbe.waitUntilGone(merge)
        let partial = try query(shard1, "select count(*) from runs where status = 'finished'")
        #expect(Int(partial.first?.first ?? "") ?? 9 < 2, "shard 1 finished before it was cancelled")
        // --status names the incomplete shard and exits 1.
        let status = try CLI.run(["sweep", "--spec", spec, "--status", "--db", db])
        #expect(status.status == 1, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.contains("shard 2/2: 2/2 runs done"), "\(status.stdout)")
        #expect(status.stdout.contains("1/2 shards complete"), "\(status.stdout)")
        // Only shard 1 is resubmitted; it resumes and the merge brings the main database up to date.
        let again = try CLI.run(["sweep", "--spec", spec, "--slurm", "2", "--resubmit-failed", "--wait", "--db", db])
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("resubmitted shards 1 of 2"), "\(again.stdout)")
        #expect(!again.stdout.contains("(shard 2/2)"), "\(again.stdout)")
        try expectMatchesLocal(db)
        // Nothing left to resubmit: the command only merges.
        let third = try CLI.run(["sweep", "--spec", spec, "--slurm", "2", "--resubmit-failed", "--db", db])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("every shard is complete"), "\(third.stderr)")
    }
}
