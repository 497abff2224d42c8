import Foundation

/// A problem in a curve or LR file, located as `file:line: message` so the user can fix it.
public struct CurveFileError: Error, CustomStringConvertible, Equatable {
    public var source: String
    /// 1-based line number (0: the file as a whole).
    public var line: Int
    public var message: String

    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)"
    }
}

/// Minimal reader for the numeric CSV files of curves: a header naming the columns (any order,
/// case-insensitive, extra columns ignored), then one row per logged step with strictly
/// increasing integer steps. Shared by `LossCurve` and `LRTrace` so both report errors alike.
enum CurveCSV {
    /// Returns the steps and, per requested column, its values.
    static func read(text: String, source: String, columns: [String]) throws -> (steps: [Int], values: [[Double]]) {
        // Split on any line break; "\r\n" is a single Character in Swift, so CRLF files work too.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        func fail(_ line: Int, _ message: String) -> CurveFileError {
            CurveFileError(source: source, line: line, message: message)
        }
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw fail(0, "empty file (expected a header with columns \((["step"] + columns).joined(separator: ", ")))")
        }
        let header = lines[headerIndex].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        let wanted = ["step"] + columns
        var index: [Int] = []
        for name in wanted {
            guard let i = header.firstIndex(of: name) else {
                throw fail(headerIndex + 1, "missing column '\(name)' (header has: \(header.joined(separator: ", ")))")
            }
            index.append(i)
        }
        var steps: [Int] = []
        var values = [[Double]](repeating: [], count: columns.count)
        lines.removeFirst(headerIndex + 1)
        for (offset, raw) in lines.enumerated() {
            let lineNumber = headerIndex + 2 + offset
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            var row: [Double] = []
            for (k, i) in index.enumerated() {
                guard i < fields.count else {
                    throw fail(lineNumber, "missing value for column '\(wanted[k])' (\(fields.count) fields, header has \(header.count))")
                }
                guard let v = Double(fields[i]), v.isFinite else {
                    throw fail(lineNumber, "column '\(wanted[k])' is not a finite number: '\(fields[i])'")
                }
                row.append(v)
            }
            guard row[0] >= 0, row[0] == row[0].rounded(), row[0] < 1e15 else {
                throw fail(lineNumber, "step must be a non-negative integer (got '\(fields[index[0]])')")
            }
            let step = Int(row[0])
            if let last = steps.last, step <= last {
                throw fail(lineNumber, "steps must increase (step \(step) after step \(last))")
            }
            steps.append(step)
            for k in 0..<columns.count { values[k].append(row[k + 1]) }
        }
        guard !steps.isEmpty else { throw fail(0, "no data rows after the header") }
        return (steps, values)
    }

    static func readFile(path: String, columns: [String]) throws -> (steps: [Int], values: [[Double]]) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CurveFileError(source: path, line: 0, message: "cannot read file (\(error.localizedDescription))")
        }
        return try read(text: text, source: path, columns: columns)
    }
}
