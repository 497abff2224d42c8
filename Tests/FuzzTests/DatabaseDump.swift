import Foundation
import Store

/// A canonical text of every table in a database (schema and rows, rows sorted), opened read-only:
/// equal dumps before and after a command mean the command changed nothing.
enum DatabaseDump {
    static func canonical(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "<no database>" }
        let c = try Store.openReadOnly(path: path)
        let schema = try c.rows("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        var out = schema.map { $0.map(\.description).joined(separator: "|") }
        for row in schema where row.first?.description == "table" {
            let name = row[1].description
            let rows = try c.rows("SELECT * FROM \"\(name)\"").map { $0.map(\.description).joined(separator: "\u{1f}") }
            out.append("## \(name) \(rows.count)")
            out += rows.sorted()
        }
        return out.joined(separator: "\n")
    }
}
