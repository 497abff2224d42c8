import Foundation
import Schedule
import Store
import Trainer

/// Runs a sweep into a database: skips finished runs, resumes interrupted ones from their
/// checkpoints, trains the rest, `jobs` at a time. WSD sweeps with branching train one trunk per
/// (shape, LR, schedule, seed) and branch each shorter budget's decay off the trunk.
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
        let tasks = CorpusSource.tasks(for: spec.corpus, corpus: corpus, itemsPerTask: spec.downstreamItems)
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

        let state = WorkState()
        if soleWriter { try RunLease.dropAll(in: store) }
        let lease = try RunLease(path: dbPath, duration: leaseSeconds)
        defer { try? lease.release() }
        let workers = min(jobs, max(1, groups.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let local: Store
            do { local = try Store(path: dbPath) } catch {
                state.fail(error)
                return
            }
            while let gi = state.take(limit: groups.count) {
                do {
                    let ids = try unfinishedRunIDs(groups[gi], store: local)
                    if ids.isEmpty { continue }
                    guard try lease.claim(ids) else {
                        state.add(held: ids.count)
                        continue
                    }
                    defer { try? lease.release(ids) }
                    let result = try runGroup(groups[gi], store: local, sweepID: sweepID, corpus: corpus, tasks: tasks,
                                              lease: lease)
                    state.add(finished: result.finished, diverged: result.diverged)
                } catch {
                    state.fail(error)
                }
            }
        }
        let counts = state.counts
        let firstError = state.firstError
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

    /// The ids of the group's runs that are not finished or diverged: what a holder must claim.
    func unfinishedRunIDs(_ g: Group, store: Store) throws -> [Int64] {
        try ([g.trunk] + g.branches).compactMap { r in
            guard let rec = try store.run(key: r.key), !["finished", "diverged"].contains(rec.status) else { return nil }
            return rec.id
        }
    }

    func runGroup(_ g: Group, store: Store, sweepID: Int64, corpus: Corpus, tasks: [DownstreamTask], lease: RunLease)
        throws -> (finished: Int, diverged: Int) {
        let executor = RunExecutor(store: store, checkpointDir: checkpointDir, heartbeat: { _ = try? lease.renew() })
        var result = (finished: 0, diverged: 0)
        guard var trunkRecord = try store.run(key: g.trunk.key) else { return result }
        let branchPoints = Set(g.branchStep.values)
        let extra = Dictionary(uniqueKeysWithValues: branchPoints.map { ($0, branchCheckpoint(g.trunk, step: $0)) })
        let pendingBranches = try g.branches.filter { try !["finished", "diverged"].contains(store.run(key: $0.key)?.status ?? "") }
        let missingBranchCheckpoint = pendingBranches.contains {
            !FileManager.default.fileExists(atPath: extra[g.branchStep[$0.key]!]!.path)
        }
        let trunkDone = ["finished", "diverged"].contains(trunkRecord.status)
        if !trunkDone || missingBranchCheckpoint {
            if trunkDone {
                // Branch checkpoints were lost: retrain the trunk up to the last branch point without
                // logging (its rows are final), only to recreate them.
                try regenerateBranchCheckpoints(g, corpus: corpus, extra: extra, lease: lease)
            } else {
                trunkRecord = try train(g.trunk, record: trunkRecord, executor: executor, corpus: corpus, tasks: tasks,
                                        extra: extra)
                if trunkRecord.status == "finished" { result.finished += 1 } else { result.diverged += 1 }
            }
        }
        for b in pendingBranches {
            guard var rec = try store.run(key: b.key) else { continue }
            if rec.parentRunID == nil {
                rec.parentRunID = trunkRecord.id
                try store.updateRun(rec)
            }
            let startURL = extra[g.branchStep[b.key]!]!
            let start = FileManager.default.fileExists(atPath: startURL.path) ? try Checkpoint.read(from: startURL) : nil
            guard trunkRecord.status == "finished", let start else {
                rec.status = "diverged"
                rec.divergedStep = trunkRecord.divergedStep
                try store.updateRun(rec)
                result.diverged += 1
                continue
            }
            let done = try train(b, record: rec, executor: executor, corpus: corpus, tasks: tasks, start: start)
            if done.status == "finished" { result.finished += 1 } else { result.diverged += 1 }
        }
        for url in extra.values { try? FileManager.default.removeItem(at: url) }
        return result
    }

    func train(_ r: PlannedRun, record: RunRecord, executor: RunExecutor, corpus: Corpus, tasks: [DownstreamTask],
               start: Checkpoint? = nil, extra: [Int: URL] = [:]) throws -> RunRecord {
        progress.runStarted(r)
        let done = try executor.execute(run: record, config: trainingConfig(r), corpus: corpus, tasks: tasks,
                                        start: start, extraCheckpoints: extra) { event in
            progress.event(r, event)
        }
        progress.runFinished(r, record: done)
        return done
    }

    func regenerateBranchCheckpoints(_ g: Group, corpus: Corpus, extra: [Int: URL], lease: RunLease) throws {
        let trainer = try TrainingRun(config: trainingConfig(g.trunk), corpus: corpus, tasks: [])
        _ = try trainer.run(stopAfter: extra.keys.max(), extraCheckpoints: extra, observer: { _ in _ = try? lease.renew() })
    }
}

/// Shared state of the sweep's worker threads: the next group to take, counts, the first error.
final class WorkState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var firstError: Error?
    private(set) var counts = (finished: 0, diverged: 0, failed: 0, held: 0)

    /// The next group index, or nil when all are taken or a worker failed.
    func take(limit: Int) -> Int? {
        lock.withLock {
            guard firstError == nil, next < limit else { return nil }
            next += 1
            return next - 1
        }
    }

    func add(finished: Int, diverged: Int) {
        lock.withLock {
            counts.finished += finished
            counts.diverged += diverged
        }
    }

    func add(held: Int) {
        lock.withLock { counts.held += held }
    }

    func fail(_ error: Error) {
        lock.withLock {
            counts.failed += 1
            if firstError == nil { firstError = error }
        }
    }
}
