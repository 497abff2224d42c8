import Foundation

/// Hands the sweep's worker threads their next piece of work, with the WSD branch
/// dependencies: a group's trunk can start at once; each of its branches becomes runnable the moment
/// the trunk has written the checkpoint it starts from (`offer`), not when the trunk finishes, so a
/// core that would wait for the trunk trains the decay branches beside it and the FLOPs branching
/// saves become saved wall time. Runnable branches go first (largest first), then new groups in the
/// caller's order (largest first: LPT).
///
/// A worker with nothing runnable waits while some trunk is still in progress (its branches may
/// still become runnable) and stops when nothing is left. Which worker trains what never changes a
/// run's losses: each depends only on its config, seed, start checkpoint and threads per model.
final class SweepScheduler: @unchecked Sendable {
    enum Work: Equatable {
        /// Claim group `g`'s runs and train its trunk (or recreate its lost branch checkpoints).
        case trunk(Int)
        /// Train branch `branch` (an index into the group's branches) from its start checkpoint.
        case branch(group: Int, branch: Int)
    }

    private let cond = NSCondition()
    /// Groups are taken in index order (the caller sorts them largest first).
    private let groupCount: Int
    private var nextGroup = 0
    /// Runnable branches with their remaining FLOPs.
    private var ready: [(work: Work, flops: Double)] = []
    private var offered: Set<[Int]> = []
    /// Trunk tasks handed out and not yet ended: while any is, a branch may still become runnable.
    private var activeTrunks = 0
    /// Tasks of each started group not done yet (its trunk and pending branches).
    private var open: [Int: Int] = [:]
    private(set) var firstError: Error?
    private(set) var counts = (finished: 0, diverged: 0, failed: 0, held: 0)

    init(groups: Int) {
        groupCount = groups
    }

    /// The next task, blocking while nothing is runnable but a trunk may still release branches;
    /// nil when all work is handed out or a worker failed.
    func next() -> Work? {
        cond.lock()
        defer { cond.unlock() }
        while true {
            guard firstError == nil else { return nil }
            // Runnable branches before new groups: a started family finishes first, so its branch
            // checkpoints are deleted early (at most a few families' are on disk at a time).
            if let b = ready.indices.max(by: { (ready[$0].flops, $1) < (ready[$1].flops, $0) }) {
                return ready.remove(at: b).work
            }
            if nextGroup < groupCount {
                nextGroup += 1
                activeTrunks += 1
                return .trunk(nextGroup - 1)
            }
            guard activeTrunks > 0 else { return nil }
            cond.wait()
        }
    }

    /// Group `g` was claimed: it has its trunk task plus `branches` branch tasks to finish.
    func begin(group g: Int, branches: Int) {
        cond.withLock { open[g] = 1 + branches }
    }

    /// Branch `b` of group `g` can start (its checkpoint exists). Offering it again does nothing.
    func offer(group g: Int, branch b: Int, flops: Double) {
        cond.withLock {
            guard offered.insert([g, b]).inserted else { return }
            ready.append((.branch(group: g, branch: b), flops))
            cond.broadcast()
        }
    }

    func wasOffered(group g: Int, branch b: Int) -> Bool {
        cond.withLock { offered.contains([g, b]) }
    }

    /// The trunk task of group `g` ended (trained, skipped or failed): no more branches come from it.
    func trunkEnded() {
        cond.withLock {
            activeTrunks -= 1
            cond.broadcast()
        }
    }

    /// One task of group `g` is done; true when it was the group's last (the caller cleans up).
    func taskDone(group g: Int) -> Bool {
        cond.withLock {
            guard let n = open[g] else { return false }
            open[g] = n - 1
            return n == 1
        }
    }

    func add(finished: Int, diverged: Int) {
        cond.withLock {
            counts.finished += finished
            counts.diverged += diverged
        }
    }

    func add(held: Int) {
        cond.withLock { counts.held += held }
    }

    func fail(_ error: Error) {
        cond.withLock {
            counts.failed += 1
            if firstError == nil { firstError = error }
            cond.broadcast()
        }
    }
}
