import Foundation

/// The subset of TOML that sweep specs use: `[section]` headers, `key = value` lines with
/// numbers, "strings", booleans and (possibly multi-line) arrays of those, and `#` comments.
/// Hand-written rather than a full TOML library so every error can name the key and line.
public struct SpecFile: Sendable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case array([Value])
    }

    public struct Entry: Sendable {
        public var section: String
        public var key: String
        public var value: Value
        public var line: Int
    }

    public var entries: [Entry] = []
    public var name: String

    public init(text: String, name: String) throws {
        self.name = name
        var section = ""
        var lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let lineNo = i + 1
            var line = SpecFile.stripComment(lines[i]).trimmingCharacters(in: .whitespaces)
            i += 1
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw SpecError(file: name, line: lineNo, "malformed section header '\(line)'") }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw SpecError(file: name, line: lineNo, "expected 'key = value', got '\(line)'")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw SpecError(file: name, line: lineNo, "bad key '\(key)'")
            }
            var raw = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            // Multi-line arrays: keep reading until the brackets balance.
            while raw.hasPrefix("[") && SpecFile.depth(raw) > 0 && i < lines.count {
                raw += " " + SpecFile.stripComment(lines[i]).trimmingCharacters(in: .whitespaces)
                i += 1
            }
            line = raw
            if entries.contains(where: { $0.section == section && $0.key == key }) {
                throw SpecError(file: name, line: lineNo, "key '\(key)' appears twice")
            }
            var p = Substring(raw)
            let value = try SpecFile.parseValue(&p, file: name, line: lineNo, key: key)
            guard p.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw SpecError(file: name, line: lineNo, "unexpected text after the value of '\(key)': '\(p)'")
            }
            entries.append(Entry(section: section, key: key, value: value, line: lineNo))
        }
        lines.removeAll()
    }

    static func stripComment(_ s: String) -> String {
        var inString = false
        for (i, c) in s.enumerated() {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(s.prefix(i)) }
        }
        return s
    }

    static func depth(_ s: String) -> Int {
        var d = 0, inString = false
        for c in s {
            if c == "\"" { inString.toggle() }
            if inString { continue }
            if c == "[" { d += 1 }
            if c == "]" { d -= 1 }
        }
        return d
    }

    static func parseValue(_ p: inout Substring, file: String, line: Int, key: String) throws -> Value {
        p = p.drop(while: { $0 == " " || $0 == "\t" })
        guard let c = p.first else { throw SpecError(file: file, line: line, "key '\(key)' has no value") }
        if c == "\"" {
            p = p.dropFirst()
            guard let end = p.firstIndex(of: "\"") else { throw SpecError(file: file, line: line, "unterminated string in '\(key)'") }
            let s = String(p[..<end])
            p = p[p.index(after: end)...]
            return .string(s)
        }
        if c == "[" {
            p = p.dropFirst()
            var items: [Value] = []
            while true {
                p = p.drop(while: { $0 == " " || $0 == "\t" })
                if p.first == "]" { p = p.dropFirst(); return .array(items) }
                items.append(try parseValue(&p, file: file, line: line, key: key))
                p = p.drop(while: { $0 == " " || $0 == "\t" })
                if p.first == "," { p = p.dropFirst(); continue }
                if p.first == "]" { p = p.dropFirst(); return .array(items) }
                throw SpecError(file: file, line: line, "malformed array in '\(key)'")
            }
        }
        let token = p.prefix(while: { !",] \t".contains($0) })
        p = p.dropFirst(token.count)
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        if let d = Double(token.replacingOccurrences(of: "_", with: "")), d.isFinite { return .number(d) }
        throw SpecError(file: file, line: line, "value of '\(key)' is not a number, string, boolean or array: '\(token)'")
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
    public var description: String {
        if let line { return "\(file) line \(line): \(message)" }
        return "\(file): \(message)"
    }
}
