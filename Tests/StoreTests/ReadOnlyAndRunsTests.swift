import Foundation
import Testing
@testable import Store

@Suite struct ReadOnlyAndRunsTests {
    func sampleRun(_ key: String) -> RunRecord {
        RunRecord(runKey: key, config: "{\"n_layer\":2}", nLayer: 2, dModel: 64, nHead: 2, seqLen: 64, vocab: 256,
                  batchSize: 8, paramsTotal: 120_000, paramsNonEmbedding: 98_000, flopsPerToken: 6.2e5,
                  tokensBudget: 1_000_000, stepsBudget: 1953, lr: 3e-3, schedule: "cosine", seed: 1, corpus: "synthetic")
    }

    @Test func readOnlyConnectionRejectsEveryWrite() throws {
        let tmp = TempDir()
        let path = tmp.path("r.db")
        let store = try Store(path: path)
        try store.insertPoints([PointRecord(source: "a", n: 1, d: 2, loss: 3)])
        let ro = try Store.openReadOnly(path: path)
        for sql in ["DELETE FROM points", "INSERT INTO points(source,N,D,loss,imported_at) VALUES ('b',1,1,1,'t')",
                    "DROP TABLE points", "UPDATE points SET loss = 9", "CREATE TABLE x(a)"] {
            #expect(throws: StoreError.self) { try QueryResult.run(ro, sql) }
        }
        #expect(try QueryResult.run(ro, "SELECT count(*) FROM points").rows == [[.integer(1)]])
        #expect(try store.points().first?.loss == 3)
    }

    @Test func nonDatabaseFileIsRejectedAndUntouched() throws {
        let tmp = TempDir()
        let text = String(repeating: "this is not sqlite\n", count: 20)
        let path = tmp.write("x.db", text)
        #expect(throws: StoreError.notADatabase(path: path)) { try Store(path: path) }
        #expect(throws: StoreError.notADatabase(path: path)) { try Store.openReadOnly(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(throws: StoreError.self) { try Store.openReadOnly(path: tmp.path("absent.db")) }
        #expect(!FileManager.default.fileExists(atPath: tmp.path("absent.db")))
    }

    @Test func runStepsEvalsRoundTrip() throws {
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        let sweep = try store.sweepID(name: "demo", specHash: "abc", spec: "{}")
        #expect(try store.sweepID(name: "demo", specHash: "abc", spec: "{}") == sweep)
        var run = sampleRun("k1")
        run.sweepID = sweep
        let id = try store.insertRun(run)
        var got = try #require(try store.run(id: id))
        run.id = id
        run.createdAt = got.createdAt
        #expect(got == run)
        try store.appendSteps((0..<5).map { StepRecord(runID: id, step: $0, tokens: 512 * ($0 + 1), lr: 1e-3 * Double($0),
                                                         trainLoss: 5 - Double($0) * 0.1, gradNorm: 1, wallSeconds: Double($0)) })
        // Re-logging steps 3 and 4 (after a resume) replaces them: never a duplicate row.
        try store.appendSteps((3..<5).map { StepRecord(runID: id, step: $0, tokens: 512 * ($0 + 1), lr: 9,
                                                         trainLoss: 1, gradNorm: 1, wallSeconds: 0) })
        let steps = try store.steps(runID: id)
        #expect(steps.map(\.step) == [0, 1, 2, 3, 4])
        #expect(steps[4].lr == 9 && steps[2].trainLoss == 4.8)
        try store.appendEval(EvalRecord(runID: id, step: 4, tokens: 2560, valLoss: 4.2, downstreamError: 0.5,
                                        downstream: "{\"t\":0.5}"))
        #expect(try store.evals(runID: id).first?.valLoss == 4.2)
        try store.truncateRun(runID: id, after: 2)
        #expect(try store.steps(runID: id).count == 3)
        #expect(try store.evals(runID: id).isEmpty)
        got.status = "finished"
        got.finalValLoss = 4.0
        try store.updateRun(got)
        #expect(try store.run(key: "k1")?.finalValLoss == 4.0)
        #expect(try store.runs(where: "status = 'finished'").count == 1)
        // Duplicate run keys are refused by the schema.
        #expect(throws: StoreError.self) { try store.insertRun(sampleRun("k1")) }
    }

    @Test func fitRoundTrip() throws {
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        let f = FitRecord(law: "chinchilla", params: "{\"E\":1.8}", intervals: "{\"E\":[1.7,1.9]}",
                          selection: "{\"source\":\"c\"}", objective: "huber", objectiveValue: 0.01, rmse: 0.02,
                          r2: 0.99, nPoints: 240, converged: true, status: "ok", options: "{}")
        let id = try store.insertFit(f)
        var back = try #require(try store.fit(id: id))
        #expect(back.id == id)
        back.id = nil
        back.createdAt = ""
        #expect(back == f)
        #expect(try store.fit(id: 999) == nil)
    }
}
