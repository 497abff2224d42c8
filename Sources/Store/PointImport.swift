import Foundation

/// Reads external (N, D, loss) observations from CSV or JSON, validating every row before
/// anything is written, so a bad file leaves the database as it was.
///
/// Columns are matched by header name, case-insensitively: `N` (or `params`), `D` (or
/// `tokens`), `loss`, and optionally `compute` (or `C`, `flops`) and `downstream_error`
/// (or `error`, `err`). Other columns are ignored.
public enum PointImport {
    static let aliases: [(field: String, names: [String], required: Bool)] = [
        ("N", ["n", "params", "parameters"], true),
        ("D", ["d", "tokens"], true),
        ("loss", ["loss"], true),
        ("compute", ["compute", "c", "flops"], false),
        ("downstream_error", ["downstream_error", "error", "err"], false),
        ("source", ["source"], false),
    ]

    /// Parses `path` (.json or CSV by extension) into points labelled `source` (or the file's own
    /// `source` column when `source` is nil).
    public static func read(path: String, source: String?) throws -> [PointRecord] {
        let name = (path as NSString).lastPathComponent
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.badInput("\(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.badInput("\(path): cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError.badInput("\(name): not UTF-8 text")
        }
        let rows: [(line: Int, fields: [String: String])]
        if path.lowercased().hasSuffix(".json") {
            rows = try jsonRows(text, name: name)
        } else {
            rows = try csvRows(text, name: name)
        }
        guard !rows.isEmpty else { throw StoreError.badInput("\(name): no data rows") }
        let available = Set(rows[0].fields.keys)
        for a in aliases where a.required && !available.contains(a.field) {
            throw StoreError.badInput("\(name): missing column '\(a.field)' (accepted names: \(a.names.joined(separator: ", ")))")
        }
        return try rows.map { row in
            func number(_ key: String, positive: Bool) throws -> Double? {
                guard let raw = row.fields[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                    if positive { throw StoreError.badInput("\(name) line \(row.line): \(key) is empty") }
                    return nil
                }
                guard let v = Double(raw), v.isFinite else {
                    throw StoreError.badInput("\(name) line \(row.line): \(key)='\(raw)' is not a finite number")
                }
                if positive && v <= 0 {
                    throw StoreError.badInput("\(name) line \(row.line): \(key) must be > 0 (got \(raw))")
                }
                return v
            }
            let label = source ?? row.fields["source"] ?? ""
            guard !label.isEmpty else {
                throw StoreError.badInput("\(name): no source label (pass --source NAME)")
            }
            let compute = try number("compute", positive: false)
            if let c = compute, c <= 0 {
                throw StoreError.badInput("\(name) line \(row.line): compute must be > 0 (got \(c))")
            }
            return PointRecord(source: label, n: try number("N", positive: true)!, d: try number("D", positive: true)!,
                               loss: try number("loss", positive: true)!, compute: compute,
                               downstreamError: try number("downstream_error", positive: false))
        }
    }

    static func canonical(_ header: String) -> String? {
        let h = header.trimmingCharacters(in: .whitespaces).lowercased()
        return aliases.first { $0.names.contains(h) }?.field
    }

    static func csvRows(_ text: String, name: String) throws -> [(line: Int, fields: [String: String])] {
        let records = CSV.parse(text)
        guard let header = records.first else { throw StoreError.badInput("\(name): empty file") }
        let keys = header.fields.map(canonical)
        return try records.dropFirst().map { rec in
            guard rec.fields.count == header.fields.count else {
                throw StoreError.badInput(
                    "\(name) line \(rec.line): \(rec.fields.count) fields, header has \(header.fields.count)")
            }
            var m: [String: String] = [:]
            for (k, v) in zip(keys, rec.fields) { if let k { m[k] = v } }
            return (rec.line, m)
        }
    }

    static func jsonRows(_ text: String, name: String) throws -> [(line: Int, fields: [String: String])] {
        let parsed: JSONText.Value
        do { parsed = try JSONText.parse(text) } catch {
            throw StoreError.badInput("\(name): not valid JSON (\(error))")
        }
        guard let list = parsed.array ?? parsed["rows"]?.array else {
            throw StoreError.badInput("\(name): expected a JSON array of objects or {\"rows\": [...]}")
        }
        return try list.enumerated().map { i, item in
            guard let obj = item.members else {
                throw StoreError.badInput("\(name) row \(i + 1): not a JSON object")
            }
            var m: [String: String] = [:]
            for (k, v) in obj {
                guard let key = canonical(k) else { continue }
                switch v {
                case .null: continue
                case .string(let s): m[key] = s
                case .number(let d): m[key] = "\(d)"
                case .int(let n): m[key] = String(n)
                default: m[key] = JSONText.render(v)
                }
            }
            return (i + 1, m)
        }
    }
}
