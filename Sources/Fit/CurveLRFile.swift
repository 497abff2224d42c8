import Laws
import Tabular
import Validation

/// A learning-rate schedule logged at some steps (a `step, lr` CSV file, as read by
/// `predict --lr-file`), filled in to every step by interpolation.
///
/// Steps are 1-based update counts: the row `step = s` gives the rate of update s (see
/// `AnnealingAreas` for the convention shared with the annealing law).
public struct LRTrace: Sendable, Equatable {
    public var steps: [Int]
    public var lrs: [Double]

    public init(steps: [Int], lrs: [Double]) {
        self.steps = steps
        self.lrs = lrs
    }

    /// Reads a `step, lr` file (CSV or JSON Lines; column names as `CurveFile` recognises
    /// them). Errors name the file and line: missing columns, non-numeric values, negative
    /// rates, non-increasing steps.
    public static func read(path: String, columns: CurveColumns = CurveColumns()) throws -> LRTrace {
        try CurveFile.readTrace(try DataTable.read(path: path), columns: columns)
    }

    /// Parses CSV text; `source` names it in error messages.
    public static func parse(text: String, source: String = "<lr>") throws -> LRTrace {
        try CurveFile.readTrace(try DataTable.csv(text, file: source))
    }

    /// The last logged step (the run's length when the file covers the whole run).
    public var lastStep: Int { steps.last ?? 0 }

    /// One rate per update 1...totalSteps (element i is the rate of step i+1): linear
    /// interpolation between logged rows; steps before the first row take its rate, steps after
    /// the last row keep the last rate. With `warmupAsPeak = w`, the first w rates become the
    /// peak (see `AnnealingAreas.compute`).
    public func dense(totalSteps: Int? = nil, warmupAsPeak: Int? = nil) -> [Double] {
        // Callers bound totalSteps (predict --steps) and files bound lastStep (`CurveFile`); the
        // clamp keeps a caller that did not from allocating without limit.
        let total = min(totalSteps ?? lastStep, InputLimits.maxSteps)
        guard total > 0, !steps.isEmpty else { return [] }
        var out = [Double](repeating: 0, count: total)
        var row = 0
        for i in 0..<total {
            let s = i + 1
            while row < steps.count && steps[row] < s { row += 1 }
            if row == 0 {
                out[i] = lrs[0]
            } else if row == steps.count {
                out[i] = lrs[steps.count - 1]
            } else if steps[row] == s {
                out[i] = lrs[row]
            } else {
                let (s0, s1) = (Double(steps[row - 1]), Double(steps[row]))
                let t = (Double(s) - s0) / (s1 - s0)
                out[i] = lrs[row - 1] + t * (lrs[row] - lrs[row - 1])
            }
        }
        return AnnealingAreas.warmupAtPeak(out, warmup: warmupAsPeak)
    }
}
