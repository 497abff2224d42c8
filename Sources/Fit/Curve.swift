/// One training run's loss curve with the learning rate of each logged step: the data the
/// annealing law (Tissue et al. 2024) is fitted on.
///
/// Steps are 1-based update counts: the row `step = s` holds the rate of update s and the loss
/// after it (a row at step 0, the loss before training, is kept but not fitted: S1(0) = 0).
public struct LossCurve: Sendable, Equatable {
    public var steps: [Int]
    public var lrs: [Double]
    public var losses: [Double]

    public init(steps: [Int], lrs: [Double], losses: [Double]) {
        self.steps = steps
        self.lrs = lrs
        self.losses = losses
    }

    /// Reads a `step, lr, loss` CSV (any column order, case-insensitive header, extra columns
    /// ignored). Errors are one line naming the file and line: missing columns, non-numeric or
    /// non-finite values, non-increasing steps, negative rates.
    public static func read(path: String) throws -> LossCurve {
        try make(try CurveCSV.readFile(path: path, columns: ["lr", "loss"]), source: path)
    }

    /// Parses CSV text; `source` names it in error messages.
    public static func parse(text: String, source: String = "<curve>") throws -> LossCurve {
        try make(try CurveCSV.read(text: text, source: source, columns: ["lr", "loss"]), source: source)
    }

    private static func make(_ table: (steps: [Int], values: [[Double]]), source: String) throws -> LossCurve {
        if let bad = table.values[0].firstIndex(where: { $0 < 0 }) {
            throw CurveFileError(source: source, line: 0,
                                 message: "negative learning rate \(table.values[0][bad]) at step \(table.steps[bad])")
        }
        return LossCurve(steps: table.steps, lrs: table.values[0], losses: table.values[1])
    }

    /// The last logged step.
    public var lastStep: Int { steps.last ?? 0 }

    /// The logged rates as a trace (for interpolation).
    public var lrTrace: LRTrace { LRTrace(steps: steps, lrs: lrs) }

    /// One rate per update 1...totalSteps, interpolated as `LRTrace.dense` does: linear between
    /// logged rows, the first row's rate before it, the last row's rate after it; optionally
    /// with the first `warmupAsPeak` steps at the peak rate.
    public func denseLRs(totalSteps: Int, warmupAsPeak: Int? = nil) -> [Double] {
        lrTrace.dense(totalSteps: totalSteps, warmupAsPeak: warmupAsPeak)
    }
}
