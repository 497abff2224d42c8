import Foundation
import Store
import Trainer

/// Trains one run and records it: the bridge between `TrainingRun` events and the database.
///
/// Steps are buffered and written in one transaction before every checkpoint and evaluation, so
/// the database never lags a checkpoint: after a crash, resuming from the last checkpoint
/// re-logs the steps after it (replacing any rows already there), never duplicating them.
public struct RunExecutor {
    public let store: Store
    public let checkpointDir: URL
    /// Called at every step (a sweep renews its claim on the run here; see RunLease).
    let heartbeat: (() -> Void)?

    public init(store: Store, checkpointDir: URL, heartbeat: (() -> Void)? = nil) {
        self.store = store
        self.checkpointDir = checkpointDir
        self.heartbeat = heartbeat
    }

    /// The run's checkpoint: rolling while it trains (resume starts there), the final model after.
    public func checkpointURL(for run: RunRecord) -> URL {
        checkpointDir.appendingPathComponent("\(run.runKey).ckpt")
    }

    /// Trains `run` (already in the database) with `config`, resuming from its checkpoint when
    /// one exists. Returns the updated record.
    ///
    /// - Parameters:
    ///   - start: a checkpoint to start from instead (WSD branches start from their trunk's).
    ///   - extraCheckpoints: completed-step counts at which to keep extra checkpoints.
    ///   - progress: called for each event after it is recorded (for progress displays).
    public func execute(run input: RunRecord, config: TrainingConfig, corpus: Corpus, tasks: [DownstreamTask],
                        start: Checkpoint? = nil, extraCheckpoints: [Int: URL] = [:],
                        progress: (TrainingEvent) -> Void = { _ in }) throws -> RunRecord {
        var run = input
        guard let runID = run.id else { throw StoreError.badInput("run has no id") }
        try FileManager.default.createDirectory(at: checkpointDir, withIntermediateDirectories: true)
        let ckURL = checkpointURL(for: run)
        // This run is ours now (a sweep holds its lease): temporaries a crashed writer left go.
        Checkpoint.removeStaleTemporaries(for: ckURL)
        var from = start
        var carried = TrainingTotals()
        if FileManager.default.fileExists(atPath: ckURL.path) {
            let own = try Checkpoint.read(from: ckURL)
            from = own
            carried = TrainingTotals(metadata: own.metadata)
        } else if start == nil && run.stepsDone > 0 {
            FileHandle.standardError.write(Data(("note: run \(run.id ?? 0) stopped at step \(run.stepsDone) but has no "
                + "checkpoint at \(ckURL.path): training it again from step 0\n").utf8))
        }
        let firstStep = from?.step ?? 0
        // Rows after the checkpoint are re-done now; the branch's own rows start at its branch step.
        try store.truncateRun(runID: runID, after: firstStep - 1)
        run.status = "running"
        if run.startedAt == nil { run.startedAt = ISO8601DateFormatter().string(from: Date()) }
        try store.updateRun(run)

        let trainer = try TrainingRun(config: config, corpus: corpus, tasks: tasks)
        let dynamics = TrainingDynamics(store: store, runID: runID, validation: corpus.validation, seqLen: config.model.seqLen)
        var pending: [StepRecord] = []
        func flush() throws {
            try store.appendSteps(pending)
            pending.removeAll(keepingCapacity: true)
        }
        let outcome: TrainingOutcome
        do {
            outcome = try trainer.run(from: from, checkpointURL: ckURL, extraCheckpoints: extraCheckpoints, carried: carried,
                                      observer: { event in
                switch event {
                case .step(let step, let tokens, let lr, let loss, let gradNorm, let elapsed):
                    pending.append(StepRecord(runID: runID, step: step, tokens: tokens, lr: lr,
                                              trainLoss: loss.isFinite ? loss : nil,
                                              gradNorm: gradNorm.isFinite ? gradNorm : nil,
                                              wallSeconds: elapsed))
                    if pending.count >= 500 { try flush() }
                    heartbeat?()
                case .eval(let step, let tokens, let valLoss, let down, let perTask):
                    try flush()
                    let perTaskJSON = JSONText.render(.object(perTask.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }))
                    try store.appendEval(EvalRecord(runID: runID, step: step, tokens: tokens, valLoss: valLoss,
                                                    downstreamError: down, downstream: perTaskJSON))
                case .checkpoint(let completed, _):
                    try flush()
                    run.stepsDone = completed
                    run.tokensDone = completed * config.tokensPerStep
                    try store.updateRun(run)
                }
                progress(event)
            }, inspect: { model, step in try dynamics.record(model, step: step) })
            try flush()
            if outcome.status == .finished { try dynamics.finish(model: config.model) }
        } catch {
            try? flush()
            run.status = "failed"
            try? store.updateRun(run)
            throw error
        }
        run.status = outcome.status.rawValue
        run.divergedStep = outcome.divergedStep
        run.stepsDone = outcome.stepsDone
        run.tokensDone = outcome.tokensDone
        run.finalTrainLoss = outcome.finalTrainLoss
        run.finalValLoss = outcome.finalValLoss
        run.finalDownstreamError = outcome.finalDownstreamError
        run.tokensPerSecond = outcome.tokensPerSecond
        run.wallSeconds = outcome.wallSeconds
        run.finishedAt = ISO8601DateFormatter().string(from: Date())
        try store.updateRun(run)
        return run
    }
}

extension RunRecord {
    /// A run record for a training config: the filterable columns plus the config as JSON.
    public static func make(key: String, sweepID: Int64?, config: TrainingConfig, corpus: String,
                            parentRunID: Int64? = nil, branchStep: Int? = nil, computeLevel: Double? = nil) -> RunRecord {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? enc.encode(config)) ?? Data("{}".utf8), as: UTF8.self)
        let m = config.model
        var record = RunRecord(runKey: key, sweepID: sweepID, parentRunID: parentRunID, branchStep: branchStep, config: json,
                         nLayer: m.nLayer, dModel: m.dModel, nHead: m.nHead, seqLen: m.seqLen, vocab: m.vocabSize,
                         batchSize: config.batch, paramsTotal: m.paramsTotal, paramsNonEmbedding: m.paramsNonEmbedding,
                         flopsPerToken: m.flopsPerToken, tokensBudget: config.steps * config.tokensPerStep,
                         stepsBudget: config.steps, lr: config.schedule.peak, schedule: config.schedule.spec,
                         seed: Int(config.seed), corpus: corpus)
        record.computeLevel = computeLevel
        return record
    }
}
