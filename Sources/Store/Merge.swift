import Foundation

extension Store {
    /// What a merge added.
    public struct MergeCounts: Sendable, Equatable {
        public var sweeps = 0, runs = 0, steps = 0, evals = 0, points = 0, fits = 0
        /// Runs already here but unfinished, replaced by the source's further-along copy.
        public var runsUpdated = 0
        public init() {}
    }

    /// Copies everything from the database at `path` that this one lacks, in one transaction.
    ///
    /// Identity is by content, not by id: sweeps by `spec_hash`, runs by `run_key` (their steps,
    /// evals and measurements follow them), points and fits by all their columns. Merging the
    /// same file twice adds nothing, so shards can be merged in any order, any number of times.
    /// A run that is here but not finished (merged from a shard while it trained, or from one whose
    /// task was killed) is replaced by the source's copy when that one is finished or has more
    /// steps done: its row is updated in place (same id, so branch links stay) and its steps, evals
    /// and measurements are copied again, so merging a shard before and after it completes gives
    /// the same database as merging it once at the end.
    @discardableResult
    public func merge(from path: String) throws -> MergeCounts {
        if DatabasePath.sameFile(path, self.path) {
            throw StoreError.badInput("cannot merge \(path) into itself (it is the output database)")
        }
        _ = try Store(path: path)  // validates the file and brings its schema up to date
        var c = MergeCounts()
        try connection.run("ATTACH DATABASE ? AS src", [.text(path)])
        defer { try? connection.execute("DETACH DATABASE src") }
        try connection.transaction {
            try connection.execute("""
                INSERT INTO sweeps(name, spec_hash, spec, created_at)
                SELECT name, spec_hash, spec, created_at FROM src.sweeps
                WHERE spec_hash NOT IN (SELECT spec_hash FROM main.sweeps) ORDER BY id
                """)
            c.sweeps = connection.changes
            let cols = RunRecord.columns.filter { !["id", "sweep_id", "parent_run_id"].contains($0) }
            try connection.execute("""
                INSERT INTO runs(\(cols.joined(separator: ", ")), sweep_id)
                SELECT \(cols.map { "r.\($0)" }.joined(separator: ", ")),
                       (SELECT m.id FROM main.sweeps m JOIN src.sweeps s ON s.spec_hash = m.spec_hash WHERE s.id = r.sweep_id)
                FROM src.runs r WHERE r.run_key NOT IN (SELECT run_key FROM main.runs) ORDER BY r.id
                """)
            c.runs = connection.changes
            c.runsUpdated = try refreshUnfinishedRuns(columns: cols)
            // Re-link WSD branches to their trunks by key.
            try connection.execute("""
                UPDATE main.runs SET parent_run_id = (
                    SELECT mp.id FROM src.runs sr JOIN src.runs sp ON sp.id = sr.parent_run_id
                    JOIN main.runs mp ON mp.run_key = sp.run_key WHERE sr.run_key = main.runs.run_key)
                WHERE parent_run_id IS NULL AND run_key IN (SELECT run_key FROM src.runs WHERE parent_run_id IS NOT NULL)
                """)
            let runMap = "(SELECT m.id FROM main.runs m JOIN src.runs sr ON sr.run_key = m.run_key WHERE sr.id = t.run_id)"
            for (table, columns) in [("steps", ["step", "tokens", "lr", "train_loss", "grad_norm", "wall_s"]),
                                     ("evals", ["step", "tokens", "val_loss", "downstream_error", "downstream"]),
                                     ("effective_rank", ["step", "matrix", "erank"]),
                                     ("layer_cka", ["step", "layer", "cka"])] {
                try connection.execute("""
                    INSERT OR IGNORE INTO main.\(table)(run_id, \(columns.joined(separator: ", ")))
                    SELECT \(runMap), \(columns.map { "t.\($0)" }.joined(separator: ", ")) FROM src.\(table) t
                    """)
                if table == "steps" { c.steps = connection.changes }
                if table == "evals" { c.evals = connection.changes }
            }
            try connection.execute("""
                INSERT INTO points(source, N, D, loss, compute, downstream_error, imported_at)
                SELECT source, N, D, loss, compute, downstream_error, imported_at FROM src.points p
                WHERE NOT EXISTS (SELECT 1 FROM main.points q WHERE q.source = p.source AND q.N = p.N AND q.D = p.D
                    AND q.loss = p.loss AND q.compute IS p.compute AND q.downstream_error IS p.downstream_error)
                ORDER BY id
                """)
            c.points = connection.changes
            try connection.execute("""
                INSERT INTO fits(law, params, intervals, selection, objective, objective_value, rmse, r2, n_points,
                                 converged, status, options, created_at)
                SELECT law, params, intervals, selection, objective, objective_value, rmse, r2, n_points,
                       converged, status, options, created_at FROM src.fits f
                WHERE NOT EXISTS (SELECT 1 FROM main.fits g WHERE g.law = f.law AND g.params = f.params
                    AND g.selection = f.selection AND g.created_at = f.created_at)
                ORDER BY id
                """)
            c.fits = connection.changes
        }
        return c
    }

    /// Replaces main's unfinished runs that the source has finished or advanced (see `merge`).
    private func refreshUnfinishedRuns(columns cols: [String]) throws -> Int {
        let final = "('finished', 'diverged')"
        let stale = """
            SELECT m.id FROM main.runs m JOIN src.runs s ON s.run_key = m.run_key
            WHERE m.status NOT IN \(final) AND (s.status IN \(final) OR s.steps_done > m.steps_done)
            """
        let ids = try connection.rows(stale).compactMap { $0.first }
        guard !ids.isEmpty else { return 0 }
        let list = "(\(ids.map { _ in "?" }.joined(separator: ", ")))"
        for table in ["steps", "evals", "effective_rank", "layer_cka"] {
            try connection.run("DELETE FROM main.\(table) WHERE run_id IN \(list)", ids)
        }
        try connection.run("""
            UPDATE main.runs SET (\(cols.joined(separator: ", "))) =
                (SELECT \(cols.map { "s.\($0)" }.joined(separator: ", ")) FROM src.runs s WHERE s.run_key = main.runs.run_key)
            WHERE id IN \(list)
            """, ids)
        return ids.count
    }
}
