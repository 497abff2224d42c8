/// One training run: its full config (JSON) plus the columns people filter on.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64?
    public var sweepID: Int64?
    /// Stable identity of the run within its sweep (or a fresh one for `scalefit train`), used by
    /// resume and merge: the same key is the same run.
    public var runKey: String
    public var parentRunID: Int64?
    public var branchStep: Int?
    public var config: String
    public var nLayer: Int
    public var dModel: Int
    public var nHead: Int
    public var seqLen: Int
    public var vocab: Int
    public var batchSize: Int
    public var paramsTotal: Int
    public var paramsNonEmbedding: Int
    public var flopsPerToken: Double
    public var tokensBudget: Int
    public var stepsBudget: Int
    public var lr: Double
    public var schedule: String
    public var seed: Int
    public var corpus: String
    public var status: String = "pending"
    public var divergedStep: Int?
    public var stepsDone: Int = 0
    public var tokensDone: Int = 0
    public var finalTrainLoss: Double?
    public var finalValLoss: Double?
    public var finalDownstreamError: Double?
    public var tokensPerSecond: Double?
    public var wallSeconds: Double = 0
    public var createdAt: String = ""
    public var startedAt: String?
    public var finishedAt: String?
    /// The compute budget (FLOPs) of the `flops` sweep level this run belongs to, or nil.
    public var computeLevel: Double?

    public init(runKey: String, sweepID: Int64? = nil, parentRunID: Int64? = nil, branchStep: Int? = nil,
                config: String, nLayer: Int, dModel: Int, nHead: Int, seqLen: Int, vocab: Int,
                batchSize: Int, paramsTotal: Int, paramsNonEmbedding: Int, flopsPerToken: Double,
                tokensBudget: Int, stepsBudget: Int, lr: Double, schedule: String, seed: Int,
                corpus: String) {
        self.runKey = runKey
        self.sweepID = sweepID
        self.parentRunID = parentRunID
        self.branchStep = branchStep
        self.config = config
        self.nLayer = nLayer
        self.dModel = dModel
        self.nHead = nHead
        self.seqLen = seqLen
        self.vocab = vocab
        self.batchSize = batchSize
        self.paramsTotal = paramsTotal
        self.paramsNonEmbedding = paramsNonEmbedding
        self.flopsPerToken = flopsPerToken
        self.tokensBudget = tokensBudget
        self.stepsBudget = stepsBudget
        self.lr = lr
        self.schedule = schedule
        self.seed = seed
        self.corpus = corpus
    }

    static let columns = [
        "id", "sweep_id", "run_key", "parent_run_id", "branch_step", "config", "n_layer", "d_model",
        "n_head", "seq_len", "vocab", "batch_size", "params_total", "params_nonembedding",
        "flops_per_token", "tokens_budget", "steps_budget", "lr", "schedule", "seed", "corpus",
        "status", "diverged_step", "steps_done", "tokens_done", "final_train_loss", "final_val_loss",
        "final_downstream_error", "tokens_per_s", "wall_seconds", "created_at", "started_at", "finished_at", "compute_level",
    ]

    var values: [SQLValue] {
        [id.sql, sweepID.sql, .text(runKey), parentRunID.sql, branchStep.sql, .text(config),
         .integer(Int64(nLayer)), .integer(Int64(dModel)), .integer(Int64(nHead)), .integer(Int64(seqLen)),
         .integer(Int64(vocab)), .integer(Int64(batchSize)), .integer(Int64(paramsTotal)),
         .integer(Int64(paramsNonEmbedding)), .real(flopsPerToken), .integer(Int64(tokensBudget)),
         .integer(Int64(stepsBudget)), .real(lr), .text(schedule), .integer(Int64(seed)), .text(corpus),
         .text(status), divergedStep.sql, .integer(Int64(stepsDone)), .integer(Int64(tokensDone)),
         finalTrainLoss.sql, finalValLoss.sql, finalDownstreamError.sql, tokensPerSecond.sql,
         .real(wallSeconds), .text(createdAt), startedAt.sql, finishedAt.sql, computeLevel.sql]
    }

    init(row r: Row) {
        self.init(runKey: r.string("run_key") ?? "", sweepID: r.int64("sweep_id"),
                  parentRunID: r.int64("parent_run_id"), branchStep: r.int("branch_step"),
                  config: r.string("config") ?? "{}", nLayer: r.int("n_layer") ?? 0, dModel: r.int("d_model") ?? 0,
                  nHead: r.int("n_head") ?? 0, seqLen: r.int("seq_len") ?? 0, vocab: r.int("vocab") ?? 0,
                  batchSize: r.int("batch_size") ?? 0, paramsTotal: r.int("params_total") ?? 0,
                  paramsNonEmbedding: r.int("params_nonembedding") ?? 0,
                  flopsPerToken: r.double("flops_per_token") ?? 0, tokensBudget: r.int("tokens_budget") ?? 0,
                  stepsBudget: r.int("steps_budget") ?? 0, lr: r.double("lr") ?? 0,
                  schedule: r.string("schedule") ?? "", seed: r.int("seed") ?? 0, corpus: r.string("corpus") ?? "")
        id = r.int64("id")
        status = r.string("status") ?? "pending"
        divergedStep = r.int("diverged_step")
        stepsDone = r.int("steps_done") ?? 0
        tokensDone = r.int("tokens_done") ?? 0
        finalTrainLoss = r.double("final_train_loss")
        finalValLoss = r.double("final_val_loss")
        finalDownstreamError = r.double("final_downstream_error")
        tokensPerSecond = r.double("tokens_per_s")
        wallSeconds = r.double("wall_seconds") ?? 0
        createdAt = r.string("created_at") ?? ""
        startedAt = r.string("started_at")
        finishedAt = r.string("finished_at")
        computeLevel = r.double("compute_level")
    }
}

/// A row with named access, so records decode by column name rather than position.
struct Row {
    let names: [String: Int]
    let values: [SQLValue]

    init(columns: [String], values: [SQLValue]) {
        var m: [String: Int] = [:]
        for (i, c) in columns.enumerated() { m[c] = i }
        names = m
        self.values = values
    }

    func value(_ c: String) -> SQLValue { names[c].map { values[$0] } ?? .null }
    func string(_ c: String) -> String? { value(c).stringValue }
    func double(_ c: String) -> Double? { value(c).doubleValue }
    func int64(_ c: String) -> Int64? { value(c).int64Value }
    func int(_ c: String) -> Int? { int64(c).map { Int($0) } }
}
