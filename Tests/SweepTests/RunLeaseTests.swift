import Foundation
import Store
import Testing
@testable import Sweep

/// Concurrent sweeps on one database: claims, expiry, and two runners splitting one grid.
@Suite(.serialized) struct RunLeaseTests {
    static let spec = """
    name = "lease-test"
    seq_len = 16
    batch = 2
    evals = 2
    eval_windows = 2
    downstream_items = 0

    [models]
    shapes = ["1x32"]

    [budgets]
    tokens = [1600, 3200]

    [optim]
    lr = [1e-3, 3e-3]
    schedules = ["cosine"]
    """

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sf-lease-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A database with `n` runs (the records need not be trainable).
    func databaseWithRuns(_ dir: URL, _ n: Int) throws -> (String, [Int64]) {
        let path = dir.appendingPathComponent("l.db").path
        let store = try Store(path: path)
        let ids = try (0..<n).map { i in
            try store.insertRun(RunRecord(runKey: "k\(i)", config: "{}", nLayer: 1, dModel: 32, nHead: 1, seqLen: 16,
                                          vocab: 256, batchSize: 2, paramsTotal: 1, paramsNonEmbedding: 1,
                                          flopsPerToken: 1, tokensBudget: 1, stepsBudget: 1, lr: 1e-3,
                                          schedule: "cosine", seed: 0, corpus: "synthetic"))
        }
        return (path, ids)
    }

    @Test func aLiveHolderKeepsItsRunsUntilItReleasesThem() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, ids) = try databaseWithRuns(dir, 3)
        let a = try RunLease(path: path), b = try RunLease(path: path)
        #expect(a.owner != b.owner)
        #expect(try a.claim([ids[0], ids[1]]))
        #expect(try !b.claim([ids[1], ids[2]]))        // all or nothing: run 2 stays free
        #expect(try b.holder(of: ids[2]) == nil)
        #expect(try b.claim([ids[2]]))
        #expect(try a.claim([ids[0]]))                 // a holder may claim its own runs again
        try a.release([ids[1]])
        #expect(try b.claim([ids[1]]))
        try a.release()
        #expect(try b.claim([ids[0]]))
        #expect(try a.holder(of: ids[0])?.owner == b.owner)
    }

    @Test func aCrashedHoldersLeaseExpiresAndRenewalExtendsIt() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, ids) = try databaseWithRuns(dir, 2)
        let crashed = try RunLease(path: path, duration: 0.6), other = try RunLease(path: path, duration: 0.6)
        #expect(try crashed.claim([ids[0]]))
        #expect(try !other.claim([ids[0]]))
        Thread.sleep(forTimeInterval: 0.9)              // the holder never renewed: its lease ran out
        #expect(try other.claim([ids[0]]))
        // A holder that renews keeps its run past the first expiry.
        let alive = try RunLease(path: path, duration: 0.6)
        #expect(try alive.claim([ids[1]]))
        let first = try #require(try alive.holder(of: ids[1])).expiresAt
        Thread.sleep(forTimeInterval: 0.4)
        #expect(try alive.renew())
        #expect(try #require(try alive.holder(of: ids[1])).expiresAt > first + 0.3)
        Thread.sleep(forTimeInterval: 0.4)              // past the first expiry, inside the renewed one
        #expect(try !other.claim([ids[1]]))
        // Losing a lease to another holder shows in the next renewal.
        Thread.sleep(forTimeInterval: 0.8)
        #expect(try other.claim([ids[1]]))
        #expect(try !alive.renew(force: true))
    }

    @Test func aLeaseOfAProcessThatIsGoneOnThisHostIsFreeAtOnce() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, ids) = try databaseWithRuns(dir, 1)
        let store = try Store(path: path)
        // A pid far above any running process, on this host; the lease has hours left.
        let ghost = "\(ProcessInfo.processInfo.hostName):4194000:1"
        try store.connection.run("INSERT INTO run_leases(run_id, owner, expires_at) VALUES (?, ?, ?)",
                                 [.integer(ids[0]), .text(ghost), .real(Date().timeIntervalSince1970 + 3600)])
        #expect(try RunLease(path: path).claim([ids[0]]))
        // The same lease from another host is respected until it expires.
        try store.connection.run("UPDATE run_leases SET owner = ?, expires_at = ? WHERE run_id = ?",
                                 [.text("elsewhere:1:1"), .real(Date().timeIntervalSince1970 + 3600), .integer(ids[0])])
        #expect(try !RunLease(path: path).claim([ids[0]]))
    }

    @Test func twoRunnersOnOneDatabaseTrainEachRunOnce() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try SweepSpec.parse(text: Self.spec, name: "lease.toml")
        let db = dir.appendingPathComponent("s.db").path
        let planned = try SweepPlan.runs(spec).count
        #expect(planned == 4)
        func runner() -> SweepRunner {
            SweepRunner(spec: spec, dbPath: db, checkpointDir: dir.appendingPathComponent("ck"), jobs: 1, shard: nil,
                        progress: SweepProgress(live: false, quiet: true))
        }
        let runners = [runner(), runner()]
        nonisolated(unsafe) var summaries: [SweepRunner.Summary?] = [nil, nil]
        nonisolated(unsafe) var errors: [Error] = []
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            do {
                let s = try runners[i].run()
                lock.withLock { summaries[i] = s }
            } catch {
                lock.withLock { errors.append(error) }
            }
        }
        #expect(errors.isEmpty, "\(errors)")
        let s = summaries.compactMap { $0 }
        #expect(s.count == 2)
        // Every run trained exactly once between the two: a run trained by both would count twice.
        let trained: Int = s.reduce(0) { $0 + $1.finished + $1.diverged }
        #expect(trained == planned, "finished per runner: \(s.map(\.finished))")
        let store = try Store(path: db)
        let runs = try store.runs()
        #expect(runs.count == planned && runs.allSatisfy { $0.status == "finished" })
        for r in runs { #expect(try store.steps(runID: r.id!).count == r.stepsBudget) }
        #expect(try store.connection.scalar("SELECT count(*) FROM run_leases")?.int64Value == 0)
        // A third runner finds nothing left.
        let third = try runner().run()
        #expect(third.skipped == planned && third.finished == 0)
    }
}
