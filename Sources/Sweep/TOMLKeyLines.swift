/// The line on which every key of a TOML document is defined, as a map from the key's full
/// dotted path (`["models", "shapes"]`) to its 1-based line.
///
/// TOMLKit (toml++) parses the document but does not expose where a value came from, and spec
/// errors must name the key's line. This scanner walks the text once, following TOML 1.0's
/// lexical rules closely enough to find keys: `[table]` and `[[array]]` headers, dotted keys
/// (bare, "basic" and 'literal' parts), inline tables (whose keys are recorded under the key they
/// belong to), arrays spanning lines, all four string forms (so a `#`, `=` or `[` inside a string
/// is not mistaken for syntax), comments and CRLF. It does not report syntax errors in general;
/// on text toml++ rejects it just must not lose its place (it always advances).
///
/// It does report the two inputs toml++ 3.4 does not check before an internal assertion (which
/// aborts the process in a debug build and is undefined behaviour in a release build): a table
/// header whose first character cannot start a key (`[{`, `[.a]`, `[[[`, `[` then a line break),
/// and a date followed by a `T` and no time (`1979-05-27T:`). `SpecFile` runs the scan first and
/// refuses such text with `hazard` before toml++ sees it. On valid TOML neither occurs.
struct TOMLKeyLines {
    private(set) var lines: [[String]: Int] = [:]
    /// The first place toml++ would hit an unchecked assertion: its line and what is wrong.
    private(set) var hazard: (line: Int, message: String)?
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1

    init(_ text: String) {
        bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        scanDocument()
    }

    /// The line of `path`, else of its nearest recorded parent (a table header or dotted prefix).
    func line(of path: [String]) -> Int? {
        var p = path
        while !p.isEmpty {
            if let l = lines[p] { return l }
            p.removeLast()
        }
        return nil
    }

    private var current: UInt8? { i < bytes.count ? bytes[i] : nil }
    private func peek(_ k: Int) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    private mutating func advance() {
        if bytes[i] == UInt8(ascii: "\n") { line += 1 }
        i += 1
    }

    /// Records `path` and each of its prefixes the first time they appear.
    private mutating func record(_ path: [String], at l: Int) {
        for k in 1...max(1, path.count) where k <= path.count {
            let p = Array(path.prefix(k))
            if lines[p] == nil { lines[p] = l }
        }
    }

    private mutating func skipSpaces() {
        while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { i += 1 }
    }

    /// Spaces, line breaks and comments (between statements and between array elements).
    private mutating func skipBlank() {
        while let c = current {
            if c == UInt8(ascii: "#") {
                while let d = current, d != UInt8(ascii: "\n") { i += 1 }
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                advance()
            } else {
                return
            }
        }
    }

    private mutating func scanDocument() {
        var table: [String] = []
        while true {
            skipBlank()
            guard let c = current else { return }
            let start = i
            let l = line
            if c == UInt8(ascii: "[") {
                let isArray = peek(1) == UInt8(ascii: "[")
                i += isArray ? 2 : 1
                skipSpaces()
                if let k = current, !Self.isBare(k), k != UInt8(ascii: "\""), k != UInt8(ascii: "'"), k != UInt8(ascii: "]") {
                    flag("a table header must start with a key, saw \(Self.shown(k))", at: l)
                }
                table = scanKey()
                record(table, at: l)
                skipSpaces()
                while current == UInt8(ascii: "]") { i += 1 }
            } else {
                let key = scanKey()
                if !key.isEmpty { record(table + key, at: l) }
                skipSpaces()
                if current == UInt8(ascii: "=") {
                    i += 1
                    scanValue(path: table + key)
                }
            }
            // Whatever is left on the line (a comment) is skipped by skipBlank; never stall.
            if i == start { advance() }
        }
    }

    /// A dotted key: bare, "basic" or 'literal' parts separated by dots (spaces allowed around them).
    private mutating func scanKey() -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { return parts }
            if c == UInt8(ascii: "\"") {
                parts.append(scanBasicString())
            } else if c == UInt8(ascii: "'") {
                parts.append(scanLiteralString())
            } else {
                let s = i
                while let d = current, Self.isBare(d) { i += 1 }
                if s == i { return parts }
                parts.append(String(decoding: bytes[s..<i], as: UTF8.self))
            }
            skipSpaces()
            guard current == UInt8(ascii: ".") else { return parts }
            i += 1
        }
    }

    private static func isBare(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// A value; keys of inline tables are recorded under `path` (nil inside arrays, whose
    /// elements have no key of their own).
    private mutating func scanValue(path: [String]?) {
        skipSpaces()
        guard let c = current else { return }
        switch c {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") { skipMultiline(quote: c) } else { _ = scanBasicString() }
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") { skipMultiline(quote: c) } else { _ = scanLiteralString() }
        case UInt8(ascii: "["):
            i += 1
            while true {
                skipBlank()
                guard let d = current else { return }
                if d == UInt8(ascii: "]") { i += 1; return }
                if d == UInt8(ascii: ",") { i += 1; continue }
                let before = i
                scanValue(path: nil)
                if i == before { advance() }
            }
        case UInt8(ascii: "{"):
            i += 1
            while true {
                skipSpaces()
                guard let d = current else { return }
                if d == UInt8(ascii: "}") { i += 1; return }
                if d == UInt8(ascii: ",") { i += 1; continue }
                let l = line
                let before = i
                let key = scanKey()
                if let path, !key.isEmpty { record(path + key, at: l) }
                skipSpaces()
                if current == UInt8(ascii: "=") {
                    i += 1
                    scanValue(path: path.map { $0 + key })
                }
                if i == before { advance() }
            }
        default:
            if isDateWithoutTime() { flag("a date followed by 'T' must have a time (HH:MM:SS)", at: line) }
            // Numbers, booleans, dates (which may hold one space: 1979-05-27 07:32:00).
            while let d = current, d != UInt8(ascii: ","), d != UInt8(ascii: "]"), d != UInt8(ascii: "}"),
                  d != UInt8(ascii: "\n"), d != UInt8(ascii: "\r"), d != UInt8(ascii: "#") { i += 1 }
        }
    }

    private mutating func flag(_ message: String, at l: Int) {
        if hazard == nil { hazard = (l, message) }
    }

    /// `YYYY-MM-DD` then `T` or `t` and no digit: toml++ then parses a time it assumes starts with one.
    private func isDateWithoutTime() -> Bool {
        func digit(_ k: Int) -> Bool { peek(k).map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        guard (0..<4).allSatisfy(digit), peek(4) == UInt8(ascii: "-"), digit(5), digit(6), peek(7) == UInt8(ascii: "-"),
              digit(8), digit(9), peek(10) == UInt8(ascii: "T") || peek(10) == UInt8(ascii: "t") else { return false }
        return !digit(11)
    }

    /// A byte as an error message shows it: printable ASCII quoted, anything else as its code.
    private static func shown(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + (c < 16 ? "0" : "") + String(c, radix: 16, uppercase: true)
    }

    /// A "basic" string with its escapes decoded (keys may be quoted).
    private mutating func scanBasicString() -> String {
        i += 1
        var out: [UInt8] = []
        while let c = current, c != UInt8(ascii: "\""), c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\\"), let e = peek(1) {
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "u") ? 4 : 8
                    let hex = String(decoding: bytes[i..<min(i + n, bytes.count)], as: UTF8.self)
                    if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) { out += Array(String(scalar).utf8) }
                    i = min(i + n, bytes.count)
                default: out.append(e)
                }
            } else {
                out.append(c)
                i += 1
            }
        }
        if current == UInt8(ascii: "\"") { i += 1 }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func scanLiteralString() -> String {
        i += 1
        let s = i
        while let c = current, c != UInt8(ascii: "'"), c != UInt8(ascii: "\n") { i += 1 }
        let out = String(decoding: bytes[s..<i], as: UTF8.self)
        if current == UInt8(ascii: "'") { i += 1 }
        return out
    }

    /// A """multi-line basic""" or '''multi-line literal''' string, counting the lines it spans.
    /// It may end with up to two extra quotes (`""""` is a quote then the delimiter).
    private mutating func skipMultiline(quote q: UInt8) {
        i += 3
        while let c = current {
            if q == UInt8(ascii: "\""), c == UInt8(ascii: "\\") {
                advance()
                if current != nil { advance() }
                continue
            }
            if c == q, peek(1) == q, peek(2) == q {
                i += 3
                var extra = 0
                while current == q, extra < 2 { i += 1; extra += 1 }
                return
            }
            advance()
        }
    }
}
