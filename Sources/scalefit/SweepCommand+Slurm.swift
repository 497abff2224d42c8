import Foundation
import Store
import Sweep
import Validation

/// `sweep --slurm N`: the sweep as a Slurm job array of shard tasks plus a dependent merge job;
/// `--resubmit-failed` for the shards that did not finish; `--status` for progress.
extension SweepCommand {
    /// Sweep options a shard task receives unchanged (paths made absolute). Every option of
    /// `sweep` is either here or one of `notForwarded`; a test checks that none is forgotten.
    static let forwardedOptions: Set<String> = ["--preset", "--spec", "--shapes", "--tokens-per-param", "--lrs",
                                                "--schedules", "--seeds", "--corpus", "--branch", "--checkpoint-dir"]
    /// Options the submitting command uses itself (the task gets its own --shard, --db, --jobs, --threads).
    static let notForwarded: Set<String> = ["--jobs", "--threads", "--shard", "--plan", "--db", "--json", "--slurm",
                                            "--wait", "--partition", "--time", "--cpus-per-task", "--mem",
                                            "--sbatch-arg", "--dry-run", "--resubmit-failed", "--status", "--spec-hash", "--sole-writer",
                                            "--help", "--version"]

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// The arguments that make a task plan exactly this sweep: preset or spec and the overrides.
    func forwardedArguments() throws -> [String] {
        var a: [String] = []
        if let preset { a += ["--preset", preset] }
        if let spec { a += ["--spec", Self.absolute(spec)] }
        if let shapes { a += ["--shapes", shapes] }
        if let tokensPerParam { a += ["--tokens-per-param", tokensPerParam] }
        if let lrs { a += ["--lrs", lrs] }
        if let schedules { a += ["--schedules", schedules] }
        if let seeds { a += ["--seeds", seeds] }
        if let corpus {
            let synthetic = (try? BuiltInCorpus.parse(corpus)) != nil
            a += ["--corpus", synthetic ? corpus : Self.absolute(corpus)]
        }
        if branch { a.append("--branch") }
        return a
    }

    func checkSpecHash(_ spec: SweepSpec) throws {
        if let h = cluster.specHash, h != spec.hash {
            throw CLIError("the sweep spec changed since it was submitted to Slurm (hash \(spec.hash), submitted \(h)); "
                           + "submit it again")
        }
    }

    /// This executable's absolute path: the scripts call it directly, wherever the task starts.
    static var binaryPath: String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return absolute(CommandLine.arguments[0])
    }

    /// Everything about the submission, validated before anything is written or submitted.
    struct SlurmPlan {
        var spec: SweepSpec
        var planned: [PlannedRun]
        var folder: ShardFolder
        var manifest: SlurmManifest?
        var script: SlurmScript
    }

    func slurmPlan() throws -> SlurmPlan {
        let n = cluster.slurm!
        _ = try InputNumber.integer(n, "--slurm", in: 1...10_000)
        if plan { throw CLIError("--plan and --slurm: give one of them") }
        if shard != nil { throw CLIError("--shard and --slurm: the Slurm tasks pick their own shards") }
        if cluster.dryRun && cluster.wait { throw CLIError("--dry-run and --wait: a dry run submits nothing to wait for") }
        if cluster.status { throw CLIError("--status and --slurm: give one of them") }
        let cpus = try InputNumber.integer(cluster.cpusPerTask ?? 1, "--cpus-per-task", in: 1...InputLimits.maxThreads)
        try checkJobsAndThreads()
        for (flag, value) in [("--partition", cluster.partition), ("--time", cluster.time), ("--mem", cluster.mem)] {
            if let value, value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "\"" }) {
                throw CLIError("\(flag): '\(value)' is not a valid value")
            }
        }
        for a in cluster.sbatchArgs {
            if let problem = SlurmScript.problem(withSbatchArgument: a) { throw CLIError("--sbatch-arg: \(problem)") }
        }
        let spec = try loadSpec()
        let planned = try SweepPlan.runs(spec)
        let units = SweepPlan.shardUnits(planned, branching: spec.wsdBranching)
        guard n <= units else {
            let what = spec.wsdBranching ? "WSD trunk families (a trunk and its branches train in one task)" : "runs"
            throw CLIError("--slurm \(n): the sweep has only \(units) \(what), so at most \(units) tasks")
        }
        let folder = ShardFolder(database: Self.absolute(database.db))
        try Self.checkWritable(folder)
        let manifest = try FileManager.default.fileExists(atPath: folder.path) ? SlurmManifest.read(folder) : nil
        if let m = manifest {
            guard m.specHash == spec.hash else {
                throw CLIError("\(folder.path) holds the shards of another sweep ('\(m.sweepName)'); give another --db")
            }
            guard m.shards == n else {
                throw CLIError("\(folder.path) holds a --slurm \(m.shards) submission: give --slurm \(m.shards) or another --db")
            }
        }
        let jobCount = jobs ?? cpus
        let script = SlurmScript(
            binary: Self.binaryPath, sweepArguments: try forwardedArguments(), specHash: spec.hash, sweepName: spec.name,
            shards: n, folder: folder, jobs: jobCount, threads: threads ?? max(1, cpus / jobCount), cpusPerTask: cpus,
            partition: cluster.partition, time: cluster.time, mem: cluster.mem, sbatchArguments: cluster.sbatchArgs,
            checkpointBase: checkpointDir.map(Self.absolute))
        return SlurmPlan(spec: spec, planned: planned, folder: folder, manifest: manifest, script: script)
    }

    /// The shard folder can be created (or is a folder) and --db, if it exists, is a database.
    static func checkWritable(_ folder: ShardFolder) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw CLIError("\(folder.path) exists and is not a folder (the shard folder of --db)") }
            guard fm.isWritableFile(atPath: folder.path) else { throw CLIError("\(folder.path): not writable") }
        } else {
            var dir = URL(fileURLWithPath: folder.path).deletingLastPathComponent()
            while !fm.fileExists(atPath: dir.path, isDirectory: &isDir) { dir = dir.deletingLastPathComponent() }
            guard isDir.boolValue else { throw CLIError("\(dir.path) is not a folder, so \(folder.path) cannot be created") }
            guard fm.isWritableFile(atPath: dir.path) else { throw CLIError("\(dir.path): not writable, so \(folder.path) cannot be created") }
        }
        if fm.fileExists(atPath: folder.database) {
            do { _ = try Store.openReadOnly(path: folder.database) } catch { throw CLIError("--db: \(error)") }
        }
    }

    func runSlurm() throws {
        let p = try slurmPlan()
        let n = p.script.shards
        var tasks = Array(1...n)
        if cluster.resubmitFailed {
            guard p.manifest != nil else {
                throw CLIError("nothing was submitted to \(p.folder.path) yet: submit with --slurm \(n) first")
            }
            tasks = try ShardStatus.read(folder: p.folder, planned: p.planned, count: n, branching: p.spec.wsdBranching).filter { !$0.complete }.map(\.index)
        }
        if cluster.dryRun {
            if tasks.isEmpty { print("# every shard is complete: nothing to resubmit (the merge would run here)") }
            print("# Job array (submitted as: sbatch --parsable \(p.folder.arrayScript))")
            if !tasks.isEmpty { print(p.script.arrayScript(tasks: tasks), terminator: "") }
            print("# Merge job (submitted as: sbatch --parsable --dependency=afterany:ARRAY_JOB_ID \(p.folder.mergeScript))")
            print(p.script.mergeScript(), terminator: "")
            return
        }
        // One writer per shard database: refuse while an earlier task of a shard is still queued.
        let earlier = try SlurmClient.queued(p.manifest?.arrayJobs ?? []).filter { tasks.contains($0.arrayTask ?? -1) }
        if !earlier.isEmpty {
            let list = earlier.map { "\($0.name) \($0.state)" }.joined(separator: ", ")
            throw CLIError("shard tasks of an earlier submission are still in the queue (\(list)): wait for them or scancel them")
        }
        try checkWithController(p, tasks: tasks)
        let fm = FileManager.default
        try fm.createDirectory(atPath: p.folder.path, withIntermediateDirectories: true)
        var manifest = p.manifest ?? SlurmManifest(shards: n, sweepName: p.spec.name, specHash: p.spec.hash)
        if tasks.isEmpty {
            printErr("slurm: every shard is complete; merging them into \(p.folder.database)")
            let store = try Store(path: p.folder.database)
            for i in 1...n where fm.fileExists(atPath: p.folder.shardDatabase(i)) { try store.merge(from: p.folder.shardDatabase(i)) }
            return try finish(p, tasks: [], arrayJob: nil, mergeJob: nil)
        }
        try p.script.arrayScript(tasks: tasks).write(toFile: p.folder.arrayScript, atomically: true, encoding: .utf8)
        try p.script.mergeScript().write(toFile: p.folder.mergeScript, atomically: true, encoding: .utf8)
        for i in tasks { try? fm.removeItem(atPath: p.folder.exitFile(i)) }
        let arrayJob: String
        let mergeJob: String
        do {
            arrayJob = try SlurmClient.submit(script: p.folder.arrayScript)
            manifest.arrayJobs.append(arrayJob)
            try manifest.write(p.folder)
            mergeJob = try SlurmClient.submit(script: p.folder.mergeScript, extra: ["--dependency=afterany:\(arrayJob)"])
            manifest.mergeJobs.append(mergeJob)
            try manifest.write(p.folder)
        } catch let e as SlurmError {
            throw CLIError(e.description)
        }
        let what = cluster.resubmitFailed ? "resubmitted shards \(SlurmScript.arraySpec(tasks)) of \(n)" : "submitted \(n) shard tasks"
        if !json || cluster.wait {
            print("\(what): job array \(arrayJob), tasks \(SlurmScript.arraySpec(tasks)) -> \(p.folder.path)")
            print("merge job \(mergeJob) (after the array) -> \(p.folder.database)")
        }
        if !cluster.wait {
            if json {
                print(JSONText.render(.object([
                    ("array_job", .string(arrayJob)), ("merge_job", .string(mergeJob)), ("shards", .int(Int64(n))),
                    ("tasks", .array(tasks.map { .int(Int64($0)) })), ("shard_dir", .string(p.folder.path)),
                    ("db", .string(p.folder.database)),
                ])))
            } else {
                printErr("progress: scalefit sweep \(try forwardedArguments().map(SlurmScript.quote).joined(separator: " ")) "
                         + "--status --db \(SlurmScript.quote(p.folder.database))")
            }
            return
        }
        try waitForJob(mergeJob, array: arrayJob, p)
        try finish(p, tasks: tasks, arrayJob: arrayJob, mergeJob: mergeJob)
    }

    /// `sbatch --test-only` on both scripts, written to a scratch folder: a bad partition, time or
    /// sbatch option fails here, before any file of the sweep is written or any job submitted.
    func checkWithController(_ p: SlurmPlan, tasks: [Int]) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var scripts = [("merge.sh", p.script.mergeScript())]
        if !tasks.isEmpty { scripts.insert(("array.sh", p.script.arrayScript(tasks: tasks)), at: 0) }
        for (name, text) in scripts {
            let path = tmp.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do { try SlurmClient.testOnly(script: path) } catch let e as SlurmError { throw CLIError(e.description) }
        }
    }

    /// Polls the queue until `job` has left it, printing shard progress to stderr when it changes.
    /// (Polling rather than `sbatch --wait`: the job ids are printed at once and progress shows.)
    func waitForJob(_ job: String, array: String, _ p: SlurmPlan) throws {
        var last = ""
        var failures = 0
        while true {
            let queued: [SlurmClient.QueuedJob]
            do {
                queued = try SlurmClient.queued([array, job])
                failures = 0
            } catch let e as SlurmError {
                // A controller that restarts (or is briefly overloaded) does not end the wait; a minute of errors does.
                failures += 1
                if failures >= 30 { throw CLIError(e.description) }
                Thread.sleep(forTimeInterval: 2)
                continue
            }
            if !queued.contains(where: { $0.job == job && $0.arrayTask == nil }) { return }
            let shards = (try? ShardStatus.read(folder: p.folder, planned: p.planned, count: p.script.shards, branching: p.spec.wsdBranching)) ?? []
            let done = shards.reduce(0) { $0 + $1.done }
            let states = Dictionary(grouping: queued.filter { $0.job == array }, by: \.state).map { "\($0.value.count) \($0.key.lowercased())" }
            let line = "slurm: \(done)/\(p.planned.count) runs done, \(shards.filter(\.complete).count)/\(p.script.shards) shards complete"
                + (states.isEmpty ? "; merging" : "; tasks: " + states.sorted().joined(separator: ", "))
            if line != last { printErr(line); last = line }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    /// The sweep summary from the merged database, each task's exit status, the merge job's; exits 1
    /// (after printing) when a run is not done or the merge failed.
    func finish(_ p: SlurmPlan, tasks: [Int], arrayJob: String?, mergeJob: String?) throws {
        let merged = FileManager.default.fileExists(atPath: p.folder.database)
            ? try Store.runProgress(readOnlyPath: p.folder.database) : [:]
        let states = p.planned.map { merged[$0.key]?.status ?? "missing" }
        let finished = states.filter { $0 == "finished" }.count, diverged = states.filter { $0 == "diverged" }.count
        let notDone = p.planned.count - finished - diverged
        let shards = try ShardStatus.read(folder: p.folder, planned: p.planned, count: p.script.shards, branching: p.spec.wsdBranching)
        let mergeExit = mergeJob.map { TaskExit(file: p.folder.mergeExitFile(job: $0)) }
        if json {
            var fields: [(String, JSONText.Value)] = [
                ("name", .string(p.spec.name)), ("runs", .int(Int64(p.planned.count))), ("finished", .int(Int64(finished))),
                ("diverged", .int(Int64(diverged))), ("not_done", .int(Int64(notDone))), ("db", .string(p.folder.database)),
                ("incomplete_shards", .array(shards.filter { !$0.complete }.map { .int(Int64($0.index)) })),
                ("task_exits", .object(tasks.map { i in ("\(i)", .string(shards[i - 1].task.description)) })),
            ]
            if let arrayJob { fields.append(("array_job", .string(arrayJob))) }
            if let mergeJob, let mergeExit { fields += [("merge_job", .string(mergeJob)), ("merge_exit", .string(mergeExit.description))] }
            print(JSONText.render(.object(fields)))
        } else {
            print("sweep '\(p.spec.name)': \(p.planned.count) runs (\(finished) finished, \(diverged) diverged, "
                  + "\(notDone) not done) -> \(p.folder.database)")
            for i in tasks { print("task \(arrayJob ?? "?")_\(i) (shard \(i)/\(p.script.shards)): \(shards[i - 1].task)") }
            if let mergeJob, let mergeExit { print("merge job \(mergeJob): \(mergeExit)") }
        }
        let incomplete = shards.filter { !$0.complete }.map { String($0.index) }
        if notDone > 0 || (mergeExit != nil && mergeExit != .exited(0)) {
            let which = incomplete.isEmpty ? "the merge job failed (see \(p.folder.path)/slurm-merge-\(mergeJob ?? "").out)"
                : "shard\(incomplete.count == 1 ? "" : "s") \(incomplete.joined(separator: ", ")) did not finish"
            printErr("error: \(which); run the same command with --resubmit-failed")
            Foundation.exit(1)
        }
    }

    /// `sweep --status`: per-shard progress read from the shard databases.
    func runStatus() throws {
        if let stray = cluster.givenWithoutSlurm { throw CLIError("--status and \(stray): give --status alone") }
        if plan || shard != nil { throw CLIError("--status reads a Slurm sweep's shards: give it without --plan or --shard") }
        let spec = try loadSpec()
        try checkSpecHash(spec)
        let folder = ShardFolder(database: Self.absolute(database.db))
        guard FileManager.default.fileExists(atPath: folder.path), let m = try SlurmManifest.read(folder) else {
            throw CLIError("no Slurm shards at \(folder.path) (submit the sweep with --slurm N first)")
        }
        guard m.specHash == spec.hash else {
            throw CLIError("\(folder.path) holds the shards of another sweep ('\(m.sweepName)')")
        }
        let planned = try SweepPlan.runs(spec)
        let shards: [ShardStatus]
        do { shards = try ShardStatus.read(folder: folder, planned: planned, count: m.shards, branching: spec.wsdBranching) } catch { throw CLIError("\(error)") }
        let done = shards.reduce(0) { $0 + $1.done }, active = shards.reduce(0) { $0 + $1.active.count }
        let failed = shards.reduce(0) { $0 + $1.failed.count }, complete = shards.filter(\.complete).count
        if json {
            let perShard: [JSONText.Value] = shards.map { s in
                .object([("shard", .int(Int64(s.index))), ("runs", .int(Int64(s.runs.count))), ("done", .int(Int64(s.done))),
                         ("active", .int(Int64(s.active.count))), ("failed", .int(Int64(s.failed.count))),
                         ("diverged", .int(Int64(s.diverged))), ("task", .string(s.task.description))])
            }
            print(JSONText.render(.object([
                ("name", .string(spec.name)), ("shards", .int(Int64(m.shards))), ("runs", .int(Int64(planned.count))),
                ("done", .int(Int64(done))), ("active", .int(Int64(active))), ("failed", .int(Int64(failed))),
                ("complete_shards", .int(Int64(complete))), ("per_shard", .array(perShard)),
            ])))
        } else {
            print("sweep '\(spec.name)' on \(m.shards) Slurm shards (\(folder.path)):")
            for s in shards { print(s.line) }
            print("total: \(done)/\(planned.count) runs done, \(active) active, \(failed) failed; "
                  + "\(complete)/\(m.shards) shards complete")
        }
        if done < planned.count { Foundation.exit(1) }
    }
}
