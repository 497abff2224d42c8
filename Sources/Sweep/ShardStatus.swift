import Foundation
import Store

/// The state of one shard of a Slurm sweep, read from its database (read-only, while its task may
/// still write it) and its task's exit file.
public struct ShardStatus: Sendable {
    public var index: Int
    public var count: Int
    /// The shard's planned runs, and how far each has got (missing: not in the database yet).
    public var runs: [PlannedRun]
    public var progress: [String: RunProgress]
    public var databaseExists: Bool
    public var task: TaskExit

    public var done: Int { runs.filter { progress[$0.key]?.isDone == true }.count }
    public var complete: Bool { done == runs.count }
    public var active: [(run: PlannedRun, progress: RunProgress)] {
        runs.compactMap { r in progress[r.key].flatMap { $0.status == "running" ? (r, $0) : nil } }
    }
    public var failed: [PlannedRun] { runs.filter { progress[$0.key]?.status == "failed" } }
    public var diverged: Int { runs.filter { progress[$0.key]?.status == "diverged" }.count }

    /// Every shard of `planned` (the whole grid) split `count` ways, as the tasks split it.
    public static func read(folder: ShardFolder, planned: [PlannedRun], count: Int, branching: Bool) throws -> [ShardStatus] {
        try (1...count).map { i in
            let db = folder.shardDatabase(i)
            let exists = FileManager.default.fileExists(atPath: db)
            let progress = exists ? try Store.runProgress(readOnlyPath: db) : [:]
            return ShardStatus(index: i, count: count, runs: SweepPlan.shard(planned, index: i, of: count, branching: branching),
                               progress: progress, databaseExists: exists, task: TaskExit(file: folder.exitFile(i)))
        }
    }

    /// One line: `shard 2/4: 3/4 runs done, 1 running (2x64 ... step 120/585); task exit 0`.
    public var line: String {
        var s = "shard \(index)/\(count): \(done)/\(runs.count) runs done"
        if diverged > 0 { s += " (\(diverged) diverged)" }
        let act = active
        if !act.isEmpty {
            let what = act.map { "\($0.run.label) step \($0.progress.lastStep)/\($0.progress.stepsBudget)" }
            s += ", \(act.count) active: " + what.joined(separator: "; ")
        }
        let f = failed
        if !f.isEmpty { s += ", \(f.count) failed: " + f.map(\.label).joined(separator: "; ") }
        if !databaseExists { s += ", no database yet" }
        s += "; task: \(task)"
        return s
    }
}
