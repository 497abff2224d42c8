import Foundation
import Schedule
import Store
import Trainer

/// Runs a sweep into a database: skips finished runs, resumes interrupted ones from their
/// checkpoints, trains the rest, `jobs` at a time. WSD sweeps with branching train one trunk per
/// (shape, LR, schedule, seed) and branch each shorter budget's decay off the trunk; a branch starts
/// on a free worker as soon as the trunk has passed its branch point (SweepScheduler, GroupWork).
///
/// Several sweep processes (or runners) on one database split the work: each group of runs is
/// claimed (RunLease) before it is trained, and groups another live holder claimed are skipped.
public final class SweepRunner: @unchecked Sendable {
    public let spec: SweepSpec
    public let dbPath: String
    public let checkpointDir: URL
    public let jobs: Int
    public let shard: (index: Int, count: Int)?
    /// Seconds a claim on runs lasts without renewal (the trainer renews it as it goes).
    public let leaseSeconds: Double
    let progress: SweepProgress
    /// The database has no other writer (a Slurm shard task): leases left by an earlier, killed
    /// attempt are dropped instead of waited out.
    public var soleWriter = false

    public init(spec: SweepSpec, dbPath: String, checkpointDir: URL, jobs: Int, shard: (Int, Int)?,
                progress: SweepProgress, leaseSeconds: Double = RunLease.defaultDuration) {
        self.leaseSeconds = leaseSeconds
        self.spec = spec
        self.dbPath = dbPath
        self.checkpointDir = checkpointDir
        self.jobs = max(1, jobs)
        self.shard = shard
        self.progress = progress
    }

    /// A trunk and the branches that start from its checkpoints (or a single from-scratch run).
    struct Group: Sendable {
        var trunk: PlannedRun
        var branches: [PlannedRun]
        var branchStep: [String: Int]  // branch key -> completed trunk steps it starts from
    }

    public struct Summary: Sendable {
        public var sweepID: Int64
        public var planned: Int
        public var skipped: Int
        public var finished: Int
        public var diverged: Int
        public var failed: Int
        /// Runs skipped because another process (or runner) holds them.
        public var heldElsewhere = 0
        /// FLOPs the sweep's grid costs trained from scratch, and what this plan costs.
        public var scratchFLOPs: Double
        public var plannedFLOPs: Double
        /// Model FLOPs of the steps trained in this call (skipped runs and resumed steps excluded).
        public var trainedFLOPs: Double = 0
    }

    /// Groups runs that share a WSD trunk: same shape, LR, decay settings and seed. The longest
    /// budget is the trunk; a shorter one branches off it when its decay starts earlier and its
    /// warmup matches (the LRs before its decay are then the trunk's). Others train from scratch.
    func groups(_ runs: [PlannedRun]) -> [Group] {
        guard spec.wsdBranching else { return runs.map { Group(trunk: $0, branches: [], branchStep: [:]) } }
        var members: [String: [PlannedRun]] = [:]
        var order: [String] = []
        for r in runs {
            let k = SweepPlan.trunkKey(r, branching: true)
            if members[k] == nil { order.append(k) }
            members[k, default: []].append(r)
        }
        var out: [Group] = []
        var solo: [Group] = []
        for k in order {
            let sorted = members[k]!.sorted { $0.steps > $1.steps }
            var g = Group(trunk: sorted[0], branches: [], branchStep: [:])
            for b in sorted.dropFirst() {
                if b.schedule.decayStart < g.trunk.schedule.decayStart && b.schedule.warmupSteps == g.trunk.schedule.warmupSteps {
                    g.branches.append(b)
                    g.branchStep[b.key] = b.schedule.decayStart
                } else {
                    solo.append(Group(trunk: b, branches: [], branchStep: [:]))
                }
            }
            out.append(g)
        }
        return out + solo
    }

    public func run() throws -> Summary {
        var planned = try SweepPlan.runs(spec)
        if let s = shard { planned = SweepPlan.shard(planned, index: s.index, of: s.count, branching: spec.wsdBranching) }
        // Everything that can fail on the input fails here, before the sweep and its runs are written:
        // the plan validated every run's config; the corpus is read and checked next.
        let corpus = try CorpusSource.load(spec.corpus, seed: spec.corpusSeed, trainTokens: try corpusTokens())
        try corpus.validate(seqLen: spec.seqLen)
        let downstream = CorpusSource.tasks(for: spec.corpus, corpus: corpus, itemsPerTask: spec.downstreamItems)
        let store = try Store(path: dbPath)
        try Checkpoint.prepareDirectory(checkpointDir)
        let sweepID = try store.sweepID(name: spec.name, specHash: spec.hash, spec: spec.canonicalJSON)
        // Longest first: with several jobs the big runs start early and the small ones fill the gaps.
        let groups = groups(planned).sorted { ($0.trunk.flops, $1.trunk.index) > ($1.trunk.flops, $0.trunk.index) }
        var summary = Summary(sweepID: sweepID, planned: planned.count, skipped: 0, finished: 0, diverged: 0, failed: 0,
                              scratchFLOPs: planned.reduce(0) { $0 + $1.flops }, plannedFLOPs: 0)
        for g in groups {
            summary.plannedFLOPs += g.trunk.flops
            for b in g.branches {
                summary.plannedFLOPs += b.flops * Double(b.steps - g.branchStep[b.key]!) / Double(b.steps)
            }
        }
        // Insert every run up front (pending), so `scalefit runs` shows the whole plan.
        var todo = 0
        try store.transaction {
            for g in groups {
                for r in [g.trunk] + g.branches where try store.run(key: r.key) == nil {
                    try store.insertRun(record(r, sweepID: sweepID, parent: nil, branchStep: g.branchStep[r.key]))
                }
            }
        }
        for r in planned {
            let st = try store.run(key: r.key)?.status ?? "pending"
            if st == "finished" || st == "diverged" { summary.skipped += 1 } else { todo += 1 }
        }
        let bestLoss = try? BuiltInCorpus.parse(spec.corpus)?.optimalWindowLoss(seed: UInt64(spec.corpusSeed), seqLen: spec.seqLen)
        progress.start(total: planned.count, alreadyDone: summary.skipped,
                       flopsTotal: summary.plannedFLOPs, entropyRate: corpus.entropyRate, bestLoss: bestLoss)

        if soleWriter { try RunLease.dropAll(in: store) }
        let lease = try RunLease(path: dbPath, duration: leaseSeconds)
        defer { try? lease.release() }
        let scheduler = SweepScheduler(groups: groups.count)
        // Branches are tasks of their own: a two-core sweep of one trunk family keeps both cores busy.
        let workers = min(jobs, max(1, groups.reduce(0) { $0 + 1 + $1.branches.count }))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let local: Store
            do { local = try Store(path: dbPath) } catch {
                scheduler.fail(error)
                return
            }
            let work = GroupWork(runner: self, groups: groups, store: local, sweepID: sweepID, corpus: corpus,
                                 tasks: downstream, lease: lease, scheduler: scheduler)
            while let next = scheduler.next() {
                do {
                    switch next {
                    case .trunk(let g): try work.trunk(g)
                    case .branch(let g, let b): try work.branch(g, b)
                    }
                } catch {
                    scheduler.fail(error)
                }
            }
        }
        let counts = scheduler.counts
        let firstError = scheduler.firstError
        progress.finish()
        summary.trainedFLOPs = progress.trainedFLOPs
        summary.finished = counts.finished
        summary.diverged = counts.diverged
        summary.failed = counts.failed
        summary.heldElsewhere = counts.held
        if let firstError { throw firstError }
        return summary
    }

    /// Training tokens of the synthetic corpus: the largest budget of the whole grid, never of this
    /// shard alone. The generated text depends on its length, so a shard without the largest budget
    /// would otherwise train on other text than the unsharded sweep (the demo split 4 ways did: its
    /// smaller shards' losses differed from a local sweep's in the third decimal).
    func corpusTokens() throws -> Int {
        try SweepPlan.runs(spec).map(\.tokens).max() ?? 0
    }

    func record(_ r: PlannedRun, sweepID: Int64, parent: Int64?, branchStep: Int?) -> RunRecord {
        RunRecord.make(key: r.key, sweepID: sweepID, config: trainingConfig(r),
                       corpus: CorpusSource.label(spec.corpus, seed: spec.corpusSeed),
                       parentRunID: parent, branchStep: branchStep, computeLevel: r.computeLevel)
    }

    func trainingConfig(_ r: PlannedRun) -> TrainingConfig { SweepPlan.trainingConfig(r, spec) }

    func branchCheckpoint(_ trunk: PlannedRun, step: Int) -> URL {
        checkpointDir.appendingPathComponent("\(trunk.key).branch\(step).ckpt")
    }

    /// The trunk checkpoints a group's branches start from, by completed trunk steps.
    func branchCheckpoints(_ g: Group) -> [Int: URL] {
        Dictionary(uniqueKeysWithValues: Set(g.branchStep.values).map { ($0, branchCheckpoint(g.trunk, step: $0)) })
    }

    /// The ids of the group's runs that are not finished or diverged: what a holder must claim.
    func unfinishedRunIDs(_ g: Group, store: Store) throws -> [Int64] {
        try ([g.trunk] + g.branches).compactMap { r in
            guard let rec = try store.run(key: r.key), !["finished", "diverged"].contains(rec.status) else { return nil }
            return rec.id
        }
    }

    func train(_ r: PlannedRun, record: RunRecord, executor: RunExecutor, corpus: Corpus, tasks: [DownstreamTask],
               start: Checkpoint? = nil, extra: [Int: URL] = [:],
               onEvent: (TrainingEvent) -> Void = { _ in }) throws -> RunRecord {
        progress.runStarted(r)
        let done = try executor.execute(run: record, config: trainingConfig(r), corpus: corpus, tasks: tasks,
                                        start: start, extraCheckpoints: extra) { event in
            progress.event(r, event)
            onEvent(event)
        }
        progress.runFinished(r, record: done)
        return done
    }
}
