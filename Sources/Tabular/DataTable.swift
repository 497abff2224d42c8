import Foundation

/// A table read from a data file: a header of column names and rows of cells, each row with the
/// physical line it came from. Every data file scalefit reads (imported points, loss curves,
/// LR traces, reference data) goes through this type, so they share one CSV reader, one JSON
/// Lines reader, one way of matching columns, one strict number syntax and one error style.
public struct DataTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        /// One cell per column; nil where a JSON Lines object lacks the key (or has null).
        public var cells: [String?]
        public init(line: Int, cells: [String?]) {
            self.line = line
            self.cells = cells
        }
    }

    /// The file as the user named it (what errors print).
    public var file: String
    /// Column names as written in the file (trimmed).
    public var columns: [String]
    /// The line of the header (0 for JSON Lines, whose keys come from every object).
    public var headerLine: Int
    public var rows: [Row]
    /// Rows numbered as records rather than lines (a JSON array): errors say `row K`.
    public var rowsAreRecords = false

    /// An error at `line` (0: the file as a whole), in the one style.
    public func error(_ line: Int, _ message: String) -> TableFileError {
        if rowsAreRecords && line > 0 { return TableFileError(file: file, line: 0, message: "row \(line): \(message)") }
        return TableFileError(file: file, line: line, message: message)
    }

    /// Reads `path`: JSON Lines when it ends in `.jsonl` or `.ndjson`, else CSV.
    public static func read(path: String) throws -> DataTable {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TableFileError(file: path, line: 0, message: "no such file")
        }
        guard !isDirectory.boolValue else { throw TableFileError(file: path, line: 0, message: "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TableFileError(file: path, line: 0, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TableFileError(file: path, line: 0, message: "not UTF-8 text")
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return try jsonLines(text, file: path) }
        return try csv(text, file: path)
    }

    /// A CSV table: the first record is the header; every row has as many fields as the header.
    /// Column names must be non-empty and distinct (case-insensitively: columns are matched so).
    public static func csv(_ text: String, file: String) throws -> DataTable {
        let records = try CSV.parse(text, file: file)
        guard let header = records.first else { throw TableFileError(file: file, line: 0, message: "empty file (expected a header line naming the columns)") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        try checkNames(names, file: file, line: header.line)
        var rows: [Row] = []
        rows.reserveCapacity(records.count - 1)
        for r in records.dropFirst() {
            guard r.fields.count == names.count else {
                throw TableFileError(file: file, line: r.line,
                                     message: "\(r.fields.count) fields, the header (line \(header.line)) has \(names.count)")
            }
            rows.append(Row(line: r.line, cells: r.fields))
        }
        return DataTable(file: file, columns: names, headerLine: header.line, rows: rows)
    }

    /// JSON Lines: one JSON object per line (blank lines skipped); the columns are every key
    /// seen, in order of first appearance. Numbers and strings are cells, null is a missing cell;
    /// nested values and booleans are errors naming the line and key.
    public static func jsonLines(_ text: String, file: String) throws -> DataTable {
        var columns: [String] = []
        var position: [String: Int] = [:]
        var lowered: [String: String] = [:]
        var rows: [Row] = []
        var lineNo = 0
        let body = text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? String(text.dropFirst()) : text
        for raw in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNo += 1
            if raw.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            func fail(_ m: String) -> TableFileError { TableFileError(file: file, line: lineNo, message: m) }
            let object: [String: JSONCell]
            do { object = try JSONDecoder().decode([String: JSONCell].self, from: Data(raw.utf8)) } catch let e as TableFileError {
                throw fail(e.message)
            } catch {
                throw fail("not a JSON object (each line of a .jsonl file is one object)")
            }
            var cells = [String?](repeating: nil, count: columns.count)
            for key in object.keys.sorted() {
                let name = key.trimmingCharacters(in: .whitespaces)
                if position[name] == nil {
                    if let other = lowered[name.lowercased()] {
                        throw fail("keys '\(other)' and '\(name)' differ only in case (columns are matched case-insensitively)")
                    }
                    position[name] = columns.count
                    lowered[name.lowercased()] = name
                    columns.append(name)
                    cells.append(nil)
                }
                cells[position[name]!] = object[key]?.text
            }
            rows.append(Row(line: lineNo, cells: cells))
        }
        guard !rows.isEmpty else { throw TableFileError(file: file, line: 0, message: "empty file (expected one JSON object per line)") }
        for k in rows.indices where rows[k].cells.count < columns.count {
            rows[k].cells += [String?](repeating: nil, count: columns.count - rows[k].cells.count)
        }
        return DataTable(file: file, columns: columns, headerLine: 0, rows: rows)
    }

    /// A table from already-parsed records (e.g. a JSON array of objects); `line` of each row is
    /// whatever locates it best (its row number).
    public init(file: String, columns: [String], headerLine: Int, rows: [Row], rowsAreRecords: Bool = false) {
        self.rowsAreRecords = rowsAreRecords
        self.file = file
        self.columns = columns
        self.headerLine = headerLine
        self.rows = rows
    }

    static func checkNames(_ names: [String], file: String, line: Int) throws {
        var seen: [String: Int] = [:]
        for (k, n) in names.enumerated() {
            guard !n.isEmpty else {
                throw TableFileError(file: file, line: line, message: "column \(k + 1) of the header has no name")
            }
            if let first = seen[n.lowercased()] {
                throw TableFileError(file: file, line: line,
                                     message: "column '\(n)' appears twice (columns \(first + 1) and \(k + 1))")
            }
            seen[n.lowercased()] = k
        }
    }
}

/// One value of a JSON Lines object, as the text of a cell.
struct JSONCell: Decodable {
    var text: String?

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { text = nil; return }
        if let d = try? c.decode(Double.self) {
            text = d.isFinite ? "\(d)" : nil
            return
        }
        if let s = try? c.decode(String.self) { text = s; return }
        let key = decoder.codingPath.last?.stringValue ?? "?"
        throw TableFileError(file: "", line: 0, message: "the value of '\(key)' is not a number, string or null")
    }
}
