import Foundation
import Schedule

/// What a run reports as it goes. The caller (CLI, sweep) decides what to log and where.
public enum TrainingEvent: Sendable {
    /// One optimizer step finished. `step` is 0-based; `tokens` counts tokens seen after it.
    case step(step: Int, tokens: Int, lr: Double, loss: Double, gradNorm: Double, elapsed: Double)
    /// An evaluation after `step + 1` completed steps (`step` is the last completed step).
    case eval(step: Int, tokens: Int, valLoss: Double, downstreamError: Double?, perTask: [String: Double])
    /// A checkpoint with `completed` steps was written to `url`.
    case checkpoint(completed: Int, url: URL)
}

public enum TrainingStatus: String, Sendable {
    case finished, diverged
}

/// Time and work a run has accumulated over its segments (a run resumed from its checkpoint
/// continues these, so wall time and tokens/s cover the whole run, not only the last segment).
/// Counted up to the checkpoint a segment resumes from: work after it that a crash lost is redone,
/// and counted once. Stored in the checkpoint's metadata.
public struct TrainingTotals: Sendable, Equatable {
    public var wallSeconds = 0.0
    /// Seconds spent in training steps (evaluation excluded): the denominator of tokens/s.
    public var trainSeconds = 0.0
    public var trainedSteps = 0

    public init(wallSeconds: Double = 0, trainSeconds: Double = 0, trainedSteps: Int = 0) {
        self.wallSeconds = wallSeconds
        self.trainSeconds = trainSeconds
        self.trainedSteps = trainedSteps
    }

    /// The totals a checkpoint recorded (zero for one without them).
    public init(metadata: [String: String]) {
        wallSeconds = metadata["wall_seconds"].flatMap(Double.init) ?? 0
        trainSeconds = metadata["train_seconds"].flatMap(Double.init) ?? 0
        trainedSteps = metadata["trained_steps"].flatMap(Int.init) ?? 0
    }

    var metadata: [String: String] {
        ["wall_seconds": "\(wallSeconds)", "train_seconds": "\(trainSeconds)", "trained_steps": "\(trainedSteps)"]
    }
}

public struct TrainingOutcome: Sendable {
    public var status: TrainingStatus
    /// The step at which the loss became NaN/Inf or exploded (diverged runs only).
    public var divergedStep: Int?
    public var stepsDone: Int
    public var tokensDone: Int
    public var finalTrainLoss: Double?
    public var finalValLoss: Double?
    public var finalDownstreamError: Double?
    /// Tokens per second over the steps trained, in this call and the `carried` segments before
    /// it (evaluation time excluded).
    public var tokensPerSecond: Double
    /// Wall time of this call plus the `carried` segments'.
    public var wallSeconds: Double
}

/// One training run: the step loop of llm.c's train_gpt2.c, with evaluation, checkpoints,
/// divergence detection and resume. Single-threaded driver; BLAS (and the model's own
/// parallel loops) use the threads set by `BLASThreads`.
public final class TrainingRun {
    public let config: TrainingConfig
    public let corpus: Corpus
    let tasks: [DownstreamTask]
    let validation: [[UInt8]]

    /// - Parameters:
    ///   - tasks: downstream tasks to evaluate (usually `DownstreamTask.builtIn`).
    public init(config: TrainingConfig, corpus: Corpus, tasks: [DownstreamTask]) throws {
        try config.validate()
        try corpus.validate(seqLen: config.model.seqLen)
        self.config = config
        self.corpus = corpus
        self.tasks = tasks
        validation = BatchSampler.evaluationWindows(tokens: corpus.validation, seqLen: config.model.seqLen,
                                                    maxWindows: config.evalWindows)
    }

    /// Trains from scratch, or from `checkpoint`, up to `stopAfter` completed steps (default: all).
    ///
    /// - Parameters:
    ///   - checkpointURL: where the rolling checkpoint goes (nil: none): every K steps and at the end.
    ///   - extraCheckpoints: completed-step counts at which to also keep a checkpoint (WSD branch
    ///     points), each written to the URL the closure returns.
    ///   - carried: time and steps of earlier segments of this run (resuming its own checkpoint):
    ///     step events' `elapsed`, the outcome and every checkpoint written continue from them.
    ///   - inspect: called with the model after every evaluation (training-dynamics measurements).
    ///   - observer: receives every event; an error it throws stops training and is rethrown.
    public func run(from checkpoint: Checkpoint? = nil, stopAfter: Int? = nil, checkpointURL: URL? = nil,
                    extraCheckpoints: [Int: URL] = [:], carried: TrainingTotals = TrainingTotals(),
                    observer: (TrainingEvent) throws -> Void = { _ in },
                    inspect: (_ model: Model, _ step: Int) throws -> Void = { _, _ in }) throws -> TrainingOutcome {
        let cfg = config
        let model = Model(config: cfg.model, seed: cfg.seed, maxBatch: cfg.batch)
        var opt = AdamW(layout: model.layout, weightDecay: Float(cfg.weightDecay))
        var sampler = BatchSampler(tokens: corpus.train, batch: cfg.batch, seqLen: cfg.model.seqLen, seed: cfg.seed &+ 1)
        var start = 0
        if let ck = checkpoint {
            guard ck.config == cfg.model else {
                throw CheckpointError.invalid("checkpoint model \(ck.config) differs from the run's \(cfg.model)")
            }
            opt = try ck.restore(into: model)
            if let s = ck.rngStates["sampler"] { sampler.rngState = s }
            start = ck.step
        }
        let end = min(stopAfter ?? cfg.steps, cfg.steps)
        var inputs = [Int32](repeating: 0, count: cfg.batch * cfg.model.seqLen)
        var targets = inputs
        let clock = ContinuousClock()
        let t0 = clock.now
        var trainSeconds = 0.0
        var recent: [Double] = []
        var outcome = TrainingOutcome(status: .finished, divergedStep: nil, stepsDone: start,
                                      tokensDone: start * cfg.tokensPerStep, finalTrainLoss: nil, finalValLoss: nil,
                                      finalDownstreamError: nil, tokensPerSecond: 0, wallSeconds: 0)
        // Divergence: a non-finite loss or gradient, or a loss far above the untrained model's
        // (ln vocab), which no healthy run reaches after its first steps.
        let explodeThreshold = 1.5 * Foundation.log(Double(cfg.model.vocabSize)) + 1

        func totals() -> TrainingTotals {
            TrainingTotals(wallSeconds: carried.wallSeconds + (clock.now - t0).seconds,
                           trainSeconds: carried.trainSeconds + trainSeconds,
                           trainedSteps: carried.trainedSteps + outcome.stepsDone - start)
        }

        func saveCheckpoint(_ completed: Int, _ url: URL) throws {
            let ck = Checkpoint(model: model, optimizer: opt, step: completed, rngStates: ["sampler": sampler.rngState],
                                metadata: totals().metadata)
            try Checkpoint.write(ck, to: url)
            try observer(.checkpoint(completed: completed, url: url))
        }

        var step = start
        while step < end {
            let ts = clock.now
            sampler.next(inputs: &inputs, targets: &targets)
            let lr = cfg.schedule.lr(at: step)
            model.zeroGrad()
            let loss = Double(model.forward(inputs: inputs, targets: targets, batch: cfg.batch))
            var gradNorm = Double.nan
            if loss.isFinite {
                model.backward()
                gradNorm = Double(model.clipGradients(maxNorm: cfg.gradClip > 0 ? Float(cfg.gradClip) : .infinity))
            }
            let elapsedTotal = carried.wallSeconds + (clock.now - t0).seconds
            if !loss.isFinite || !gradNorm.isFinite || (step >= 10 && loss > explodeThreshold) {
                try observer(.step(step: step, tokens: (step + 1) * cfg.tokensPerStep, lr: lr, loss: loss,
                                   gradNorm: gradNorm, elapsed: elapsedTotal))
                outcome.status = .diverged
                outcome.divergedStep = step
                break
            }
            opt.update(model, lr: Float(lr))
            trainSeconds += (clock.now - ts).seconds
            step += 1
            recent.append(loss)
            if recent.count > 20 { recent.removeFirst() }
            outcome.stepsDone = step
            outcome.tokensDone = step * cfg.tokensPerStep
            try observer(.step(step: step - 1, tokens: outcome.tokensDone, lr: lr, loss: loss, gradNorm: gradNorm,
                               elapsed: elapsedTotal))
            if cfg.isEvalStep(step) {
                let (val, down, perTask) = evaluate(model)
                outcome.finalValLoss = val
                outcome.finalDownstreamError = down
                try observer(.eval(step: step - 1, tokens: outcome.tokensDone, valLoss: val, downstreamError: down,
                                   perTask: perTask))
                try inspect(model, step - 1)
                if !val.isFinite {
                    outcome.status = .diverged
                    outcome.divergedStep = step - 1
                    break
                }
            }
            if let url = extraCheckpoints[step] { try saveCheckpoint(step, url) }
            if let url = checkpointURL {
                // Every K steps, and after the last step (the finished model, for later analysis).
                let every = cfg.checkpointEvery > 0 ? cfg.checkpointEvery : max(cfg.evalEvery, 1)
                if step % every == 0 || step == cfg.steps { try saveCheckpoint(step, url) }
            }
        }
        if outcome.status == .finished && outcome.finalValLoss == nil {
            // Resumed from a checkpoint taken after the last step: nothing left to train, but the
            // run still reports its final evaluation.
            let (val, down, _) = evaluate(model)
            outcome.finalValLoss = val
            outcome.finalDownstreamError = down
        }
        outcome.finalTrainLoss = recent.isEmpty ? nil : recent.reduce(0, +) / Double(recent.count)
        let all = totals()
        outcome.tokensPerSecond = all.trainSeconds > 0 ? Double(all.trainedSteps * cfg.tokensPerStep) / all.trainSeconds : 0
        outcome.wallSeconds = all.wallSeconds
        return outcome
    }

    /// Validation loss over the fixed held-out windows and mean top-1 error over the tasks.
    public func evaluate(_ model: Model) -> (valLoss: Double, downstreamError: Double?, perTask: [String: Double]) {
        let seq = config.model.seqLen
        let maxB = config.batch
        var total = 0.0
        var count = 0
        var i = 0
        while i < validation.count {
            let b = min(maxB, validation.count - i)
            var inp = [Int32](repeating: 0, count: b * seq)
            var tgt = inp
            for r in 0..<b {
                let w = validation[i + r]
                for t in 0..<seq {
                    inp[r * seq + t] = Int32(w[t])
                    tgt[r * seq + t] = Int32(w[t + 1])
                }
            }
            total += Double(model.evaluateLoss(inputs: inp, targets: tgt, batch: b)) * Double(b)
            count += b
            i += b
        }
        let val = count > 0 ? total / Double(count) : .nan
        var perTask: [String: Double] = [:]
        for task in tasks {
            perTask[task.name] = task.evaluate(scoreAll: model.logLikelihoods)
        }
        let down = perTask.isEmpty ? nil : perTask.values.reduce(0, +) / Double(perTask.count)
        return (val, down, perTask)
    }
}

extension Duration {
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
