import Foundation

/// How far one run has got, as a database that another process may still be writing shows it.
public struct RunProgress: Sendable, Equatable {
    public var runKey: String
    public var status: String
    /// Last step logged (steps are written in batches, so this can lead `steps_done`, which moves
    /// at checkpoints only).
    public var lastStep: Int
    public var stepsBudget: Int

    public var isDone: Bool { status == "finished" || status == "diverged" }
}

extension Store {
    /// The progress of every run in the database at `path`, by run key, read on a read-only
    /// connection (`sweep --status` reads shard databases that Slurm tasks are writing).
    public static func runProgress(readOnlyPath path: String) throws -> [String: RunProgress] {
        let conn = try openReadOnly(path: path)
        let rows = try conn.rows("""
            SELECT run_key, status, steps_budget,
                   COALESCE((SELECT MAX(step) FROM steps WHERE run_id = runs.id), 0) FROM runs
            """)
        var out: [String: RunProgress] = [:]
        for r in rows {
            guard let key = r[0].stringValue else { continue }
            out[key] = RunProgress(runKey: key, status: r[1].stringValue ?? "", lastStep: Int(r[3].int64Value ?? 0),
                                   stepsBudget: Int(r[2].int64Value ?? 0))
        }
        return out
    }
}
