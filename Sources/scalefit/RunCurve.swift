import ArgumentParser
import Fit
import Store
import Validation

/// Which loss of a run the annealing law is fitted on and checked against
/// (`scalefit fit --law annealing --loss`).
///
/// The law of Tissue et al. 2024 describes the expected loss at every step. A run logs two
/// estimates of it: the train loss of every step (a fresh batch each) and the validation loss
/// at each evaluation (fixed held-out windows, one snapshot of the weights). Both scatter about
/// the expected curve by much more than the law's own error: on `Data/sweeps/annealing.toml`
/// (lr 3e-3) one step's train loss by 0.034 nats and one evaluation by 0.011 nats, the latter
/// being the weights' own jitter at a high LR, uncorrelated from one evaluation 31 steps apart
/// to the next. A mean over w consecutive steps averages both the batches and the weight jitter
/// (its scatter falls like 1 / sqrt(w): 0.009 nats at w = 19, 0.003 at w = 78), so the train
/// loss averaged over windows is the less noisy curve for the same run, and the default.
enum CurveLoss: String, ExpressibleByArgument, CaseIterable {
    /// The train loss averaged over `RunCurve.trainWindows` windows of steps.
    case train
    /// The validation loss of each evaluation (needs >= 10 evaluations).
    case val
}

/// One run's loss curve, read from the database for the annealing law.
enum RunCurve {
    /// Windows the train loss is averaged into by default (one row per window), each 1% of the run: a
    /// decay over 20% of the run still spans 20 rows, and the annealing momentum's memory
    /// 1 / (1 - lambda) (hundreds of steps) several, while the scatter of a window's mean is a
    /// fifth of a single step's (`CurveLoss`). (Before: 400 windows, twice the scatter.)
    static let trainWindows = 100

    /// Finite validation losses, as (updates done, loss).
    static func validationRows(_ store: Store, runID: Int64) throws -> [(step: Int, loss: Double)] {
        try store.evals(runID: runID).compactMap { ev in
            guard let v = ev.valLoss, v.isFinite else { return nil }
            // An eval row's step is the last completed (0-based) step: after step + 1 updates.
            return (ev.step + 1, v)
        }
    }

    /// The run's curve of the given loss (`.val` or `.train`), with the rate of every update.
    static func load(_ store: Store, runID id: Int64, loss: CurveLoss, windows: Int = trainWindows) throws -> LossCurve {
        guard try store.run(id: id) != nil else { throw CLIError("no run with id \(id)") }
        let log = try store.steps(runID: id)
        // A curve imported before curves were capped can hold any step: refuse it rather than
        // expand it to one rate per step.
        if let last = log.last?.step, last >= InputLimits.maxSteps || last < 0 {
            throw CLIError("run \(id) logs step \(last + 1), beyond the cap of \(InputLimits.maxSteps) steps per curve")
        }
        // The rate of every update from ALL logged rows (exact for the trainer's complete logs,
        // interpolated between rows for sparse imported ones), never from the averaged windows:
        // a window per 15 steps would blur a short warmup, and the warmup's LRs enter S2.
        let rates = LRTrace(steps: log.map(\.step), lrs: log.map(\.lr)).dense(before: .hold)
        func rate(_ step: Int) -> Double { rates.isEmpty ? 0 : rates[min(max(step, 0), rates.count - 1)] }
        switch loss {
        case .val:
            let rows = try validationRows(store, runID: id)
            guard rows.count >= 10 else { throw CLIError("run \(id) has only \(rows.count) evaluations (use --loss train)") }
            guard !log.isEmpty else { throw CLIError("run \(id) has no logged learning rates") }
            return LossCurve(steps: rows.map(\.step), lrs: rows.map { rate($0.step) }, losses: rows.map(\.loss),
                             rates: rates.isEmpty ? nil : rates)
        case .train:
            let steps = log.filter { $0.trainLoss != nil }
            guard steps.count >= 10 else { throw CLIError("run \(id) has only \(steps.count) logged steps") }
            // The train loss is noisy step to step: average it over windows of w rows. The train
            // loss of (0-based) step k is measured before update k, after k updates: the row's step
            // is k (the meaning of `steps` rows for trained and imported curves alike, README
            // "Steps"), and a window's the mean of its rows' steps, so its loss sits at its middle.
            let w = max(1, steps.count / max(windows, 1))
            var s: [Int] = [], lr: [Double] = [], mean: [Double] = []
            var i = 0
            while i + w <= steps.count {
                let chunk = steps[i..<(i + w)]
                let middle = Int((Double(chunk.map(\.step).reduce(0, +)) / Double(w)).rounded())
                s.append(middle)
                lr.append(rate(middle))
                mean.append(chunk.map { $0.trainLoss! }.reduce(0, +) / Double(w))
                i += w
            }
            return LossCurve(steps: s, lrs: lr, losses: mean, rates: rates.isEmpty ? nil : rates)
        }
    }
}
