import Foundation

/// The results database. Owns every SQL statement scalefit issues: other modules call these
/// methods with records and never write SQL themselves (only `scalefit query` passes user SQL,
/// through a read-only connection).
public final class Store {
    public let connection: Connection
    public var path: String { connection.path }

    /// Opens or creates the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        connection = try Connection(path: path)
        try Migrations.migrate(connection)
    }

    private init(connection: Connection) { self.connection = connection }

    /// An existing database, for commands that only read it (predict, report, analyze): opened to
    /// write when it may be (its schema is then brought up to date), else read-only, so a file
    /// the user may not write can still be read. Never creates a file.
    public static func reader(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.cannotOpen(path: path, reason: "no such file") }
        do {
            return try Store(path: path)
        } catch StoreError.databaseReadOnly {
            return Store(connection: try Connection(path: path, readOnly: true))
        }
    }

    /// A connection on which every write fails (SQLITE_OPEN_READONLY + query_only).
    public static func openReadOnly(path: String) throws -> Connection {
        try Connection(path: path, readOnly: true)
    }

    /// The tables users may export; the order of the README's schema section.
    public static let tables = ["sweeps", "runs", "steps", "evals", "points", "fits", "effective_rank", "layer_cka"]

    public func transaction<T>(_ body: () throws -> T) throws -> T { try connection.transaction(body) }

    // MARK: points

    /// Inserts points in one transaction: either all of them are stored or none.
    @discardableResult
    public func insertPoints(_ points: [PointRecord]) throws -> Int {
        let now = Timestamp.now()
        try connection.transaction {
            let st = try Statement(connection, """
                INSERT INTO points(source, N, D, loss, compute, downstream_error, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for p in points {
                try st.execute([.text(p.source), p.n.sql, p.d.sql, .real(p.loss), p.compute.sql,
                                p.downstreamError.sql, .text(now)])
            }
        }
        return points.count
    }

    /// Points, optionally of one source and filtered by a SQL predicate over the points columns.
    public func points(source: String? = nil, where predicate: String? = nil) throws -> [PointRecord] {
        var sql = "SELECT id, source, N, D, loss, compute, downstream_error FROM points WHERE 1"
        var args: [SQLValue] = []
        if let source { sql += " AND source = ?"; args.append(.text(source)) }
        var conn = connection
        if let predicate {
            let checked = try self.predicate(predicate, on: "points")
            sql += " AND (\(checked.text))"
            conn = try readOnlyConnection()
        }
        sql += " ORDER BY id"
        return try select(sql, args, on: conn).map { r in
            var p = PointRecord(source: r.string("source") ?? "", n: r.double("N"), d: r.double("D"),
                                loss: r.double("loss") ?? 0, compute: r.double("compute"),
                                downstreamError: r.double("downstream_error"))
            p.id = r.int64("id")
            return p
        }
    }

    // MARK: sweeps

    /// The sweep with this spec hash, created if new. Returns its id.
    /// One statement inserts or finds it, so two processes starting one sweep at once share it.
    public func sweepID(name: String, specHash: String, spec: String) throws -> Int64 {
        try connection.run("INSERT OR IGNORE INTO sweeps(name, spec_hash, spec, created_at) VALUES (?, ?, ?, ?)",
                           [.text(name), .text(specHash), .text(spec), .text(Timestamp.now())])
        guard let id = try connection.scalar("SELECT id FROM sweeps WHERE spec_hash = ?", [.text(specHash)])?.int64Value
        else { throw StoreError.notFound("sweep \(specHash) vanished after it was written") }
        return id
    }

    // MARK: runs

    /// Inserts a run (its id is assigned) and returns the id.
    @discardableResult
    public func insertRun(_ run: RunRecord) throws -> Int64 {
        var r = run
        r.id = nil
        if r.createdAt.isEmpty { r.createdAt = Timestamp.now() }
        let cols = RunRecord.columns.dropFirst()
        let sql = "INSERT INTO runs(\(cols.joined(separator: ", "))) VALUES (\(cols.map { _ in "?" }.joined(separator: ", ")))"
        try connection.run(sql, Array(r.values.dropFirst()))
        return connection.lastInsertRowID
    }

    /// Writes every mutable column of an existing run.
    public func updateRun(_ run: RunRecord) throws {
        guard let id = run.id else { throw StoreError.badInput("updateRun needs a run id") }
        let cols = RunRecord.columns.dropFirst()
        let sql = "UPDATE runs SET \(cols.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"
        try connection.run(sql, Array(run.values.dropFirst()) + [.integer(id)])
    }

    public func run(id: Int64) throws -> RunRecord? {
        try select("SELECT * FROM runs WHERE id = ?", [.integer(id)]).first.map(RunRecord.init(row:))
    }

    public func run(key: String) throws -> RunRecord? {
        try select("SELECT * FROM runs WHERE run_key = ?", [.text(key)]).first.map(RunRecord.init(row:))
    }

    /// Runs, optionally of one sweep and filtered by a SQL predicate over the runs columns.
    public func runs(sweepID: Int64? = nil, where predicate: String? = nil) throws -> [RunRecord] {
        var sql = "SELECT * FROM runs WHERE 1"
        var args: [SQLValue] = []
        if let sweepID { sql += " AND sweep_id = ?"; args.append(.integer(sweepID)) }
        var conn = connection
        if let predicate {
            let checked = try self.predicate(predicate, on: "runs")
            sql += " AND (\(checked.text))"
            conn = try readOnlyConnection()
        }
        sql += " ORDER BY id"
        return try select(sql, args, on: conn).map(RunRecord.init(row:))
    }

    // MARK: steps and evals

    /// Logs steps. Re-logging a step (after a resume from an earlier checkpoint) replaces the
    /// row, so (run, step) is never duplicated.
    public func appendSteps(_ steps: [StepRecord]) throws {
        guard !steps.isEmpty else { return }
        try connection.transaction {
            let st = try Statement(connection, """
                INSERT OR REPLACE INTO steps(run_id, step, tokens, lr, train_loss, grad_norm, wall_s)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for s in steps {
                try st.execute([.integer(s.runID), .integer(Int64(s.step)), .integer(Int64(s.tokens)), .real(s.lr),
                                s.trainLoss.sql, s.gradNorm.sql, .real(s.wallSeconds)])
            }
        }
    }

    public func appendEval(_ e: EvalRecord) throws {
        try connection.run("""
            INSERT OR REPLACE INTO evals(run_id, step, tokens, val_loss, downstream_error, downstream)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.integer(e.runID), .integer(Int64(e.step)), .integer(Int64(e.tokens)), e.valLoss.sql,
                  e.downstreamError.sql, e.downstream.sql])
    }

    public func steps(runID: Int64) throws -> [StepRecord] {
        try select("SELECT * FROM steps WHERE run_id = ? ORDER BY step", [.integer(runID)]).map {
            StepRecord(runID: runID, step: $0.int("step") ?? 0, tokens: $0.int("tokens") ?? 0, lr: $0.double("lr") ?? 0,
                       trainLoss: $0.double("train_loss"), gradNorm: $0.double("grad_norm"),
                       wallSeconds: $0.double("wall_s") ?? 0)
        }
    }

    public func evals(runID: Int64) throws -> [EvalRecord] {
        try select("SELECT * FROM evals WHERE run_id = ? ORDER BY step", [.integer(runID)]).map {
            EvalRecord(runID: runID, step: $0.int("step") ?? 0, tokens: $0.int("tokens") ?? 0,
                       valLoss: $0.double("val_loss"), downstreamError: $0.double("downstream_error"),
                       downstream: $0.string("downstream"))
        }
    }

    /// Removes steps and evals logged after `step` (used when a run resumes from a checkpoint
    /// older than its last logged step, so the re-run steps are logged once).
    public func truncateRun(runID: Int64, after step: Int) throws {
        try connection.transaction {
            try connection.run("DELETE FROM steps WHERE run_id = ? AND step > ?", [.integer(runID), .integer(Int64(step))])
            try connection.run("DELETE FROM evals WHERE run_id = ? AND step > ?", [.integer(runID), .integer(Int64(step))])
        }
    }

    // MARK: training dynamics

    public func appendEffectiveRanks(runID: Int64, step: Int, ranks: [(matrix: String, erank: Double)]) throws {
        try connection.transaction {
            let st = try Statement(connection, "INSERT OR REPLACE INTO effective_rank(run_id, step, matrix, erank) VALUES (?, ?, ?, ?)")
            for r in ranks { try st.execute([.integer(runID), .integer(Int64(step)), .text(r.matrix), .real(r.erank)]) }
        }
    }

    public func appendLayerCKA(runID: Int64, step: Int, values: [(layer: Int, cka: Double)]) throws {
        try connection.transaction {
            let st = try Statement(connection, "INSERT OR REPLACE INTO layer_cka(run_id, step, layer, cka) VALUES (?, ?, ?, ?)")
            for v in values { try st.execute([.integer(runID), .integer(Int64(step)), .integer(Int64(v.layer)), .real(v.cka)]) }
        }
    }

    public func effectiveRanks(runID: Int64? = nil) throws -> [(runID: Int64, step: Int, matrix: String, erank: Double)] {
        let filter = runID.map { "WHERE run_id = \($0)" } ?? ""
        return try select("SELECT * FROM effective_rank \(filter) ORDER BY run_id, step, matrix").map {
            ($0.int64("run_id") ?? 0, $0.int("step") ?? 0, $0.string("matrix") ?? "", $0.double("erank") ?? .nan)
        }
    }

    public func layerCKA(runID: Int64? = nil) throws -> [(runID: Int64, step: Int, layer: Int, cka: Double)] {
        let filter = runID.map { "WHERE run_id = \($0)" } ?? ""
        return try select("SELECT * FROM layer_cka \(filter) ORDER BY run_id, step, layer").map {
            ($0.int64("run_id") ?? 0, $0.int("step") ?? 0, $0.int("layer") ?? 0, $0.double("cka") ?? .nan)
        }
    }

    // MARK: fits

    @discardableResult
    public func insertFit(_ f: FitRecord) throws -> Int64 {
        try connection.run("""
            INSERT INTO fits(law, params, intervals, selection, objective, objective_value, rmse, r2, n_points,
                             converged, status, options, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(f.law), .text(f.params), .text(f.intervals), .text(f.selection), .text(f.objective),
                  f.objectiveValue.sql, f.rmse.sql, f.r2.sql, .integer(Int64(f.nPoints)),
                  .integer(f.converged ? 1 : 0), .text(f.status), .text(f.options), .text(Timestamp.now())])
        return connection.lastInsertRowID
    }

    public func fit(id: Int64) throws -> FitRecord? {
        try select("SELECT * FROM fits WHERE id = ?", [.integer(id)]).first.map(Self.fitRecord)
    }

    public func fits(law: String? = nil) throws -> [FitRecord] {
        if let law { return try select("SELECT * FROM fits WHERE law = ? ORDER BY id", [.text(law)]).map(Self.fitRecord) }
        return try select("SELECT * FROM fits ORDER BY id").map(Self.fitRecord)
    }

    static func fitRecord(_ r: Row) -> FitRecord {
        var f = FitRecord(law: r.string("law") ?? "", params: r.string("params") ?? "{}",
                          intervals: r.string("intervals") ?? "{}", selection: r.string("selection") ?? "{}",
                          objective: r.string("objective") ?? "", objectiveValue: r.double("objective_value"),
                          rmse: r.double("rmse"), r2: r.double("r2"), nPoints: r.int("n_points") ?? 0,
                          converged: (r.int("converged") ?? 0) == 1, status: r.string("status") ?? "",
                          options: r.string("options") ?? "{}")
        f.id = r.int64("id")
        f.createdAt = r.string("created_at") ?? ""
        return f
    }

    // MARK: generic

    /// A whole table, for export. Unknown names are rejected (never interpolated unchecked).
    public func table(_ name: String) throws -> QueryResult {
        guard Store.tables.contains(name) else { throw StoreError.unknownTable(name, known: Store.tables) }
        let order = ["steps", "evals"].contains(name) ? "run_id, step"
            : ["effective_rank", "layer_cka"].contains(name) ? "run_id, step, 3" : "id"
        return try QueryResult.run(connection, "SELECT * FROM \(name) ORDER BY \(order)")
    }

    /// A user's `--where` text over `table`, validated on a read-only connection (SQLPredicate).
    public func predicate(_ text: String, on table: String) throws -> SQLPredicate {
        try SQLPredicate(text, table: table, on: readOnlyConnection())
    }

    /// A second connection to this database on which nothing can write: user predicates run here.
    func readOnlyConnection() throws -> Connection { try Connection(path: path, readOnly: true) }

    func select(_ sql: String, _ args: [SQLValue] = [], on conn: Connection? = nil) throws -> [Row] {
        let st = try Statement(conn ?? connection, sql)
        try st.bind(args)
        let cols = st.columnNames
        var out: [Row] = []
        while try st.step() { out.append(Row(columns: cols, values: st.row())) }
        return out
    }
}

/// Column names and rows of a query, in order.
public struct QueryResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLValue]]

    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Runs one SQL statement on `conn` (use a read-only connection for user SQL).
    public static func run(_ conn: Connection, _ sql: String) throws -> QueryResult {
        let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.badInput("empty query") }
        let st = try Statement(conn, trimmed)
        let cols = st.columnNames
        var rows: [[SQLValue]] = []
        while try st.step() { rows.append(st.row()) }
        return QueryResult(columns: cols, rows: rows)
    }
}
