import CSQLite
import Foundation
import Validation

/// SQLite's "make your own copy" destructor sentinel (SQLITE_TRANSIENT is a macro Swift cannot import).
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: each thread or job opens its own.
///
/// Every connection that may write runs in WAL mode with foreign keys on and a busy timeout, so
/// concurrent sweep jobs and readers (`sqlite3 results.db`) never corrupt or block each other for long.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    public let readOnly: Bool

    /// What statements on a read-only connection may do (see ReadPolicy); nil on writers.
    var readPolicy: ReadPolicy?
    /// When statements on this connection are interrupted (see `limitTime`).
    var deadline: Date?
    var timeLimit = 0.0

    /// Opens (and for writers, creates) the database at `path`.
    ///
    /// `path` must name a file (see DatabasePath): `''`, `:memory:` and `file:` URIs are refused,
    /// since results written there would vanish. A writer on a file it may not write fails here,
    /// with an error that says so, rather than on the first write.
    /// - Parameter readOnly: opens with SQLITE_OPEN_READONLY and `query_only`, and compiles every
    ///   statement under the `.query` ReadPolicy, so nothing can write, attach or create a file.
    public init(path: String, readOnly: Bool = false, busyTimeoutMs: Int32 = 10_000) throws {
        try DatabasePath.check(path)
        self.path = path
        self.readOnly = readOnly
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError.cannotOpen(path: path, reason: "no such file")
        }
        if !readOnly { try DatabasePath.checkWritable(path) }
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(rc)"
            if let db { sqlite3_close_v2(db) }
            throw StoreError.cannotOpen(path: path, reason: reason)
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMs)
        // Reading the schema forces SQLite to look at the file header: a file that is not a
        // database fails here (SQLITE_NOTADB), before anything could be written to it.
        do {
            _ = try scalar("PRAGMA schema_version")
            if readOnly {
                try execute("PRAGMA query_only = ON")
            } else {
                // SQLite opens a file it may not write read-only without saying so (as root, too,
                // on a read-only mount): ask, and fail now with the reason.
                if sqlite3_db_readonly(db, "main") == 1 { throw StoreError.databaseReadOnly(path: path) }
                try execute("PRAGMA journal_mode = WAL")
                try execute("PRAGMA synchronous = NORMAL")
            }
            try execute("PRAGMA foreign_keys = ON")
        } catch {
            sqlite3_close_v2(db)
            if case StoreError.sqlite(let m, _) = error, m.contains("not a database") {
                throw StoreError.notADatabase(path: path)
            }
            if !readOnly, case StoreError.readOnly = error { throw StoreError.databaseReadOnly(path: path) }
            if readOnly, case StoreError.sqlite(let m, _) = error, m.contains("unable to open"),
               access(URL(fileURLWithPath: path).deletingLastPathComponent().path, W_OK) != 0 {
                // A WAL database needs its -shm file even to be read; SQLite cannot create it here.
                throw StoreError.cannotOpen(path: path, reason: "its folder is read-only and SQLite needs to create "
                                            + "its -shm file there to read it: copy it to a writable folder")
            }
            throw error
        }
        if readOnly {
            readPolicy = .query
            sqlite3_set_authorizer(db, readPolicyAuthorizer, Unmanaged.passUnretained(self).toOpaque())
            // A single function call such as printf('%.*c', 2000000000, 'x') builds its value without
            // ever reaching the progress handler: cap every value a reader may build, so such a
            // query fails at once with "too big" instead of taking a gigabyte and a minute.
            sqlite3_limit(db, SQLITE_LIMIT_LENGTH, Connection.readValueLimit)
        }
    }

    /// The largest string or blob, in bytes, a statement on a read-only connection may build
    /// (64 MiB: far above any value scalefit stores, far below what would exhaust memory).
    public static let readValueLimit: Int32 = 64 << 20

    deinit { sqlite3_close_v2(handle) }

    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(err)
            throw classify(rc: rc, message: msg, sql: sql)
        }
    }

    /// Runs one statement with bound values.
    public func run(_ sql: String, _ values: [SQLValue] = []) throws {
        let st = try Statement(self, sql)
        try st.bind(values)
        while try st.step() {}
    }

    /// Returns all rows of a query.
    public func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let st = try Statement(self, sql)
        try st.bind(values)
        var out: [[SQLValue]] = []
        while try st.step() { out.append(st.row()) }
        return out
    }

    /// First column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        try rows(sql, values).first?.first
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in one IMMEDIATE transaction: all of it is written, or none of it. Inside an
    /// open transaction it nests as a savepoint, so store methods compose.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let nested = sqlite3_get_autocommit(handle) == 0
        let (begin, commit) = nested ? ("SAVEPOINT nested", "RELEASE nested") : ("BEGIN IMMEDIATE", "COMMIT")
        // A failed savepoint is rolled back and then released, so the outer transaction goes on.
        let rollback = nested ? ["ROLLBACK TO nested", "RELEASE nested"] : ["ROLLBACK"]
        try execute(begin)
        do {
            let result = try body()
            try execute(commit)
            return result
        } catch {
            for sql in rollback { try? execute(sql) }
            throw error
        }
    }

    /// Compiles the first statement of `sql`: the result code, the statement (nil when the text
    /// held none) and the text after it.
    func prepare(_ sql: String) -> (rc: Int32, statement: OpaquePointer?, rest: String) {
        var st: OpaquePointer?
        var rest = ""
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, text, -1, &st, &tail)
            if let tail { rest = String(cString: tail) }
            return rc
        }
        return (rc, st, rest)
    }

    /// Interrupts any statement still running `seconds` from now (SQLITE_INTERRUPT, reported as
    /// StoreError.timedOut), so a runaway user query (an endless recursive CTE) cannot hang the CLI.
    public func limitTime(seconds: Double) {
        timeLimit = seconds
        deadline = Date().addingTimeInterval(seconds)
        sqlite3_progress_handler(handle, 10_000, { context in
            guard let context else { return 0 }
            let conn = Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue()
            guard let deadline = conn.deadline else { return 0 }
            return Date() > deadline ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// True when `sql` holds no statement: only whitespace, comments and empty statements (`;`).
    /// SQLite's own tokenizer decides, so no comment or quoting trick can hide a statement.
    static func isBlankSQL(_ sql: String, on conn: Connection) -> Bool {
        var rest = sql
        while !rest.isEmpty {
            let (rc, st, next) = conn.prepare(rest)
            if let st { sqlite3_finalize(st); return false }
            guard rc == SQLITE_OK, next.utf8.count < rest.utf8.count else { return false }
            rest = next
        }
        return true
    }

    func classify(rc: Int32, message: String, sql: String?) -> StoreError {
        let primary = rc & 0xff
        if primary == SQLITE_NOTADB { return .notADatabase(path: path) }
        if primary == SQLITE_INTERRUPT, deadline != nil { return .timedOut(seconds: timeLimit) }
        if readOnly && primary == SQLITE_TOOBIG {
            return .sqlite(message: "\(message): a value over \(Connection.readValueLimit >> 20) MiB", sql: sql)
        }
        if !readOnly && primary == SQLITE_READONLY { return .databaseReadOnly(path: path) }
        if primary == SQLITE_READONLY || (readOnly && message.contains("readonly")) {
            return .readOnly(message: message)
        }
        if readOnly && primary == SQLITE_AUTH {
            return .readOnly(message: "\(message) (only reads are allowed: \(InputEcho.shown(sql ?? "")))")
        }
        return .sqlite(message: message, sql: sql)
    }
}

/// A prepared statement. Finalized when released.
public final class Statement {
    let conn: Connection
    let stmt: OpaquePointer
    let sql: String

    /// Compiles exactly one statement. Text after it other than whitespace, comments and `;` is
    /// an error (sqlite3_prepare_v2 would silently ignore it), and on a read-only connection a
    /// statement that could write (VACUUM INTO among them) is refused before it runs.
    public init(_ conn: Connection, _ sql: String) throws {
        self.conn = conn
        self.sql = sql
        // SQLite would stop reading at a NUL and silently ignore what follows it.
        guard !sql.utf8.contains(0) else { throw StoreError.badInput("SQL text contains a NUL byte") }
        let (rc, st, rest) = conn.prepare(sql)
        guard rc == SQLITE_OK else {
            throw conn.classify(rc: rc, message: conn.errorMessage, sql: sql)
        }
        guard let st else { throw StoreError.badInput("empty SQL statement: \(InputEcho.shown(sql))") }
        if !Connection.isBlankSQL(rest, on: conn) {
            sqlite3_finalize(st)
            throw StoreError.badInput("give exactly one SQL statement: found more after the first (\(InputEcho.shown(rest)))")
        }
        if conn.readOnly && sqlite3_stmt_readonly(st) == 0 {
            sqlite3_finalize(st)
            throw StoreError.readOnly(message: "this statement would write (\(InputEcho.shown(sql)))")
        }
        stmt = st
    }

    deinit { sqlite3_finalize(stmt) }

    public var columnNames: [String] {
        (0..<sqlite3_column_count(stmt)).map { String(cString: sqlite3_column_name(stmt, $0)) }
    }

    public func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    public func bind(_ values: [SQLValue]) throws {
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case .integer(let x): rc = sqlite3_bind_int64(stmt, idx, x)
            case .real(let x): rc = sqlite3_bind_double(stmt, idx, x)
            case .text(let s): rc = sqlite3_bind_text(stmt, idx, s, -1, sqliteTransient)
            case .blob(let d):
                rc = d.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32(d.count), sqliteTransient) }
            }
            if rc != SQLITE_OK { throw conn.classify(rc: rc, message: conn.errorMessage, sql: sql) }
        }
    }

    /// Advances; true while a row is available.
    public func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw conn.classify(rc: rc, message: conn.errorMessage, sql: sql)
    }

    public func row() -> [SQLValue] {
        (0..<sqlite3_column_count(stmt)).map { column($0) }
    }

    func column(_ i: Int32) -> SQLValue {
        switch sqlite3_column_type(stmt, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(stmt, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, i))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(stmt, i)))
        case SQLITE_BLOB:
            let n = Int(sqlite3_column_bytes(stmt, i))
            guard n > 0, let p = sqlite3_column_blob(stmt, i) else { return .blob(Data()) }
            return .blob(Data(bytes: p, count: n))
        default: return .null
        }
    }

    /// Executes once with `values` and resets, for batched inserts.
    public func execute(_ values: [SQLValue]) throws {
        reset()
        try bind(values)
        while try step() {}
    }
}
