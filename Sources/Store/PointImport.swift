import Foundation
import Tabular

/// Reads external observations from CSV, JSON Lines or JSON, validating every row before
/// anything is written, so a bad file leaves the database as it was.
///
/// Two kinds of rows: `(N, D, loss)` points for the size laws (Chinchilla, IsoFLOP,
/// over-training), and `(loss, downstream_error)` pairs for the downstream law (Gadre et al.
/// 2024), which needs no N or D. Columns are matched by header name, case-insensitively, with
/// the aliases below; other columns are ignored. Values are decimal numbers in range: N, D,
/// loss and compute finite and > 0, downstream_error a fraction in [0, 1].
public enum PointImport {
    static let n = ColumnSpec("N", aliases: ["n", "params", "n_params", "parameters"])
    static let d = ColumnSpec("D", aliases: ["d", "tokens", "d_tokens"])
    static let loss = ColumnSpec("loss", aliases: ["loss", "val_loss", "val/loss"])
    static let compute = ColumnSpec("compute", aliases: ["compute", "flops", "c"])
    static let downstream = ColumnSpec("downstream_error", aliases: ["downstream_error", "error", "err"])
    static let source = ColumnSpec("source", aliases: ["source"])

    /// Parses `path` (`.json` array, `.jsonl` lines, else CSV) into points labelled `source`
    /// (or the file's own `source` column when `source` is nil).
    public static func read(path: String, source label: String?) throws -> [PointRecord] {
        let table: DataTable
        if path.lowercased().hasSuffix(".json") {
            table = try jsonTable(path: path)
        } else {
            table = try DataTable.read(path: path)
        }
        return try points(table, source: label)
    }

    /// The points of a table; see the type's documentation for the rules.
    public static func points(_ t: DataTable, source label: String?) throws -> [PointRecord] {
        guard !t.rows.isEmpty else { throw t.error(0, "no data rows") }
        let nk = try t.column(n), dk = try t.column(d)
        let lk = try t.requiredColumn(loss)
        let ck = try t.column(compute), ek = try t.column(downstream), sk = try t.column(source)
        switch (nk, dk) {
        case (.some, nil), (nil, .some):
            let (has, lacks) = nk != nil ? (n, d) : (d, n)
            throw t.error(t.headerLine, "\(has.field == "N" ? "an" : "a") \(has.field) column but no \(lacks.field) column (accepted names: \(lacks.accepted)); import N and D together, or neither for (loss, downstream_error) pairs")
        case (nil, nil) where ek == nil:
            throw t.error(t.headerLine, "no N and D columns (accepted names: \(n.accepted); \(d.accepted)) and no downstream_error column (\(downstream.accepted)): import (N, D, loss) points or (loss, downstream_error) pairs")
        default: break
        }
        return try t.rows.map { row in
            func value(_ k: Int?, required: Bool) throws -> Double? {
                guard let k else { return nil }
                guard let v = try t.number(row, k) else {
                    if required { throw t.error(row.line, "\(t.columns[k]) is empty") }
                    return nil
                }
                return v
            }
            func positive(_ k: Int?, required: Bool) throws -> Double? {
                guard let v = try value(k, required: required) else { return nil }
                guard v > 0 else { throw t.error(row.line, "\(t.columns[k!]) must be > 0 (got \(v))") }
                return v
            }
            // A row may leave both N and D empty (a pair, as `export` writes one), never just one.
            let n = try positive(nk, required: false), d = try positive(dk, required: false)
            if let k = n == nil ? nk : dk, (n == nil) != (d == nil) {
                throw t.error(row.line, "\(t.columns[k]) is empty (give N and D, or leave both empty for a (loss, downstream_error) pair)")
            }
            let err = try value(ek, required: n == nil)
            if n == nil && ek == nil { throw t.error(row.line, "N and D are empty and there is no downstream_error column") }
            if let err, !(0...1).contains(err) {
                throw t.error(row.line, "\(t.columns[ek!]) must be a fraction in [0, 1] (got \(err))")
            }
            let fileLabel = sk.flatMap { row.cells[$0]?.trimmingCharacters(in: .whitespaces) }
            guard let name = label ?? fileLabel, !name.isEmpty else {
                throw t.error(row.line, "no source label (pass --source NAME)")
            }
            return PointRecord(source: name, n: n, d: d,
                               loss: try positive(lk, required: true)!, compute: try positive(ck, required: false),
                               downstreamError: err)
        }
    }

    /// A JSON array of objects, or `{"rows": [...]}` as `scalefit export --format json` writes,
    /// as a table whose rows are numbered (errors say `row K`, JSON has no useful line).
    static func jsonTable(path: String) throws -> DataTable {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            _ = try DataTable.read(path: path)  // the reader's error for a missing or unreadable file
            throw TableFileError(file: path, line: 0, message: "not UTF-8 text")
        }
        let parsed: JSONText.Value
        do { parsed = try JSONText.parse(text) } catch {
            throw TableFileError(file: path, line: 0, message: "not valid JSON (\(error))")
        }
        guard let list = parsed.array ?? parsed["rows"]?.array else {
            throw TableFileError(file: path, line: 0, message: "expected a JSON array of objects or {\"rows\": [...]}")
        }
        var columns: [String] = [], position: [String: Int] = [:]
        var rows: [DataTable.Row] = []
        for (i, item) in list.enumerated() {
            guard let obj = item.members else {
                throw TableFileError(file: path, line: 0, message: "row \(i + 1): not a JSON object")
            }
            var cells = [String?](repeating: nil, count: columns.count)
            for (k, v) in obj {
                if position[k] == nil {
                    position[k] = columns.count
                    columns.append(k)
                    cells.append(nil)
                }
                switch v {
                case .null: continue
                case .string(let s): cells[position[k]!] = s
                case .number(let d): cells[position[k]!] = "\(d)"
                case .int(let n): cells[position[k]!] = String(n)
                default: throw TableFileError(file: path, line: 0, message: "row \(i + 1): the value of '\(k)' is not a number, string or null")
                }
            }
            rows.append(DataTable.Row(line: i + 1, cells: cells))
        }
        for k in rows.indices where rows[k].cells.count < columns.count {
            rows[k].cells += [String?](repeating: nil, count: columns.count - rows[k].cells.count)
        }
        return DataTable(file: path, columns: columns, headerLine: 0, rows: rows, rowsAreRecords: true)
    }
}
