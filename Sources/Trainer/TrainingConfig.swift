import Foundation
import Schedule

/// Everything that determines one training run's loss curve (with the corpus): the same config
/// on the same machine and thread count gives the same curve, bit for bit.
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var model: ModelConfig
    /// Sequences per optimizer step.
    public var batch: Int
    public var schedule: LRSchedule
    /// Seeds the weights (seed) and the data order (seed + 1).
    public var seed: UInt64
    public var weightDecay: Double
    /// Global gradient-norm clip (0: off).
    public var gradClip: Double
    /// Evaluate every this many steps (and always after the last step).
    public var evalEvery: Int
    /// Validation windows of seq_len tokens in the fixed held-out set.
    public var evalWindows: Int
    /// Items per built-in downstream task (0: no downstream evaluation).
    public var downstreamItems: Int
    /// Write the resume checkpoint every this many steps (0: at every evaluation).
    public var checkpointEvery: Int

    public init(model: ModelConfig, batch: Int, schedule: LRSchedule, seed: UInt64, weightDecay: Double = 0.1,
                gradClip: Double = 1.0, evalEvery: Int = 100, evalWindows: Int = 64, downstreamItems: Int = 100,
                checkpointEvery: Int = 0) {
        self.model = model
        self.batch = batch
        self.schedule = schedule
        self.seed = seed
        self.weightDecay = weightDecay
        self.gradClip = gradClip
        self.evalEvery = evalEvery
        self.evalWindows = evalWindows
        self.downstreamItems = downstreamItems
        self.checkpointEvery = checkpointEvery
    }

    public var steps: Int { schedule.totalSteps }
    public var tokensPerStep: Int { batch * model.seqLen }

    /// Rejects what a user can get wrong, with a one-line message naming the field.
    public func validate() throws {
        try model.validate()
        try schedule.validate()
        guard batch > 0 else { throw ModelConfigError.invalid("batch must be > 0 (got \(batch))") }
        guard evalEvery >= 0 else { throw ModelConfigError.invalid("eval-every must be >= 0 (got \(evalEvery))") }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw ModelConfigError.invalid("weight decay must be >= 0 (got \(weightDecay))")
        }
        guard gradClip >= 0, gradClip.isFinite else {
            throw ModelConfigError.invalid("grad clip must be >= 0 (got \(gradClip))")
        }
    }

    /// Steps after which an evaluation runs: every `evalEvery` steps and after the last one.
    public func isEvalStep(_ completed: Int) -> Bool {
        completed == steps || (evalEvery > 0 && completed % evalEvery == 0)
    }
}
