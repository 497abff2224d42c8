import Laws
import Tabular
import Validation

/// One training run's loss curve with the learning rate of each logged step: the data the
/// annealing law (Tissue et al. 2024) is fitted on.
///
/// Steps are 0-based, one meaning for trained and imported curves (README, "Steps"): the row
/// `step = s` holds the rate of the update at step s and the loss measured at step s before that
/// update, i.e. after s updates, so its areas sum the rates of steps 0..<s (a row at step 0, the
/// loss before training, is kept but not fitted: S1(0) = 0).
public struct LossCurve: Sendable, Equatable {
    public var steps: [Int]
    public var lrs: [Double]
    public var losses: [Double]
    /// The rate of every step 0..<rates.count when it is known exactly (runs of the database
    /// log every step's LR while their loss rows may be sparse, e.g. evaluations every k steps);
    /// nil for curves read from files, whose rates are interpolated between rows. The areas S1
    /// and S2 of Tissue et al. 2024 sum every step's rate, so exact rates matter where a schedule
    /// bends between rows (end of warmup, start of a WSD decay).
    public var rates: [Double]?

    public init(steps: [Int], lrs: [Double], losses: [Double], rates: [Double]? = nil) {
        self.steps = steps
        self.lrs = lrs
        self.losses = losses
        self.rates = rates
    }

    /// Reads a curve file (CSV or JSON Lines, see `CurveFile`: logger column names are
    /// recognised, rows without a loss skipped). Errors are one line naming the file and line.
    public static func read(path: String, columns: CurveColumns = CurveColumns()) throws -> LossCurve {
        try CurveFile.read(path: path, columns: columns).curve
    }

    /// Parses CSV text; `source` names it in error messages.
    public static func parse(text: String, source: String = "<curve>", columns: CurveColumns = CurveColumns()) throws -> LossCurve {
        try CurveFile.parse(try DataTable.csv(text, file: source), columns: columns).curve
    }

    /// The last logged step.
    public var lastStep: Int { steps.last ?? 0 }

    /// The logged rates as a trace (for interpolation).
    public var lrTrace: LRTrace { LRTrace(steps: steps, lrs: lrs) }

    /// One rate per step 0..<totalSteps: the exact `rates` when known (the last one repeated
    /// past their end), else interpolated as `LRTrace.dense` does: linear between logged rows,
    /// a ramp from 0 before the first row, the last row's rate after it; optionally with the
    /// first `warmupAsPeak` steps at the peak rate. The row at step s uses rates 0..<s.
    public func denseLRs(totalSteps: Int, warmupAsPeak: Int? = nil) -> [Double] {
        guard let rates, let last = rates.last, totalSteps > 0 else {
            return lrTrace.dense(totalSteps: totalSteps, warmupAsPeak: warmupAsPeak)
        }
        var out = Array(rates.prefix(totalSteps))
        if out.count < totalSteps { out += [Double](repeating: last, count: totalSteps - out.count) }
        return AnnealingAreas.warmupAtPeak(out, warmup: warmupAsPeak)
    }

    /// Steps until the LR first reaches its peak (the warmup), from the exact rates when known,
    /// else from the logged rows; 0 when the first rate is already the peak.
    public var warmupSteps: Int {
        if let rates, let peak = rates.max() {
            return rates.firstIndex { $0 >= peak * (1 - 1e-9) } ?? 0
        }
        let peak = lrs.max() ?? 0
        return lrs.firstIndex { $0 >= peak * (1 - 1e-9) }.map { steps[$0] } ?? 0
    }
}
