import Foundation
import Schedule
import Trainer
import Validation

/// One run of a sweep, fully determined by the spec and its grid coordinates.
public struct PlannedRun: Sendable, Equatable {
    /// Stable identity: the sweep hash plus the grid coordinates. Resume and merge match on it.
    public var key: String
    public var model: ModelConfig
    public var batch: Int
    public var tokens: Int
    public var steps: Int
    public var lr: Double
    public var schedule: LRSchedule
    public var seed: Int
    /// Index in the full grid (shards take every n-th run by this index).
    public var index: Int
    /// The `flops` budget this run's tokens were derived from (nil for token budgets): IsoFLOP fits
    /// group runs by it exactly, since D = C / (6 N_nonembedding) rounded to whole steps makes each
    /// run's own 6ND differ from it.
    public var computeLevel: Double? = nil

    public var tokensPerStep: Int { batch * model.seqLen }
    public var flops: Double { model.flopsPerToken * Double(steps * tokensPerStep) }
    public var label: String {
        "\(model.nLayer)x\(model.dModel) D=\(formatTokens(tokens)) lr=\(lr) \(schedule.kind.rawValue) seed=\(seed)"
    }
}

/// Expands a spec into its runs, in a deterministic order: shapes, budgets, LRs, schedules, seeds.
public enum SweepPlan {
    public static func runs(_ spec: SweepSpec) throws -> [PlannedRun] {
        // Counted before anything is expanded: a grid of 10^6 runs would take minutes to plan and a
        // row each in the database (the axes are multiplied as Doubles, so no product overflows).
        let axes = [spec.shapes.count, spec.tokens.count + spec.tokensPerParam.count + spec.flops.count, spec.lrs.count,
                    spec.schedules.count, spec.seeds.count]
        let total = axes.reduce(1.0) { $0 * Double($1) }
        guard total <= Double(InputLimits.maxRunsPerSweep) else {
            throw SpecError(file: spec.name, line: nil, "the grid has \(InputEcho.shown(total)) runs (shapes x budgets x lrs x schedules x seeds = "
                            + axes.map(String.init).joined(separator: " x ") + "), more than the cap of \(InputLimits.maxRunsPerSweep) per sweep")
        }
        var out: [PlannedRun] = []
        let hash = spec.hash
        for shape in spec.shapes {
            let model = ModelConfig(nLayer: shape.nLayer, dModel: shape.dModel,
                                    nHead: max(1, shape.dModel / spec.headDim), seqLen: spec.seqLen, vocabSize: 256)
            try model.validate()
            let n = Double(model.paramsNonEmbedding)
            let budgets = !spec.tokens.isEmpty ? spec.tokens
                : !spec.flops.isEmpty ? spec.flops.map { $0 / (6 * n) }
                : spec.tokensPerParam.map { $0 * n }
            try MemoryEstimate(model: model, batch: spec.batch).check()
            let tokensPerStep = spec.batch * spec.seqLen
            // Budgets are Doubles (tokens_per_param x N can be anything): bounded before they become Ints.
            func stepsFor(_ budget: Double) throws -> Int {
                guard budget.isFinite, budget <= Double(InputLimits.maxTokens) else {
                    throw SpecError(file: spec.name, line: nil, "shape \(shape.label): a budget of \(InputEcho.shown(budget)) tokens "
                                    + "is more than the cap of \(InputLimits.maxTokens) tokens per run")
                }
                let steps = (budget / Double(tokensPerStep)).rounded()
                guard steps <= Double(InputLimits.maxSteps) else {
                    throw SpecError(file: spec.name, line: nil, "shape \(shape.label): a budget of \(InputEcho.shown(budget)) tokens "
                                    + "at \(tokensPerStep) tokens per step is \(InputEcho.shown(steps)) steps, more than the cap of \(InputLimits.maxSteps)")
                }
                return max(1, Int(steps))
            }
            // WSD branches share their trunk's warmup, so it is set from the shortest budget.
            let shortest = try budgets.map(stepsFor).min() ?? 1
            for (b, budget) in budgets.enumerated() {
                let steps = try stepsFor(budget)
                let level = spec.tokens.isEmpty && !spec.flops.isEmpty ? spec.flops[b] : nil
                for axisLR in spec.lrs {
                    let lr = spec.lr(axisLR, dModel: shape.dModel)
                    for schedSpec in spec.schedules {
                        // The grid sets each run's steps (budgets) and peak (lr axis); a spec saying otherwise
                        // would train something other than the plan lists.
                        for key in ["steps", "lr"] where ScheduleOptions(schedSpec).has(key) {
                            throw SpecError(file: spec.name, line: nil, "schedule '\(schedSpec)' sets \(key)=, but a sweep's "
                                            + (key == "steps" ? "budgets set the steps" : "lr axis sets the peak"))
                        }
                        let kind = try LRSchedule.parse(schedSpec, peak: lr, totalSteps: steps).kind
                        let sched = try ScheduleResolver.resolve(schedSpec, peak: lr, steps: steps,
                                                                 warmupFraction: spec.warmupFraction,
                                                                 floorFraction: spec.floorFraction,
                                                                 warmupBase: spec.wsdBranching && kind == .wsd ? shortest : nil)
                        for seed in spec.seeds {
                            let coords = "\(shape.label)|\(budget)|\(axisLR)|\(schedSpec)|\(seed)"
                            let run = PlannedRun(key: "\(hash)-\(StableHash.hex(coords))", model: model,
                                                 batch: spec.batch, tokens: steps * tokensPerStep, steps: steps, lr: lr,
                                                 schedule: sched, seed: seed, index: out.count, computeLevel: level)
                            // The same checks `train` makes, before any row is written (and for --plan).
                            try trainingConfig(run, spec).validate()
                            out.append(run)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The training configuration of one planned run: the spec's shared settings with the run's
    /// shape, budget, LR, schedule and seed. Evaluations are spread evenly (`evals` per run).
    public static func trainingConfig(_ r: PlannedRun, _ spec: SweepSpec) -> TrainingConfig {
        TrainingConfig(model: r.model, batch: r.batch, schedule: r.schedule, seed: UInt64(r.seed),
                       weightDecay: spec.weightDecay, gradClip: spec.gradClip,
                       evalEvery: max(1, r.steps / spec.evals), evalWindows: spec.evalWindows,
                       downstreamItems: spec.downstreamItems)
    }

    /// Runs that must train in one process: with WSD branching, a trunk and the shorter budgets that
    /// branch their decay off it share shape, LR, decay settings and seed; otherwise each run is alone.
    public static func trunkKey(_ r: PlannedRun, branching: Bool) -> String {
        branching && r.schedule.kind == .wsd
            ? "\(r.model.nLayer)x\(r.model.dModel)|\(r.lr)|\(r.schedule.decayFraction)|\(r.schedule.decayShape)|\(r.seed)"
            : r.key
    }

    /// The runs of shard i of n (1-based i). Shards are disjoint, together cover the grid exactly,
    /// and are balanced by training FLOPs, not by run count: a grid's runs differ in cost by orders
    /// of magnitude (every n-th run of a 4 x 4 grid split 4 ways gave one shard all the largest
    /// budgets, 8x the FLOPs of another), and the slowest shard sets the sweep's wall time. Units
    /// go, largest first, to the shard with the least FLOPs so far (longest-processing-time
    /// scheduling: the spread between shards is at most one unit). A unit is a run, or with WSD
    /// branching a trunk family (the trunk and its branches stay in one shard and train there
    /// exactly as in an unsharded sweep). Deterministic: ties go to the earlier run and shard.
    public static func shard(_ runs: [PlannedRun], index i: Int, of n: Int, branching: Bool = false) -> [PlannedRun] {
        var order: [String] = []
        var cost: [String: Double] = [:]
        for r in runs {
            let k = trunkKey(r, branching: branching)
            if cost[k] == nil { order.append(k) }
            cost[k, default: 0] += r.flops
        }
        let units = order.enumerated().sorted { (cost[$0.element]!, $1.offset) > (cost[$1.element]!, $0.offset) }
        // Units go to the least-loaded shard, the lowest index on ties, so with more shards than units only
        // the first `order.count` ever get one: the others need no slot (n can be large).
        var load = [Double](repeating: 0, count: max(1, min(n, order.count)))
        var owner: [String: Int] = [:]
        for (_, k) in units {
            let s = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            owner[k] = s
            load[s] += cost[k]!
        }
        return runs.filter { owner[trunkKey($0, branching: branching)] == i - 1 }
    }

    /// How many non-empty shards the grid can have: its runs, or its trunk families with branching.
    public static func shardUnits(_ runs: [PlannedRun], branching: Bool) -> Int {
        Set(runs.map { trunkKey($0, branching: branching) }).count
    }
}

func formatTokens(_ t: Int) -> String {
    let d = Double(t)
    if d >= 1e9 { return String(format: "%.2fG", d / 1e9) }
    if d >= 1e6 { return String(format: "%.2fM", d / 1e6) }
    if d >= 1e3 { return String(format: "%.1fk", d / 1e3) }
    return "\(t)"
}
