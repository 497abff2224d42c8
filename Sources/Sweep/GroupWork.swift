import Foundation
import Store
import Trainer

/// What one worker thread of a sweep does with a task from the `SweepScheduler`: claim a group
/// and train its trunk, or train one of its WSD decay branches.
///
/// The trunk writes a checkpoint at every branch point; each branch is offered to the scheduler as
/// soon as its checkpoint exists, so another worker trains it while the trunk goes on. A branch
/// resumed after a crash starts from its own rolling checkpoint instead. Recovery is the same as
/// before: a branch point the trunk passed without a checkpoint on disk (deleted, or lost) is
/// recreated by retraining the trunk up to it without logging; a branch whose point the trunk never
/// reached (it diverged earlier) is marked diverged at the trunk's step. A branch whose point the
/// trunk reached trains even if the trunk diverges later: its steps from there on are its own, the
/// same as the from-scratch run of its budget.
struct GroupWork {
    let runner: SweepRunner
    let groups: [SweepRunner.Group]
    let store: Store
    let sweepID: Int64
    let corpus: Corpus
    let tasks: [DownstreamTask]
    let lease: RunLease
    let scheduler: SweepScheduler

    static let settled: Set<String> = ["finished", "diverged"]

    var executor: RunExecutor {
        let lease = lease
        return RunExecutor(store: store, checkpointDir: runner.checkpointDir, heartbeat: { _ = try? lease.renew() })
    }

    func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    func ownCheckpoint(_ r: PlannedRun) -> URL { runner.checkpointDir.appendingPathComponent("\(r.key).ckpt") }

    func startCheckpoint(_ g: SweepRunner.Group, _ b: Int) -> URL {
        runner.branchCheckpoint(g.trunk, step: g.branchStep[g.branches[b].key]!)
    }

    /// Branch `b` can train now: its trunk checkpoint exists, or its own (an interrupted branch).
    func startable(_ g: SweepRunner.Group, _ b: Int) -> Bool {
        exists(startCheckpoint(g, b)) || exists(ownCheckpoint(g.branches[b]))
    }

    func branchFLOPs(_ g: SweepRunner.Group, _ b: Int) -> Double {
        let r = g.branches[b]
        return r.flops * Double(r.steps - g.branchStep[r.key]!) / Double(r.steps)
    }

    /// Offers every pending branch of group `gi` that can start and was not offered yet.
    func offerStartable(_ gi: Int, pending: [Int]) {
        let g = groups[gi]
        for b in pending where !scheduler.wasOffered(group: gi, branch: b) && startable(g, b) {
            scheduler.offer(group: gi, branch: b, flops: branchFLOPs(g, b))
        }
    }

    /// Claims group `gi`'s unfinished runs and trains its trunk, offering the branches as it goes.
    func trunk(_ gi: Int) throws {
        defer { scheduler.trunkEnded() }
        let g = groups[gi]
        let ids = try runner.unfinishedRunIDs(g, store: store)
        if ids.isEmpty { return }
        guard try lease.claim(ids) else {
            scheduler.add(held: ids.count)
            return
        }
        let pending = try g.branches.indices.filter { !Self.settled.contains(try store.run(key: g.branches[$0].key)?.status ?? "") }
        scheduler.begin(group: gi, branches: pending.count)
        offerStartable(gi, pending: pending)
        guard var trunkRecord = try store.run(key: g.trunk.key) else { return finish(gi) }
        if !Self.settled.contains(trunkRecord.status) {
            trunkRecord = try runner.train(g.trunk, record: trunkRecord, executor: executor, corpus: corpus, tasks: tasks,
                                           extra: runner.branchCheckpoints(g)) { event in
                if case .checkpoint = event { offerStartable(gi, pending: pending) }
            }
            scheduler.add(finished: trunkRecord.status == "finished" ? 1 : 0, diverged: trunkRecord.status == "finished" ? 0 : 1)
        }
        // Branch points the trunk passed whose checkpoints are gone: retrain the trunk up to them,
        // without logging (its rows are final), only to recreate them.
        let lost = pending.filter {
            !scheduler.wasOffered(group: gi, branch: $0) && g.branchStep[g.branches[$0].key]! <= trunkRecord.stepsDone
        }
        if !lost.isEmpty {
            let points = Dictionary(lost.map { (g.branchStep[g.branches[$0].key]!, startCheckpoint(g, $0)) }) { a, _ in a }
            let trainer = try TrainingRun(config: runner.trainingConfig(g.trunk), corpus: corpus, tasks: [])
            _ = try trainer.run(stopAfter: points.keys.max(), extraCheckpoints: points, observer: { event in
                _ = try? lease.renew()
                if case .checkpoint = event { offerStartable(gi, pending: pending) }
            })
        }
        // The trunk never reached these branches' points (it diverged first): they diverge with it.
        for b in pending where !scheduler.wasOffered(group: gi, branch: b) {
            guard var rec = try store.run(key: g.branches[b].key) else { continue }
            rec.parentRunID = rec.parentRunID ?? trunkRecord.id
            rec.status = "diverged"
            rec.divergedStep = trunkRecord.divergedStep
            try store.updateRun(rec)
            scheduler.add(finished: 0, diverged: 1)
            finish(gi)
        }
        finish(gi)
    }

    /// Trains branch `b` of group `gi` from its trunk checkpoint (or resumes it from its own).
    func branch(_ gi: Int, _ b: Int) throws {
        let g = groups[gi]
        let r = g.branches[b]
        guard var rec = try store.run(key: r.key) else { return finish(gi) }
        if rec.parentRunID == nil {
            rec.parentRunID = try store.run(key: g.trunk.key)?.id
            try store.updateRun(rec)
        }
        let startURL = startCheckpoint(g, b)
        let start = exists(ownCheckpoint(r)) ? nil : try Checkpoint.read(from: startURL)
        let done = try runner.train(r, record: rec, executor: executor, corpus: corpus, tasks: tasks, start: start)
        scheduler.add(finished: done.status == "finished" ? 1 : 0, diverged: done.status == "finished" ? 0 : 1)
        finish(gi)
    }

    /// Marks one task of group `gi` done; after its last, the branch checkpoints go and the claim ends.
    func finish(_ gi: Int) {
        guard scheduler.taskDone(group: gi) else { return }
        let g = groups[gi]
        for url in runner.branchCheckpoints(g).values { try? FileManager.default.removeItem(at: url) }
        let ids = ([g.trunk] + g.branches).compactMap { try? store.run(key: $0.key)?.id }
        try? lease.release(ids)
    }
}
