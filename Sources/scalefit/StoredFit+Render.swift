import Fit
import Foundation
import LawRegistry
import Store

/// How `scalefit fit` prints a fit: a table, CSV of the parameters, or one JSON object.
extension StoredFit {
    /// `lines`: what the command adds below the notes in the table (LRs of the points, holdout).
    func render(format: OutputFormat, lines extraLines: [String] = []) -> String {
        switch format {
        case .json: return JSONText.render(.object(jsonFields))
        case .csv:
            return (["parameter,value,ci_low,ci_high"] + parameterNames.indices.map { i in
                let iv = intervals[i]
                return [parameterNames[i], SQLValue.format(parameters[i]), iv.map { SQLValue.format($0.lower) } ?? "",
                        iv.map { SQLValue.format($0.upper) } ?? ""].joined(separator: ",")
            }).joined(separator: "\n")
        case .table:
            var lines = ["\(law) fit\(id.map { " \($0)" } ?? "") on \(n) points (\(objective))"]
            let w = max(9, parameterNames.map(\.count).max() ?? 0)
            lines.append("  " + "parameter".padding(toLength: w, withPad: " ", startingAt: 0) + "  " +
                         "value".leftPadded(12) + "  95% bootstrap interval")
            for i in parameterNames.indices {
                let iv = intervals[i].map { "[\(formatNumber($0.lower)), \(formatNumber($0.upper))]" } ?? "-"
                lines.append("  " + parameterNames[i].padding(toLength: w, withPad: " ", startingAt: 0) + "  " +
                             formatNumber(parameters[i]).leftPadded(12) + "  " + iv)
            }
            lines.append("  objective \(formatNumber(objectiveValue)), RMSE \(formatNumber(rmse)), R^2 \(formatNumber(r2))")
            lines.append("  \(status)")
            for c in annotations["checks"]?.array ?? [] {
                lines.append(String(format: "  check %@: PredE %.3f%%, WorstE %.3f%%, final %.3f%% (%d rows)",
                                    c["curve"]?.string ?? "", 100 * (c["pred_e"]?.double ?? .nan),
                                    100 * (c["worst_e"]?.double ?? .nan), 100 * (c["final_e"]?.double ?? .nan),
                                    Int(c["rows"]?.double ?? 0)))
            }
            for note in notes { lines.append("  note: \(note)") }
            return (lines + extraLines).joined(separator: "\n")
        }
    }

    /// The `--json` object: the common fields, the law's stored form, the data range and the
    /// command's annotations (the fitted `points` and `holdout` last, after the notes).
    var jsonFields: [(String, JSONText.Value)] {
        var fields: [(String, JSONText.Value)] = [
            ("fit_id", id.map { .int($0) } ?? .null), ("law", .string(law)), ("params", paramsJSON), ("ci", intervalsJSON),
            ("objective", .string(objective)), ("objective_value", .number(objectiveValue)), ("rmse", .number(rmse)),
            ("r2", .number(r2)), ("n", .int(Int64(n))), ("converged", .bool(true)), ("status", .string(status)),
            ("bootstrap_converged", .int(Int64(bootstrapConverged))), ("bootstrap_total", .int(Int64(bootstrapTotal))),
        ]
        fields += lawForm.members
        fields.append(("data_range", .object(dataRange.map { ($0.name, .number($0.value)) })))
        if !unidentified.isEmpty { fields.append(("unidentified", .array(unidentified.map { .string($0) }))) }
        let last: Set<String> = ["points", "holdout"]
        fields += annotations.members.filter { !last.contains($0.0) }
        if !notes.isEmpty { fields.append(("notes", .array(notes.map { .string($0) }))) }
        fields += annotations.members.filter { last.contains($0.0) }
        return fields
    }
}

/// Percentile interval of bootstrap samples (nil with fewer than `Bootstrap.minimumConverged` finite ones).
func percentileInterval(_ values: [Double], confidence: Double = 0.95) -> ClosedRange<Double>? {
    values.filter(\.isFinite).count >= Bootstrap.minimumConverged ? Percentile.interval(values, confidence: confidence) : nil
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
