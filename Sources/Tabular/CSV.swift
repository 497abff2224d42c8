/// The one CSV reader and writer of scalefit (RFC 4180): comma-separated fields, a field in
/// double quotes may hold commas, line breaks and doubled quotes (`""`); records end with CRLF,
/// LF or CR; a UTF-8 byte-order mark is dropped; blank lines are skipped. Every record keeps
/// the physical line it starts on, so errors point at the line a user sees in an editor.
/// Malformed quoting is an error, never a guess: an unterminated quote names the line where
/// its field started, text after a closing quote and a quote inside an unquoted field name
/// their line. Spaces around a quoted field are allowed (`1, "2"`); unquoted fields are kept
/// as written (the table layer trims them).
public enum CSV {
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Parses `text`; `file` names it in errors.
    public static func parse(_ text: String, file: String = "<csv>") throws -> [Record] {
        let b = Array(text.utf8)
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        func fail(_ l: Int, _ m: String) -> TableFileError { TableFileError(file: file, line: l, message: m) }
        /// Consumes one line break at i (CRLF counts once) and counts it.
        func lineBreak() {
            if b[i] == cr, i + 1 < b.count, b[i + 1] == lf { i += 1 }
            i += 1
            line += 1
        }
        func endRecord() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            if !(fields.count == 1 && fields[0].allSatisfy { $0 == " " || $0 == "\t" }) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
        }
        while i < b.count {
            let c = b[i]
            if c == 0 { throw fail(line, "NUL byte (not a text file?)") }
            if c == quote {
                // Only spaces may precede an opening quote in its field.
                guard field.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
                    throw fail(line, "quote inside an unquoted field (quote the whole field and double the quote: \"\")")
                }
                field = []
                let startLine = line
                i += 1
                var closed = false
                while i < b.count {
                    let d = b[i]
                    if d == quote {
                        if i + 1 < b.count, b[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    if d == 0 { throw fail(line, "NUL byte (not a text file?)") }
                    if d == cr || d == lf {
                        let s = i
                        lineBreak()
                        field += b[s..<i]
                        continue
                    }
                    field.append(d)
                    i += 1
                }
                guard closed else {
                    throw fail(startLine, "unterminated quote: the quoted field that starts on this line never closes")
                }
                while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                if i < b.count, b[i] != comma, b[i] != cr, b[i] != lf {
                    throw fail(line, "text after the closing quote of a field")
                }
                continue
            }
            if c == comma {
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
                i += 1
            } else if c == cr || c == lf {
                endRecord()
                lineBreak()
                recordLine = line
            } else {
                field.append(c)
                i += 1
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// Quotes a field when it needs it.
    public static func escape(_ s: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character equal to neither "\r" nor "\n".
        if s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// One CSV line (no line break) of `fields`.
    public static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") }
}
