import Fit
import Foundation
import LawRegistry
import Laws
import Store
import Testing

/// Every law's fit survives the `fits` table (and Codable) unchanged, and predicts the same
/// afterwards, bit for bit; rows written by earlier versions still load and predict.
@Suite final class StoredFitRoundTripTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-registry-\(UUID().uuidString)")
    /// Each test gets its own instance: its database goes with it.
    deinit { try? FileManager.default.removeItem(at: dir) }

    func store() throws -> Store {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try Store(path: dir.appendingPathComponent("results.db").path)
    }

    func settings(_ law: any LawDefinition) -> FitSettings {
        var s = FitSettings()
        s.bootstrap = law.input == .lossCurves ? 4 : 24
        s.seed = 7
        s.starts = law.usedFlags.contains(.starts) ? 40 : nil
        s.fromStep = 10
        return s
    }

    func same(_ a: LawPrediction, _ b: LawPrediction) -> Bool {
        a.values.map(\.0) == b.values.map(\.0) && a.values.map(\.1.bitPattern) == b.values.map(\.1.bitPattern)
            && a.curve.map(\.bitPattern) == b.curve.map(\.bitPattern)
    }

    @Test(arguments: LawRegistry.standard.names)
    func storedFormRoundTripsThroughSQLite(_ name: String) throws {
        let registry = LawRegistry.standard
        let law = try #require(registry.law(named: name))
        let (data, query) = try #require(Synthetic.data(for: name), "no synthetic data for law \(name): add it to Synthetic.data")
        var fit = try registry.fit(law: name, data, settings: settings(law))
        fit.noteUnidentified()
        fit.selection = FitSelection(source: "synthetic", predicate: "loss < 9", runs: [3, 4], params: "nonembedding")
        fit.bootstrapOption = 24
        fit.seed = 7
        fit.annotations["checks"] = .array([.object([("curve", .string("held.csv")), ("pred_e", .number(0.001))])])
        #expect(fit.law == name && fit.theta.count == law.thetaCount)
        #expect(!fit.lawForm.isEmpty || name == "overtrain" || name == "downstream")

        let db = try store()
        let id = try db.insertFit(fit.record)
        let row = try #require(try db.fit(id: id))
        #expect(row.law == name && row.converged)
        let back = registry.storedFit(from: row)
        fit.id = id
        fit.createdAt = back.createdAt
        // judgedTerms serve `noteUnidentified` at fit time and are not stored (its notes are).
        fit.judgedTerms = nil
        #expect(back == fit)
        // The law's own form decodes from what was stored.
        _ = try law.stored(back)

        let before = try registry.predict(fit, query), after = try registry.predict(back, query)
        #expect(same(before.estimate, after.estimate))
        #expect(before.replicates.count == after.replicates.count)
        #expect(zip(before.replicates, after.replicates).allSatisfy { same($0, $1) })
        #expect(before.estimate.values.allSatisfy { $0.1.isFinite } && before.estimate.curve.suffix(10).allSatisfy(\.isFinite))

        // The Codable form is lossless too.
        let decoded = try JSONDecoder().decode(StoredFit.self, from: JSONEncoder().encode(back))
        #expect(decoded == back)
        // Storing a loaded fit again writes the same row.
        #expect(back.record.options == row.options && back.record.params == row.params && back.record.selection == row.selection)
    }

    /// An annealing row of the earlier form: theta (L0, A, alpha, C) with lambda beside it, replicates
    /// with and without their own lambda, the peak LR as `peak_lr`.
    @Test func annealingRowWithLambdaOutsideThetaLoads() throws {
        let options = #"{"bootstrap":2,"seed":0,"lambda_option":"fit","lambda":0.998,"theta":[2.0,1.5,0.5,300.0],"#
            + #""bootstrap_thetas":[[2.01,1.5,0.5,300.0,0.997],[1.99,1.5,0.5,300.0]],"curves":2,"from_step":5,"#
            + #""peak_lr":0.002,"data_range":{"steps_max":600}}"#
        let db = try store()
        let id = try db.insertFit(FitRecord(law: "annealing", params: #"{"L0":2.0,"A":1.5,"alpha":0.5,"C":300.0,"lambda":0.998}"#,
                                            intervals: "{}", selection: #"{"curves":["a.csv"]}"#, objective: "huber(delta=0.001) on log loss",
                                            objectiveValue: 0.1, rmse: 0.01, r2: 0.99, nPoints: 300, converged: true,
                                            status: "converged", options: options))
        let fit = LawRegistry.standard.storedFit(from: try #require(try db.fit(id: id)))
        #expect(fit.theta == [2.0, 1.5, 0.5, 300.0, 0.998])
        #expect(fit.bootstrapThetas == [[2.01, 1.5, 0.5, 300.0, 0.997], [1.99, 1.5, 0.5, 300.0, 0.998]])
        #expect(fit.range("lr_max") == 0.002 && fit.range("steps_max") == 600 && fit.selection.curves == ["a.csv"])
        let lrs = Synthetic.schedule(steps: 300, decay: 0.5)
        let predicted = try LawRegistry.standard.predict(fit, LawQuery(lrs: lrs))
        #expect(predicted.estimate.curve == AnnealingLaw(lambda: 0.998).predictCurve([2.0, 1.5, 0.5, 300.0], lrs: lrs))
        #expect(predicted.replicates[0].curve == AnnealingLaw(lambda: 0.997).predictCurve([2.01, 1.5, 0.5, 300.0], lrs: lrs))
        // Keys the law does not know stay with the fit.
        #expect(fit.lawForm["lambda_option"]?.string == "fit")
    }

    /// An IsoFLOP row stored before theta carried (a, b, log kN, log kD) predicts from its power laws.
    @Test func isoflopRowWithoutThetaPredictsFromPowerLaws() throws {
        let options = #"{"bootstrap":0,"seed":0,"power_laws":{"a":0.5,"b":0.5,"kN":0.1,"kD":1.6},"groups":[]}"#
        let db = try store()
        let id = try db.insertFit(FitRecord(law: "isoflop", params: #"{"a":0.5,"b":0.5,"kN":0.1,"kD":1.6}"#, intervals: "{}",
                                            selection: "{}", objective: "least_squares", objectiveValue: nil, rmse: nil, r2: nil,
                                            nPoints: 3, converged: true, status: "3 compute groups", options: options))
        let fit = LawRegistry.standard.storedFit(from: try #require(try db.fit(id: id)))
        let p = try LawRegistry.standard.predict(fit, LawQuery(compute: 1e20)).estimate.values
        #expect(p.map(\.0) == ["N_opt", "D_opt"])
        #expect(abs(p[0].1 / (0.1 * 1e10) - 1) < 1e-12 && abs(p[1].1 / (1.6 * 1e10) - 1) < 1e-12)
        #expect(fit.rmse.isNaN && fit.parameters == [0.5, 0.5, 0.1, 1.6])
    }

    /// A malformed row (a hand edit) loads as empty fields and predicting from it is an error, not a crash.
    @Test func malformedRowIsAnErrorNotACrash() throws {
        let record = FitRecord(law: "chinchilla", params: "not json", intervals: "[", selection: "{\"runs\":\"x\"}",
                               objective: "", objectiveValue: nil, rmse: nil, r2: nil, nPoints: 0, converged: true,
                               status: "", options: #"{"theta":[1,2]}"#)
        let fit = LawRegistry.standard.storedFit(from: record)
        #expect(fit.parameters.isEmpty && fit.selection.runs.isEmpty)
        #expect(throws: LawError.self) { try LawRegistry.standard.predict(fit, LawQuery(n: 1e9, d: 1e10)) }
    }
}

/// A law form with a member of the wrong type loses that member only.
@Suite struct LenientLawFormTests {
    struct Form: Codable { var a: Int?; var b: String?; var c: [Double]? }

    @Test func aMemberOfTheWrongTypeIsLeftOut() throws {
        let members = JSONMembers([("a", .string("x")), ("b", .string("kept")), ("c", .array([.number(1.5), .string("?")]))])
        let form = try members.decode(Form.self)
        #expect(form.a == nil && form.b == "kept" && form.c == nil)
        let annealing = JSONMembers([("lambda", .number(0.998)), ("warmup_as_peak", .string("lots")), ("from_step", .int(5))])
        let stored = try annealing.decode(AnnealingEntry.Stored.self)
        #expect(stored.lambda == 0.998 && stored.warmupAsPeak == nil && stored.fromStep == 5)
    }
}
