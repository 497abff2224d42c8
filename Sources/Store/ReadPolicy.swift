import CSQLite
import Foundation

/// What a read-only connection lets a statement do, enforced at compile time by SQLite's
/// authorizer (`sqlite3_set_authorizer`): a statement that would do anything else fails to
/// prepare, so it never runs and never touches the file system.
///
/// Both policies allow only reading. Denied whatever the policy: every write (INSERT, UPDATE,
/// DELETE, CREATE, DROP, ALTER, REINDEX, ANALYZE), ATTACH and DETACH (which could open or create
/// other files), transactions and savepoints, and every PRAGMA except the few that only report.
/// VACUUM (also `VACUUM INTO 'file'`) never reaches the authorizer, so `Statement` also refuses
/// any statement for which `sqlite3_stmt_readonly` is false.
public enum ReadPolicy: Equatable, Sendable {
    /// `scalefit query`: any read of any table, SQL functions, recursive CTEs, reporting pragmas.
    case query
    /// A `--where` predicate: reads of `table`'s columns and SQL functions, nothing else.
    case predicate(table: String)

    /// Pragmas that report and change nothing when called without a value.
    static let reportingPragmas: Set<String> = [
        "schema_version", "user_version", "application_id", "page_count", "page_size", "freelist_count",
        "encoding", "data_version", "compile_options", "function_list", "pragma_list", "collation_list",
        "module_list", "table_list", "database_list",
    ]
    /// Pragmas whose argument names a table or index (or a row limit), never a new setting.
    static let inspectingPragmas: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check",
    ]

    /// SQLITE_OK to allow the action, SQLITE_DENY to make the statement fail to compile.
    func decide(action: Int32, _ a: String?, _ b: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_FUNCTION:
            return SQLITE_OK
        case SQLITE_READ:
            if case .predicate(let table) = self {
                return a?.lowercased() == table.lowercased() ? SQLITE_OK : SQLITE_DENY
            }
            return SQLITE_OK
        case SQLITE_UPDATE where self == .query && a == "sqlite_master":
            // SQLite asks this while it sets up a pragma table function (`pragma_table_info('runs')`)
            // inside a SELECT. A real UPDATE of the schema cannot get through: the statement must
            // still be read-only (sqlite3_stmt_readonly) on a file opened SQLITE_OPEN_READONLY.
            return SQLITE_OK
        case SQLITE_RECURSIVE:
            return self == .query ? SQLITE_OK : SQLITE_DENY
        case SQLITE_PRAGMA:
            guard self == .query, let name = a?.lowercased() else { return SQLITE_DENY }
            if Self.inspectingPragmas.contains(name) { return SQLITE_OK }
            return Self.reportingPragmas.contains(name) && b == nil ? SQLITE_OK : SQLITE_DENY
        default:
            return SQLITE_DENY
        }
    }
}

/// The C callback SQLite calls while compiling each statement; `context` is the Connection.
let readPolicyAuthorizer: @convention(c) (
    UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
    UnsafePointer<CChar>?
) -> Int32 = { context, action, a, b, _, _ in
    guard let context else { return SQLITE_DENY }
    let conn = Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue()
    guard let policy = conn.readPolicy else { return SQLITE_OK }
    return policy.decide(action: action, a.map { String(cString: $0) }, b.map { String(cString: $0) })
}
