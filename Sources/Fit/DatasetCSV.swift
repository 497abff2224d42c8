import Foundation

extension Dataset {
    /// Reads a headered, comma-separated table (no quoted commas) such as the reference
    /// `chinchilla_points.csv`: `inputColumns` become x (in that order), `targetColumn` becomes y.
    public init(csv text: String, inputColumns: [String], targetColumn: String) throws {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw FitError.invalidData("empty CSV") }
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws -> Int {
            guard let k = header.firstIndex(of: name) else {
                throw FitError.invalidData("CSV has no column \(name) (columns: \(header.joined(separator: ", ")))")
            }
            return k
        }
        let xs = try inputColumns.map(column)
        let yk = try column(targetColumn)
        var x: [[Double]] = [], y: [Double] = []
        for (i, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            func value(_ k: Int) throws -> Double {
                guard k < cells.count, let v = Double(cells[k].trimmingCharacters(in: .whitespaces)) else {
                    throw FitError.invalidData("CSV line \(i + 2): column \(header[k]) is not a number")
                }
                return v
            }
            x.append(try xs.map(value))
            y.append(try value(yk))
        }
        self.init(x: x, y: y)
    }

    /// The rows sorted by target, without the `count` largest (Besiroglu et al. 2024 drop the 5
    /// highest-loss Chinchilla points as outliers). Row order is otherwise preserved.
    public func droppingLargestTargets(_ count: Int) -> Dataset {
        let drop = Set(y.indices.sorted { y[$0] > y[$1] }.prefix(count))
        return subset(y.indices.filter { !drop.contains($0) })
    }
}
