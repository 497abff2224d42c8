import Foundation
import Report
import Store

/// What a law's `reportCurves` may read: the runs and their records, and the imported points of a
/// fit (the report never fits; it evaluates stored fits over the data they describe).
public struct ReportContext {
    public var runs: [RunRecord]
    /// A run's N as the report draws it (the `--params` choice of the latest size fit).
    public var paramCount: (RunRecord) -> Double
    public var steps: (Int64) throws -> [StepRecord]
    public var evals: (Int64) throws -> [EvalRecord]
    /// The imported points a fit used (its source and `--where`), empty for fits of runs.
    public var points: (StoredFit) throws -> [PointRecord]

    public init(runs: [RunRecord], paramCount: @escaping (RunRecord) -> Double, steps: @escaping (Int64) throws -> [StepRecord],
                evals: @escaping (Int64) throws -> [EvalRecord], points: @escaping (StoredFit) throws -> [PointRecord]) {
        self.runs = runs
        self.paramCount = paramCount
        self.steps = steps
        self.evals = evals
        self.points = points
    }

    /// Finished runs with a final validation loss.
    public var finished: [RunRecord] { runs.filter { $0.status == "finished" && $0.finalValLoss != nil } }

    /// `intervals + 1` points from `lo` to `hi`, evenly spaced in log: the x grid of a fitted curve on log axes.
    public static func logGrid(_ lo: Double, _ hi: Double, intervals: Int) -> [Double] {
        (0...intervals).map { lo * pow(hi / lo, Double($0) / Double(intervals)) }
    }

    /// Up to `maxBins` groups of `values` (indices), contiguous in sorted order and as equal in
    /// size as possible; one group per distinct value when there are few. `fixed` is the group's
    /// geometric mean.
    public static func logBins(_ values: [Double], maxBins: Int = 5) -> [(range: ClosedRange<Double>, fixed: Double, members: [Int])] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var distinct: [[Int]] = []
        for i in order {
            if let last = distinct.last?.first, abs(values[last] - values[i]) <= 1e-9 * values[i] {
                distinct[distinct.count - 1].append(i)
            } else {
                distinct.append([i])
            }
        }
        var groups: [[Int]] = []
        if distinct.count <= maxBins {
            groups = distinct
        } else {
            // Whole distinct values per group, cut where the running count passes k/maxBins of the points.
            var current: [Int] = []
            var done = 0
            for d in distinct {
                current += d
                done += d.count
                if done * maxBins >= (groups.count + 1) * values.count { groups.append(current); current = [] }
            }
            if !current.isEmpty { groups.append(current) }
        }
        return groups.map { g in
            let vs = g.map { values[$0] }
            let mean = exp(vs.map { Foundation.log($0) }.reduce(0, +) / Double(vs.count))
            return (vs.min()!...vs.max()!, mean, g)
        }
    }
}
