import ArgumentParser
import Foundation
import Schedule
import Store
import Sweep
import Trainer
import Validation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one tiny GPT and record its run, steps and evaluations in the database.",
        discussion: """
        The same flags and seed give the same loss curve on the same machine and thread count.
        A checkpoint (model, optimizer, step, data-order RNG) is written at every evaluation;
        --resume continues the latest unfinished run with the same flags from it, bit for bit.
        """)

    @Option(name: .customLong("n-layer"), parsing: .unconditional, help: "Transformer blocks.") var nLayer = 2
    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Model width.") var dModel = 64
    @Option(name: .customLong("n-head"), parsing: .unconditional, help: "Attention heads (must divide d-model).") var nHead = 2
    @Option(name: .customLong("seq-len"), parsing: .unconditional, help: "Context length in tokens (bytes).") var seqLen = 64
    @Option(parsing: .unconditional, help: "Sequences per step.") var batch = 16
    @Option(parsing: .unconditional, help: ArgumentHelp("Optimizer steps (at most \(InputLimits.maxSteps)).", valueName: "steps"))
    var steps: Int?
    @Option(parsing: .unconditional, help: "Peak learning rate (default 0.003).", transform: FlagNumber.real) var lr: Double?
    @Option(help: "Schedule: constant, cosine, linear or wsd, optionally with options, e.g. \"wsd:decay=0.2,shape=1-sqrt\".")
    var schedule = "cosine"
    @Option(parsing: .unconditional, help: "Warmup steps (default: 5% of the steps, unless the schedule spec sets warmup=).") var warmup: Int?
    @Option(parsing: .unconditional, help: "Final LR as a fraction of the peak for decaying schedules (default 0.1).",
            transform: FlagNumber.real) var floor: Double?
    @Option(help: "\"quanta\" or \"synthetic\" (built-in languages, knobs after a colon, e.g. \"quanta:phrases=4096\", \"synthetic:words=256\") or a UTF-8 text file.") var corpus = "synthetic"
    @Option(name: .customLong("corpus-seed"), parsing: .unconditional, help: "Seed of the synthetic language.") var corpusSeed = 0
    @Option(parsing: .unconditional, help: "Seed for weights and data order.") var seed = 0
    @Option(name: .customLong("eval-every"), parsing: .unconditional, help: "Evaluate every N steps (and at the end).") var evalEvery = 100
    @Option(name: .customLong("eval-windows"), parsing: .unconditional, help: "Validation windows in the held-out set.") var evalWindows = 64
    @Option(name: .customLong("downstream-items"), parsing: .unconditional, help: "Items per downstream task (0: skip).") var downstreamItems = 100
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, transform: FlagNumber.real) var weightDecay: Double = 0.1
    @Option(name: .customLong("grad-clip"), parsing: .unconditional, transform: FlagNumber.real) var gradClip: Double = 1.0
    @Option(parsing: .unconditional, help: "Threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("checkpoint-dir"), help: "Checkpoint directory (default: DB path + .checkpoints).")
    var checkpointDir: String?
    @Flag(help: "Continue the latest unfinished run with these flags from its checkpoint.") var resume = false

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print one JSON summary object on the last line of stdout.") var json = false

    /// Every flag range-checked (as Int64 or Double, before any size arithmetic), schedule options
    /// that contradict a flag refused, then the whole config validated (memory, token cap).
    func trainingConfig() throws -> TrainingConfig {
        func count(_ value: Int, _ flag: String, _ range: ClosedRange<Int>) throws -> Int {
            try InputNumber.integer(value, flag, in: range)
        }
        for (flag, value) in [("--n-layer", nLayer), ("--d-model", dModel), ("--n-head", nHead), ("--seq-len", seqLen),
                              ("--batch", batch)] {
            _ = try count(value, flag, 1...Int.max)  // caps: ModelConfig / TrainingConfig.validate (memory first)
        }
        let options = ScheduleOptions(schedule)
        try options.refuse("steps", flag: "--steps", given: steps != nil)
        try options.refuse("lr", flag: "--lr", given: lr != nil)
        try options.refuse("warmup", flag: "--warmup", given: warmup != nil)
        try options.refuse("floor", flag: "--floor", given: floor != nil)
        let steps = try count(self.steps ?? 500, "--steps", 1...InputLimits.maxSteps)
        let lr = try InputNumber.real(self.lr ?? 3e-3, "--lr", min: 0, minExclusive: true)
        let floor = try InputNumber.real(self.floor ?? ScheduleResolver.defaultFloorFraction, "--floor", min: 0, max: 1)
        if let warmup { _ = try count(warmup, "--warmup", 0...steps) }
        _ = try count(seed, "--seed", 0...InputLimits.maxSeed)
        _ = try count(corpusSeed, "--corpus-seed", 0...InputLimits.maxSeed)
        _ = try count(evalEvery, "--eval-every", 0...InputLimits.maxSteps)
        _ = try count(evalWindows, "--eval-windows", 1...InputLimits.maxCount)
        _ = try count(downstreamItems, "--downstream-items", 0...InputLimits.maxDownstreamItems)
        if let threads { _ = try count(threads, "--threads", 1...InputLimits.maxThreads) }
        _ = try InputNumber.real(weightDecay, "--weight-decay", min: 0)
        _ = try InputNumber.real(gradClip, "--grad-clip", min: 0)
        let model = ModelConfig(nLayer: nLayer, dModel: dModel, nHead: nHead, seqLen: seqLen, vocabSize: 256)
        try model.validate()
        // The one resolver `sweep` and `predict --schedule` use too.
        let sched = try ScheduleResolver.resolve(schedule, peak: lr, steps: steps, floorFraction: floor, warmupSteps: warmup)
        let cfg = TrainingConfig(model: model, batch: batch, schedule: sched, seed: UInt64(seed), weightDecay: weightDecay,
                                 gradClip: gradClip, evalEvery: evalEvery, evalWindows: evalWindows,
                                 downstreamItems: downstreamItems)
        try cfg.validate()
        return cfg
    }

    func run() throws {
        let cfg = try trainingConfig()
        // Read the corpus before touching the database: a bad corpus writes nothing.
        let corpusData = try CorpusSource.load(corpus, seed: corpusSeed, trainTokens: cfg.steps * cfg.tokensPerStep)
        try corpusData.validate(seqLen: seqLen)
        let label = CorpusSource.label(corpus, seed: corpusSeed)
        let tasks = CorpusSource.tasks(for: corpus, corpus: corpusData, itemsPerTask: cfg.downstreamItems)
        // The best loss any model reaches on these windows (quanta: exact; word chain: estimated). Before the
        // run is recorded: for a large language it takes seconds, and an interrupt then must leave no row.
        let bestLoss = try? BuiltInCorpus.parse(corpus)?.optimalWindowLoss(seed: UInt64(corpusSeed), seqLen: seqLen)
        Threads.configure(jobs: 1, threads: threads)
        let ckDir = URL(fileURLWithPath: checkpointDir ?? database.db + ".checkpoints")
        let store = try Store(path: database.db)
        try Checkpoint.prepareDirectory(ckDir)  // after the database opened: a bad --db is reported first
        let hash = StableHash.hex(String(decoding: try JSONEncoder.sorted.encode(cfg), as: UTF8.self) + label)
        let existing = try store.runs(where: "run_key LIKE 'train-\(hash)-%'")
        var record: RunRecord
        if resume {
            guard let last = existing.last(where: { $0.status == "running" || $0.status == "pending" || $0.status == "failed" }) else {
                throw CLIError("--resume: no unfinished run with these flags in \(database.db)")
            }
            record = last
            let ckURL = RunExecutor(store: store, checkpointDir: ckDir).checkpointURL(for: record)
            guard FileManager.default.fileExists(atPath: ckURL.path) else {
                throw CLIError("--resume: run \(record.id ?? 0) has no checkpoint at \(ckURL.path), so it would start "
                               + "again from step 0 (run without --resume to train a new run)")
            }
            _ = try Checkpoint.read(from: ckURL)  // a damaged checkpoint is an error before anything runs
        } else {
            record = RunRecord.make(key: "train-\(hash)-\(existing.count + 1)", sweepID: nil, config: cfg, corpus: label)
            record.id = try store.insertRun(record)
        }
        let executor = RunExecutor(store: store, checkpointDir: ckDir)
        if !json || isatty(2) == 1 {
            printErr("run \(record.id!): \(nLayer)x\(dModel) (\(cfg.model.paramsNonEmbedding) non-embedding params), "
                     + "\(cfg.steps) steps x \(cfg.tokensPerStep) tokens, lr \(cfg.schedule.peak) \(cfg.schedule.spec)"
                     + (corpusData.entropyRate.map { String(format: ", corpus entropy rate %.4f nats/token", $0) } ?? "")
                     + (bestLoss.map { String(format: ", best loss on %d-token windows %.4f", seqLen, $0) } ?? ""))
        }
        var lastLoss = Double.nan
        let done = try executor.execute(run: record, config: cfg, corpus: corpusData, tasks: tasks) { event in
            switch event {
            case .step(_, _, _, let loss, _, _): lastLoss = loss
            case .eval(let step, let tokens, let val, let down, _):
                printErr(String(format: "step %ld/%ld  tokens %ld  train %.4f  val %.4f%@", step + 1, cfg.steps, tokens,
                                lastLoss, val, down.map { String(format: "  downstream err %.3f", $0) } ?? ""))
            case .checkpoint: break
            }
        }
        let summary: [(String, JSONText.Value)] = [
            ("run_id", .int(done.id!)), ("status", .string(done.status)),
            ("val_loss", done.finalValLoss.map { .number($0) } ?? .null),
            ("train_loss", done.finalTrainLoss.map { .number($0) } ?? .null),
            ("downstream_error", done.finalDownstreamError.map { .number($0) } ?? .null),
            ("tokens", .int(Int64(done.tokensDone))), ("steps", .int(Int64(done.stepsDone))),
            ("params_total", .int(Int64(done.paramsTotal))), ("params_nonembedding", .int(Int64(done.paramsNonEmbedding))),
            ("flops", .number(done.flopsPerToken * Double(done.tokensDone))),
            ("tokens_per_s", .number(done.tokensPerSecond ?? 0)), ("wall_seconds", .number(done.wallSeconds)),
            ("diverged_step", done.divergedStep.map { .int(Int64($0)) } ?? .null),
            ("entropy_rate", corpusData.entropyRate.map { .number($0) } ?? .null),
            ("best_loss", bestLoss.map { .number($0) } ?? .null),
        ]
        if json {
            print(JSONText.render(.object(summary)))
        } else {
            print(String(format: "run %lld %@: val loss %.4f, train loss %.4f, %.0f tokens/s, %.1f s",
                         done.id!, done.status, done.finalValLoss ?? .nan, done.finalTrainLoss ?? .nan,
                         done.tokensPerSecond ?? 0, done.wallSeconds))
        }
        if done.status == "diverged" {
            throw CLIError("run \(done.id!) diverged at step \(done.divergedStep ?? -1) (marked 'diverged' in the database)")
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

/// Splits the machine's cores between parallel jobs and BLAS.
enum Threads {
    static func configure(jobs: Int, threads: Int?) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let per = threads ?? max(1, cores / max(jobs, 1))
        BLASThreads.set(per)
    }
}
