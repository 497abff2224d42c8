import Foundation
import Store
import Tabular

/// Renders query results for people (aligned table) and for programs (CSV, one-line JSON).
enum TableOutput {
    static func render(_ r: QueryResult, as format: OutputFormat, extra: [(String, JSONText.Value)] = []) -> String {
        switch format {
        case .json: return JSONText.render(JSONText.object(r, extra: extra))
        case .csv:
            return ([CSV.line(r.columns)] + r.rows.map { CSV.line($0.map(csvField)) }).joined(separator: "\n")
        case .table: return table(r)
        }
    }

    static func csvField(_ v: SQLValue) -> String {
        if case .real(let d) = v { return SQLValue.format(d) }
        return v.description
    }

    /// Human-readable: numbers to 6 significant digits, right-aligned; text left-aligned and clipped.
    static func table(_ r: QueryResult) -> String {
        let cells: [[String]] = r.rows.map { row in row.map(cell) }
        var widths = r.columns.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        let numeric: [Bool] = r.columns.indices.map { i in
            r.rows.allSatisfy { row in
                switch row[i] { case .integer, .real, .null: return true; default: return false }
            }
        }
        func pad(_ s: String, _ i: Int) -> String {
            let gap = String(repeating: " ", count: widths[i] - s.count)
            return numeric[i] ? gap + s : s + gap
        }
        var lines = [r.columns.enumerated().map { pad($1, $0) }.joined(separator: "  ")]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in cells { lines.append(row.enumerated().map { pad($1, $0) }.joined(separator: "  ")) }
        lines.append("(\(r.rows.count) row\(r.rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n")
    }

    static func cell(_ v: SQLValue) -> String {
        switch v {
        case .real(let d): return formatNumber(d)
        case .text(let s):
            let flat = s.replacingOccurrences(of: "\n", with: " ")
            return flat.count > 60 ? String(flat.prefix(57)) + "..." : flat
        default: return v.description
        }
    }
}

/// 6 significant digits, scientific outside [1e-4, 1e7).
func formatNumber(_ d: Double) -> String {
    guard d.isFinite else { return SQLValue.format(d) }
    if d == 0 { return "0" }
    let a = abs(d)
    if a >= 1e7 || a < 1e-4 { return String(format: "%.5e", d) }
    var s = String(format: "%.6g", d)
    if s.contains("e") { s = String(format: "%.5e", d) }
    return s
}
