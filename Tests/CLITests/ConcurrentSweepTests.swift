import Foundation
import Testing

/// Two `scalefit sweep` processes on one spec and database split the grid (run leases).
@Suite struct ConcurrentSweepTests {
    static let spec = """
    name = "concurrent"
    seq_len = 16
    batch = 2
    evals = 2
    eval_windows = 2
    downstream_items = 0

    [models]
    shapes = ["1x32"]

    [budgets]
    tokens = [3200, 6400]

    [optim]
    lr = [1e-3, 3e-3]
    schedules = ["cosine"]
    """

    @Test func twoProcessesTrainEachRunOnceBetweenThem() throws {
        let s = Scratch()
        let spec = s.write("c.toml", Self.spec)
        let db = s.path("c.db")
        nonisolated(unsafe) var results: [CLIResult?] = [nil, nil]
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let r = try? CLI.run(["sweep", "--spec", spec, "--db", db, "--jobs", "1", "--json"])
            lock.withLock { results[i] = r }
        }
        var trained = 0
        for r in results {
            let r = try #require(r)
            #expect(r.status == 0, "\(r.stderr)")
            let obj = try #require(lastJSON(r))
            trained += (obj["finished"] as? NSNumber)?.intValue ?? -100
            #expect((obj["runs"] as? NSNumber)?.intValue == 4)
        }
        #expect(trained == 4, "the two processes trained \(trained) runs of 4")
        let q = try CLI.run(["query", "select count(*) from runs where status = 'finished'", "--db", db, "--format", "csv"])
        #expect(q.stdout.split(separator: "\n").last == "4")
        let leases = try CLI.run(["query", "select count(*) from run_leases", "--db", db, "--format", "csv"])
        #expect(leases.stdout.split(separator: "\n").last == "0")
    }
}
