import Foundation
import Schedule
import Validation

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
    /// Tokens per optimizer step; call on a validated config (its product is bounded there).
    public var tokensPerStep: Int { batch * model.seqLen }

    /// Rejects what a user can get wrong, with a one-line message naming the field: every count in
    /// range, the tokens of the run within `InputLimits.maxTokens`, and the model with its batch of
    /// activations within the machine's memory (all computed in Double, before any Int product).
    public func validate() throws {
        try model.validate()
        try schedule.validate()
        func count(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws {
            do { _ = try InputNumber.integer(value, name, in: range) } catch { throw ModelConfigError.invalid("\(error)") }
        }
        guard batch > 0 else { throw ModelConfigError.invalid("batch must be > 0 (got \(batch))") }
        try MemoryEstimate(model: model, batch: batch).check()
        try count(batch, "batch", 1...InputLimits.maxDimension)
        try count(evalEvery, "eval-every", 0...InputLimits.maxSteps)
        try count(evalWindows, "eval-windows", 1...InputLimits.maxCount)
        try count(downstreamItems, "downstream-items", 0...InputLimits.maxDownstreamItems)
        try count(checkpointEvery, "checkpoint-every", 0...InputLimits.maxSteps)
        guard seed <= UInt64(InputLimits.maxSeed) else {
            throw ModelConfigError.invalid("seed must be <= \(InputLimits.maxSeed) (got \(seed))")
        }
        let tokens = Double(steps) * Double(batch) * Double(model.seqLen)
        guard tokens <= Double(InputLimits.maxTokens) else {
            throw ModelConfigError.invalid("the run would train \(InputEcho.shown(tokens)) tokens (steps x batch x seq_len), "
                                           + "more than the cap of \(InputLimits.maxTokens)")
        }
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
