import Foundation

/// Writes JSON text with keys in the order given (JSONSerialization sorts or scrambles them,
/// and column order matters to people reading output). Non-finite numbers become null.
public enum JSONText {
    public indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(Double)
        case int(Int64)
        case string(String)
        case array([Value])
        case object([(String, Value)])

        public static func == (a: Value, b: Value) -> Bool { JSONText.render(a) == JSONText.render(b) }
    }

    public static func render(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d.isFinite ? "\(d)" : "null"
        case .int(let i): return String(i)
        case .string(let s): return quote(s)
        case .array(let a): return "[" + a.map(render).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { quote($0.0) + ":" + render($0.1) }.joined(separator: ",") + "}"
        }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    public static func from(_ v: SQLValue) -> Value {
        switch v {
        case .null: return .null
        case .integer(let i): return .int(i)
        case .real(let d): return .number(d)
        case .text(let s): return .string(s)
        case .blob(let b): return .string(b.base64EncodedString())
        }
    }

    /// A query result as one object: {"columns": [...], "rows": [{column: value}, ...]}.
    public static func object(_ r: QueryResult, extra: [(String, Value)] = []) -> Value {
        let rows: [Value] = r.rows.map { row in .object(zip(r.columns, row).map { ($0, from($1)) }) }
        return .object(extra + [("columns", .array(r.columns.map { .string($0) })), ("rows", .array(rows))])
    }

    /// Parses JSON text into Foundation objects (numbers as NSNumber).
    public static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}
