import Foundation

/// Where a Slurm sweep keeps its shards: a folder beside the main database (`results.db.shards/`),
/// one SQLite file per shard (one writer per file, which is safe on the network filesystems of
/// clusters, where SQLite's locking is not), each with its own checkpoint folder, plus the task logs,
/// the tasks' exit codes, the generated job scripts and a manifest of what was submitted.
public struct ShardFolder: Sendable, Equatable {
    /// The main database (absolute path); the merge job merges every shard into it.
    public let database: String
    public var path: String { database + ".shards" }

    public init(database: String) {
        self.database = database
    }

    /// Shard `i` of n (1-based, as `--shard i/n` and the Slurm array index).
    public func shardDatabase(_ i: Int) -> String { "\(path)/shard-\(i).db" }
    /// Per shard and stable across requeues and resubmissions: a requeued task resumes from here.
    public func checkpointDir(_ i: Int) -> String { shardDatabase(i) + ".checkpoints" }
    /// What the shard's task last wrote: `running JOBID` while it runs, then its exit code.
    public func exitFile(_ i: Int) -> String { "\(path)/shard-\(i).exit" }
    public func mergeExitFile(job: String) -> String { "\(path)/merge-\(job).exit" }
    public var manifest: String { "\(path)/slurm.json" }
    public var arrayScript: String { "\(path)/slurm-array.sh" }
    public var mergeScript: String { "\(path)/slurm-merge.sh" }
}

/// What the shard's Slurm task reported in its exit file.
public enum TaskExit: Sendable, Equatable, CustomStringConvertible {
    /// No exit file: the task never started (or was cancelled while pending).
    case none
    /// The task started and has not written an exit code: it runs, or it was killed hard.
    case running(job: String)
    /// The task's script got SIGTERM (scancel, preemption, time limit) and stopped.
    case terminated
    case exited(Int)

    public init(file: String) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            self = .none
            return
        }
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasPrefix("running") {
            self = .running(job: String(t.dropFirst("running".count)).trimmingCharacters(in: .whitespaces))
        } else if let code = Int(t) {
            self = .exited(code)
        } else {
            self = .terminated
        }
    }

    public var description: String {
        switch self {
        case .none: return "not started"
        case .running(let job): return "started (job \(job)), no exit status yet"
        case .terminated: return "terminated by a signal (cancelled, preempted or out of time)"
        case .exited(let c): return "exit \(c)"
        }
    }
}
