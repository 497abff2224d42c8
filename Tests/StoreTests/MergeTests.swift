import Foundation
import Testing
@testable import Store

/// Merging shard databases: idempotent, and a run merged while unfinished is brought up to date.
@Suite struct MergeTests {
    func run(_ key: String) -> RunRecord {
        RunRecord(runKey: key, config: "{}", nLayer: 1, dModel: 32, nHead: 1, seqLen: 16, vocab: 256, batchSize: 4,
                  paramsTotal: 1000, paramsNonEmbedding: 500, flopsPerToken: 3000, tokensBudget: 640, stepsBudget: 10,
                  lr: 3e-3, schedule: "cosine", seed: 0, corpus: "synthetic")
    }

    func steps(_ id: Int64, _ range: ClosedRange<Int>, loss: (Int) -> Double) -> [StepRecord] {
        range.map { StepRecord(runID: id, step: $0, tokens: 64 * $0, lr: 1e-3, trainLoss: loss($0), gradNorm: 1, wallSeconds: Double($0)) }
    }

    func dump(_ s: Store) throws -> [[SQLValue]] {
        try s.connection.rows("""
            SELECT r.run_key, r.status, r.steps_done, r.final_val_loss, t.step, t.train_loss, t.wall_s
            FROM runs r LEFT JOIN steps t ON t.run_id = r.id ORDER BY r.run_key, t.step
            """)
    }

    @Test func mergingAnUnfinishedRunThenTheFinishedOneEqualsMergingOnce() throws {
        let d = TempDir()
        let shard = try Store(path: d.path("shard.db"))
        let a = try shard.insertRun(run("a")), b = try shard.insertRun(run("b"))
        // Run a: finished. Run b: killed after step 6 with steps 1-7 logged but checkpointed at 4.
        try shard.appendSteps(steps(a, 1...10) { 5 - Double($0) / 10 })
        var ra = try #require(try shard.run(id: a))
        ra.status = "finished"; ra.stepsDone = 10; ra.finalValLoss = 4.1
        try shard.updateRun(ra)
        try shard.appendSteps(steps(b, 1...7) { 6 - Double($0) / 10 })
        var rb = try #require(try shard.run(id: b))
        rb.status = "running"; rb.stepsDone = 4
        try shard.updateRun(rb)

        let early = try Store(path: d.path("early.db"))
        #expect(try early.merge(from: d.path("shard.db")).runs == 2)

        // The task is resubmitted: b resumes at its checkpoint (step 4), re-logs 5-10 (new wall times).
        try shard.truncateRun(runID: b, after: 4)
        try shard.appendSteps(steps(b, 5...10) { 6 - Double($0) / 10 }.map { var s = $0; s.wallSeconds += 100; return s })
        rb.status = "finished"; rb.stepsDone = 10; rb.finalValLoss = 5.0
        try shard.updateRun(rb)

        let c = try early.merge(from: d.path("shard.db"))
        #expect(c.runs == 0 && c.runsUpdated == 1)
        let once = try Store(path: d.path("once.db"))
        try once.merge(from: d.path("shard.db"))
        #expect(try dump(early) == dump(once))
        #expect(try early.connection.scalar("SELECT COUNT(*) FROM steps")?.int64Value == 20)
        // And again: nothing changes.
        let again = try early.merge(from: d.path("shard.db"))
        #expect(again == Store.MergeCounts())
        #expect(try dump(early) == dump(once))
    }

    @Test func aFinishedRunIsNeverReplacedByAnUnfinishedCopy() throws {
        let d = TempDir()
        let done = try Store(path: d.path("done.db")), partial = try Store(path: d.path("partial.db"))
        let id = try done.insertRun(run("a"))
        try done.appendSteps(steps(id, 1...10) { Double($0) })
        var r = try #require(try done.run(id: id))
        r.status = "finished"; r.stepsDone = 10
        try done.updateRun(r)
        let pid = try partial.insertRun(run("a"))
        try partial.appendSteps(steps(pid, 1...3) { -Double($0) })
        let main = try Store(path: d.path("main.db"))
        try main.merge(from: d.path("done.db"))
        let before = try dump(main)
        #expect(try main.merge(from: d.path("partial.db")).runsUpdated == 0)
        #expect(try dump(main) == before)
    }
}
