import Foundation
import Tabular

extension Dataset {
    /// Reads a headered CSV table such as the reference `chinchilla_points.csv` (through the one
    /// CSV reader, `Tabular.CSV`): `inputColumns` become x (in that order), `targetColumn`
    /// becomes y; columns are matched case-insensitively, every cell must be a decimal number.
    public init(csv text: String, inputColumns: [String], targetColumn: String, file: String = "<csv>") throws {
        let t = try DataTable.csv(text, file: file)
        let ks = try (inputColumns + [targetColumn]).map { try t.requiredColumn(ColumnSpec($0, aliases: [$0.lowercased()])) }
        var x: [[Double]] = [], y: [Double] = []
        for row in t.rows {
            let v = try ks.map { k -> Double in
                guard let v = try t.number(row, k) else { throw t.error(row.line, "\(t.columns[k]) is empty") }
                return v
            }
            x.append(Array(v.dropLast()))
            y.append(v.last!)
        }
        guard !y.isEmpty else { throw t.error(0, "no data rows after the header") }
        self.init(x: x, y: y)
    }

    /// The rows sorted by target, without the `count` largest (Besiroglu et al. 2024 drop the 5
    /// highest-loss Chinchilla points as outliers). Row order is otherwise preserved.
    public func droppingLargestTargets(_ count: Int) -> Dataset {
        let drop = Set(y.indices.sorted { y[$0] > y[$1] }.prefix(count))
        return subset(y.indices.filter { !drop.contains($0) })
    }
}
