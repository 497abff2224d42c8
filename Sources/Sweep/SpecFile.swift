import Foundation
import TOMLKit

/// A sweep spec file read as TOML 1.0 (TOMLKit, a wrapper around toml++): basic and 'literal'
/// strings, inline tables, dotted keys, multi-line arrays, comments anywhere, CRLF. The parsed
/// document is flattened to entries `(section, key, value, line)`: `[models] shapes = [...]`,
/// `models.shapes = [...]` and `models = { shapes = [...] }` are the same entry. The line comes
/// from `TOMLKeyLines`, an index kept beside the parsed table, so every error names the key and
/// its line. A table nested inside a section is a `.table` value (`[models.extra]` is key
/// `extra` of `[models]`), reported as unknown or as the wrong type.
public struct SpecFile: Sendable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case array([Value])
        /// A table where a value was expected (or an empty section): always an error or skipped.
        case table
    }

    public struct Entry: Sendable {
        public var section: String
        public var key: String
        public var value: Value
        public var line: Int
    }

    /// Entries in the order of their lines in the file.
    public var entries: [Entry] = []
    public var name: String

    public init(text: String, name: String) throws {
        self.name = name
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = text.utf8[..<nul].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw SpecError(file: name, line: line, "the spec contains a NUL byte")
        }
        // Scanned first: text toml++ would assert on never reaches it (see `TOMLKeyLines.hazard`).
        let index = TOMLKeyLines(text)
        if let h = index.hazard { throw SpecError(file: name, line: h.line, "not valid TOML: \(h.message)") }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw SpecError(file: name, line: e.source.begin.line, Self.message(e.description))
        }
        func add(_ section: String, _ key: String, _ v: TOMLValueConvertible, path: [String]) throws {
            let l = index.line(of: path) ?? 1
            let value: Value = v.type == .table ? .table : try Self.value(v, key: key, line: l, file: name)
            entries.append(Entry(section: section, key: key, value: value, line: l))
        }
        for key in table.keys {
            guard let value = table[key] else { continue }
            guard let section = value.table else {
                try add("", key, value, path: [key])
                continue
            }
            // An empty section is an entry of its own so an unknown one is still reported.
            if section.isEmpty { try add("", key, value, path: [key]) }
            for sub in section.keys {
                if let v = section[sub] { try add(key, sub, v, path: [key, sub]) }
            }
        }
        entries.sort { ($0.line, $0.section, $0.key) < ($1.line, $1.section, $1.key) }
    }

    /// toml++'s message, said the way the rest of the spec errors say it.
    static func message(_ description: String) -> String {
        let flat = description.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let r = flat.range(of: "cannot redefine existing "), let q = flat[r.upperBound...].firstIndex(of: "'") {
            return "key \(flat[q...]) appears twice"
        }
        return "not valid TOML: \(flat)"
    }

    /// A TOML value as a spec value. Tables inside arrays, dates and times have no meaning in a
    /// spec; `inf` and `nan` (valid TOML floats) are never a size, budget or rate.
    private static func value(_ v: TOMLValueConvertible, key: String, line: Int, file: String) throws -> Value {
        func fail(_ m: String) -> SpecError { SpecError(file: file, line: line, "'\(key)': \(m)") }
        switch v.type {
        case .bool: return .bool(v.bool ?? false)
        case .int: return .number(Double(v.int ?? 0))
        case .double:
            let d = v.double ?? .nan
            guard d.isFinite else { throw fail("expected a finite number (got \(d))") }
            return .number(d)
        case .string: return .string(v.string ?? "")
        case .array:
            guard let a = v.array else { return .array([]) }
            return .array(try a.map { try value($0, key: key, line: line, file: file) })
        case .table: throw fail("expected a number, string or boolean, not a table")
        default: throw fail("expected a number, string, boolean or array, not a \(v.type)")
        }
    }
}

/// A spec problem, always naming the file, the line and (where there is one) the key.
public struct SpecError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    public init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
    /// One line: line breaks inside a quoted value are shown as `\n`.
    public var description: String {
        let m = message.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        if let line { return "\(file) line \(line): \(m)" }
        return "\(file): \(m)"
    }
}
