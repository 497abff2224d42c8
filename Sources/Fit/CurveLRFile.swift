import Laws
import Tabular
import Validation

/// A learning-rate schedule logged at some steps (a `step, lr` CSV file, as read by
/// `predict --lr-file`), filled in to every step by interpolation.
///
/// Steps are 0-based: the row `step = s` gives the rate of the update at step s, as
/// `LRSchedule.lr(at:)` and the trainer's `steps` rows do (README, "Steps").
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

    /// What the rates before the first logged row are taken to be.
    public enum BeforeFirstRow: String, Sendable, CaseIterable {
        /// A linear warmup from 0 at step 0 to the first row's rate (curves logged from the end of
        /// their warmup, such as the Multi-Power Law paper's, start there; see docs/curve-laws.md).
        case ramp
        /// The first row's rate.
        case hold
    }

    /// One rate per 0-based step 0..<totalSteps (default: through the last row): the row at step s
    /// gives the rate of step s; linear interpolation between rows; before the first row a ramp
    /// from 0 (or the first row's rate held, `before: .hold`); after the last row its rate. With
    /// `warmupAsPeak = w`, the first w rates become the peak (see `AnnealingAreas.compute`).
    public func dense(totalSteps: Int? = nil, warmupAsPeak: Int? = nil, before: BeforeFirstRow = .ramp) -> [Double] {
        // Callers bound totalSteps (predict --steps) and files bound lastStep (`CurveFile`); the
        // clamp keeps a caller that did not from allocating without limit.
        let total = min(totalSteps ?? (lastStep + 1), InputLimits.maxSteps)
        guard total > 0, !steps.isEmpty else { return [] }
        var out = [Double](repeating: 0, count: total)
        var row = 0
        for s in 0..<total {
            while row < steps.count && steps[row] < s { row += 1 }
            if row == 0 {
                out[s] = before == .ramp && steps[0] > 0 && s < steps[0] ? lrs[0] * Double(s) / Double(steps[0]) : lrs[0]
            } else if row == steps.count {
                out[s] = lrs[steps.count - 1]
            } else if steps[row] == s {
                out[s] = lrs[row]
            } else {
                let (s0, s1) = (Double(steps[row - 1]), Double(steps[row]))
                let t = (Double(s) - s0) / (s1 - s0)
                out[s] = lrs[row - 1] + t * (lrs[row] - lrs[row - 1])
            }
        }
        return AnnealingAreas.warmupAtPeak(out, warmup: warmupAsPeak)
    }
}
