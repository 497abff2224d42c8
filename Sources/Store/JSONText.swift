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

    /// Parses JSON text. Numbers go through Swift's correctly rounded `Double(String)`, so a
    /// value written by `render` reads back bit for bit (Foundation's parser on Linux does not).
    public static func parse(_ text: String) throws -> Value {
        var p = JSONParser(Array(text.utf8))
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.b.count else { throw JSONParseError(offset: p.i) }
        return v
    }
}

public struct JSONParseError: Error, CustomStringConvertible {
    public let offset: Int
    public var reason: String? = nil
    public var description: String { "invalid JSON at byte \(offset)" + (reason.map { ": \($0)" } ?? "") }
}

extension JSONText.Value {
    public subscript(key: String) -> JSONText.Value? {
        if case .object(let o) = self { return o.first { $0.0 == key }?.1 }
        return nil
    }
    public var double: Double? {
        switch self {
        case .number(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var array: [JSONText.Value]? { if case .array(let a) = self { return a }; return nil }
    public var members: [(String, JSONText.Value)]? { if case .object(let o) = self { return o }; return nil }
}

/// A recursive-descent reader whose recursion is bounded: arrays and objects nest at most
/// `maxDepth` deep, so hostile input (100,000 `[`) is an error, never a stack overflow, and no
/// value deep enough to overflow the stack when it is destroyed is ever built.
struct JSONParser {
    static let maxDepth = 512
    let b: [UInt8]
    var i = 0
    var depth = 0
    init(_ b: [UInt8]) { self.b = b }

    /// Enters one array or object level, refusing to go deeper than `maxDepth`.
    mutating func descend() throws {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw JSONParseError(offset: i, reason: "nested deeper than \(Self.maxDepth) levels")
        }
    }

    mutating func skipSpace() { while i < b.count, [0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 } }
    func fail() -> JSONParseError { JSONParseError(offset: i) }

    mutating func literal(_ s: String, _ v: JSONText.Value) throws -> JSONText.Value {
        let u = Array(s.utf8)
        guard i + u.count <= b.count, Array(b[i..<i + u.count]) == u else { throw fail() }
        i += u.count
        return v
    }

    mutating func value() throws -> JSONText.Value {
        skipSpace()
        guard i < b.count else { throw fail() }
        switch b[i] {
        case UInt8(ascii: "{"):
            try descend()
            defer { depth -= 1 }
            i += 1
            var members: [(String, JSONText.Value)] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard case .string(let key) = try value() else { throw fail() }
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail() }
                i += 1
                members.append((key, try value()))
                skipSpace()
                guard i < b.count else { throw fail() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail()
            }
        case UInt8(ascii: "["):
            try descend()
            defer { depth -= 1 }
            i += 1
            var items: [JSONText.Value] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                guard i < b.count else { throw fail() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail()
            }
        case UInt8(ascii: "\""):
            i += 1
            var out = [UInt8]()
            while i < b.count, b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "\\") {
                    i += 1
                    guard i < b.count else { throw fail() }
                    switch b[i] {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard i + 4 < b.count, let code = UInt32(String(decoding: b[(i + 1)...(i + 4)], as: UTF8.self), radix: 16)
                        else { throw fail() }
                        out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "?").utf8))
                        i += 4
                    default: out.append(b[i])
                    }
                } else {
                    out.append(b[i])
                }
                i += 1
            }
            guard i < b.count else { throw fail() }
            i += 1
            return .string(String(decoding: out, as: UTF8.self))
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default:
            let start = i
            while i < b.count, "+-0123456789.eE".utf8.contains(b[i]) { i += 1 }
            let text = String(decoding: b[start..<i], as: UTF8.self)
            if let n = Int64(text) { return .int(n) }
            guard let d = Double(text) else { i = start; throw fail() }
            return .number(d)
        }
    }
}
