import Foundation
import Validation
/// Errors from the results database. Every description is one line that names the problem,
/// so the CLI can print it as is and exit 2.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case notADatabase(path: String)
    case sqlite(message: String, sql: String?)
    case readOnly(message: String)
    case databaseReadOnly(path: String)
    case timedOut(seconds: Double)
    case unknownTable(String, known: [String])
    case badInput(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open database \(path): \(reason)"
        case .notADatabase(let path): return "\(path) is not a SQLite database"
        case .sqlite(let message, let sql):
            if let sql { return "SQL error: \(message) (in: \(InputEcho.shown(sql)))" }
            return "SQL error: \(message)"
        case .readOnly(let message): return "query is read-only: \(message)"
        case .timedOut(let seconds):
            return "query stopped after \(String(format: "%g", seconds)) s (give --timeout SECONDS to allow longer)"
        case .databaseReadOnly(let path):
            return "database \(path) is read-only (no permission to write the file or its directory)"
        case .unknownTable(let t, let known):
            return "unknown table '\(t)' (tables: \(known.joined(separator: ", ")))"
        case .badInput(let s): return s
        case .notFound(let s): return s
        }
    }
}
