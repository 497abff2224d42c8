import Foundation

/// One SQLite value, as read from or bound to a statement.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return SQLValue.format(d)
        case .text(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .text(let s): return Double(s)
        default: return nil
        }
    }

    public var int64Value: Int64? {
        switch self {
        case .integer(let i): return i
        case .real(let d): return d.isFinite ? Int64(exactly: d.rounded()) : nil
        case .text(let s): return Int64(s)
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .text(let s) = self { return s }
        if case .null = self { return nil }
        return description
    }

    public var isNull: Bool { self == .null }

    /// Shortest text that reads back to the same Double (Swift's description round-trips).
    public static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        return "\(d)"
    }
}

extension Optional where Wrapped == Double {
    var sql: SQLValue { self.map { $0.isFinite ? .real($0) : .null } ?? .null }
}
extension Optional where Wrapped == Int {
    var sql: SQLValue { self.map { .integer(Int64($0)) } ?? .null }
}
extension Optional where Wrapped == Int64 {
    var sql: SQLValue { self.map { .integer($0) } ?? .null }
}
extension Optional where Wrapped == String {
    var sql: SQLValue { self.map { .text($0) } ?? .null }
}
