import Foundation
import Synchronization
import Testing
@testable import Sweep

/// The sweep's task hand-out: groups in order, runnable branches before new groups, a worker with
/// nothing runnable waits while a trunk may still release a branch, and everyone stops on a failure.
@Suite struct SweepSchedulerTests {
    @Test func branchesGoFirstAndIdleWorkersWaitForThem() throws {
        let s = SweepScheduler(groups: 2)
        #expect(s.next() == .trunk(0))
        s.begin(group: 0, branches: 2)
        s.offer(group: 0, branch: 1, flops: 5)
        s.offer(group: 0, branch: 0, flops: 9)
        s.offer(group: 0, branch: 0, flops: 9)  // offered twice: once in the queue
        #expect(s.next() == .branch(group: 0, branch: 0))  // the larger branch, before group 1
        #expect(s.next() == .branch(group: 0, branch: 1))
        #expect(s.next() == .trunk(1))
        s.begin(group: 1, branches: 1)
        // Nothing runnable, two trunks in progress: a worker waits until a branch is offered.
        let got = Mutex<[SweepScheduler.Work?]>([])
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let w = s.next()
            got.withLock { $0.append(w) }
            done.signal()
        }
        usleep(100_000)
        #expect(got.withLock { $0.isEmpty }, "the worker did not wait")
        s.offer(group: 1, branch: 0, flops: 1)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(got.withLock { $0 } == [.branch(group: 1, branch: 0)])
        // Once every trunk has ended nothing more can come: next() returns nil instead of waiting.
        s.trunkEnded()
        s.trunkEnded()
        #expect(s.next() == nil)
        // A group is done after its trunk and each branch are.
        #expect(!s.taskDone(group: 1) && s.taskDone(group: 1))
        #expect(!s.taskDone(group: 0) && !s.taskDone(group: 0) && s.taskDone(group: 0))
    }

    @Test func aFailureWakesWaitingWorkers() throws {
        let s = SweepScheduler(groups: 1)
        #expect(s.next() == .trunk(0))
        let done = DispatchSemaphore(value: 0)
        let got = Mutex<Int>(0)
        Thread.detachNewThread {
            if s.next() == nil { got.withLock { $0 += 1 } }
            done.signal()
        }
        usleep(50_000)
        s.fail(CocoaError(.fileNoSuchFile))
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(got.withLock { $0 } == 1)
        #expect(s.counts.failed == 1 && s.firstError != nil)
    }
}
