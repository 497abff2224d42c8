import CSQLite
import Foundation
import Validation

/// A `--where` predicate, checked to be one SQL expression over one table's columns before it is
/// spliced into a query as `WHERE ... AND (<predicate>)`.
///
/// Splicing text into SQL is safe only if the text cannot leave its parentheses. Two checks make
/// sure of it:
/// 1. Lexical: outside string literals and quoted identifiers there is no `;`, no comment, and no
///    `)` that closes more than the predicate opened (so `0) union all select ...` or
///    `1) ; drop table points; --` cannot end the expression early), and every quote is closed.
/// 2. Compiled: `SELECT 1 FROM <table> WHERE (<predicate>)` must prepare (sqlite3_prepare_v2) as
///    exactly one statement on a read-only connection whose authorizer allows only reads of
///    `<table>`'s columns and SQL functions: no other table, no write, no ATTACH, no PRAGMA.
public struct SQLPredicate: Sendable, Equatable {
    public let text: String
    public let table: String

    /// Longest predicate accepted: a filter is a line or two, not a payload.
    public static let maxLength = 4_096

    /// Validates `text` against `table` on `conn`, which must be a read-only connection.
    public init(_ text: String, table: String, on conn: Connection) throws {
        precondition(conn.readOnly, "predicates are compiled on a read-only connection")
        try Self.checkLexically(text)
        let sql = "SELECT 1 FROM \(table) WHERE (\(text))"
        let saved = conn.readPolicy
        conn.readPolicy = .predicate(table: table)
        defer { conn.readPolicy = saved }
        do {
            _ = try Statement(conn, sql)
        } catch StoreError.readOnly {
            throw StoreError.badInput("--where '\(InputEcho.shown(text))' may only read columns of \(table)")
        } catch StoreError.sqlite(let message, _) {
            throw StoreError.badInput("--where '\(InputEcho.shown(text))' is not a valid predicate on \(table): \(message)")
        } catch StoreError.badInput {
            throw StoreError.badInput("--where '\(InputEcho.shown(text))' must be one SQL expression")
        }
        self.text = text
        self.table = table
    }

    /// The lexical check (1 above); throws naming the first problem.
    static func checkLexically(_ text: String) throws {
        func bad(_ why: String) -> StoreError { .badInput("--where '\(InputEcho.shown(text))': \(why)") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw bad("empty predicate") }
        guard text.utf8.count <= maxLength else { throw bad("longer than \(maxLength) bytes") }
        let b = Array(text.utf8)
        var i = 0, depth = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case 0: throw bad("contains a NUL byte")
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "["):
                // A literal or quoted identifier runs to its closing quote; a doubled quote
                // ('it''s') stays inside. `[...]` has no escape.
                let close = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : c
                i += 1
                while true {
                    guard i < b.count else { throw bad("unterminated quote") }
                    if b[i] == close {
                        if close != UInt8(ascii: "]"), i + 1 < b.count, b[i + 1] == close { i += 2; continue }
                        break
                    }
                    i += 1
                }
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth < 0 { throw bad("a ')' closes more than the predicate opened") }
            case UInt8(ascii: ";"): throw bad("';' is not allowed: give one expression")
            case UInt8(ascii: "-") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "-"):
                throw bad("comments are not allowed")
            case UInt8(ascii: "/") where i + 1 < b.count && b[i + 1] == UInt8(ascii: "*"):
                throw bad("comments are not allowed")
            default: break
            }
            i += 1
        }
        if depth != 0 { throw bad("unbalanced parentheses") }
    }
}
