import Fit
import Foundation
import LawRegistry
import Store
import Testing

/// A law that exists only in this test target: L(N) = a + b log N, fitted by least squares in
/// closed form. Registering it is all it takes to fit, store, load and predict it.
struct ToyLogLaw: LawDefinition {
    struct Stored: Codable, Sendable {
        var rows: Int
        var note: String?
    }

    let name = "toylog"
    let summary = "L(N) = a + b log N (a test law)"
    let queryHelp = "--N for the loss"
    let input = LawInput.sizePoints
    let fitFlags: Set<FitFlag> = []
    let thetaCount = 2
    let queries: [Set<QueryFlag>] = [[.N]]
    /// Its own option: a constant added to every loss before fitting (`--law-option offset=X`).
    let lawOptions = [LawOption(name: "offset", help: "added to every loss", defaultValue: "0")]

    func offset(_ settings: FitSettings) throws -> Double {
        let text = settings.lawOption("offset", of: self) ?? "0"
        guard let v = Double(text), v.isFinite else { throw LawError("--law-option offset must be a number (got '\(text)')") }
        return v
    }

    func check(_ settings: FitSettings) throws { _ = try offset(settings) }

    func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .sizePoints(let p) = data else { throw WrongLawInput(law: name, expected: input) }
        let shift = try offset(settings)
        let x = p.n.map { log($0) }, y = p.loss.map { $0 + shift }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        guard sxx > 0 else { throw FitError.invalidData("one N only") }
        let b = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +) / sxx, a = my - b * mx
        let residuals = zip(x, y).map { $1 - (a + b * $0) }
        let rmse = (residuals.map { $0 * $0 }.reduce(0, +) / Double(y.count)).squareRoot()
        var fit = StoredFit(law: name, parameterNames: ["a", "b"], parameters: [a, b], intervals: [nil, nil], theta: [a, b],
                            bootstrapThetas: [], objective: "least_squares", objectiveValue: rmse * rmse * Double(y.count),
                            rmse: rmse, r2: 1, n: y.count, status: "closed form")
        try fit.setLawForm(Stored(rows: y.count, note: nil))
        fit.recordRange(p.range)
        return fit
    }

    func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        guard let n = query.n else { throw LawError("toylog fits predict from --N") }
        return .values([("loss", theta[0] + theta[1] * log(n))])
    }
}

@Suite struct ToyLawTests {
    let registry = LawRegistry(laws: LawRegistry.standard.laws + [ToyLogLaw()])

    @Test func toyLawFitsStoresAndPredictsThroughTheRegistry() throws {
        let ns = [1e6, 3e6, 1e7, 3e7, 1e8]
        let points = SizePoints(n: ns, d: ns.map { 20 * $0 }, loss: ns.map { 3 - 0.1 * log($0) }, level: ns.map { _ in nil })
        let law = try #require(try registry.parse("toylog").first)
        #expect(law.name == "toylog" && LawRegistry.standard.law(named: "toylog") == nil)
        let fit = try registry.fit(law: "toylog", .sizePoints(points), settings: FitSettings())
        #expect(abs(fit.parameters[0] - 3) < 1e-9 && abs(fit.parameters[1] + 0.1) < 1e-12)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-toy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(path: dir.appendingPathComponent("toy.db").path)
        let id = try store.insertFit(fit.record)
        let back = registry.storedFit(from: try #require(try store.fit(id: id)))
        #expect(try law.stored(back) is ToyLogLaw.Stored)
        #expect(back.lawForm["rows"]?.double == 5 && back.range("N_max") == 1e8)
        // A form may not use a key every fit's options use.
        var copy = back
        #expect(throws: LawError.self) { try copy.setLawForm(["theta": 1]) }
        #expect(throws: LawError.self) { try copy.setLawForm(["holdout": 1]) }
        let p = try registry.predict(back, LawQuery(n: 1e9)).estimate.values
        #expect(p.count == 1 && p[0].0 == "loss" && abs(p[0].1 - (3 - 0.1 * log(1e9))) < 1e-9)
        // The standard registry does not know it: predicting is an error naming the law.
        #expect(throws: LawError.self) { try LawRegistry.standard.predict(back, LawQuery(n: 1e9)) }
    }

    @Test func aLawsOwnOptionReachesItsFitAndOthersAreRefused() throws {
        let toy = try registry.parse("toylog")
        let ns = [1e6, 1e7, 1e8]
        let points = SizePoints(n: ns, d: ns, loss: ns.map { 3 - 0.1 * log($0) }, level: ns.map { _ in nil })
        var settings = FitSettings()
        settings.lawOptions = try registry.lawOptions(["offset=0.5"], for: toy)
        try toy[0].check(settings)
        let fit = try registry.fit(law: "toylog", .sizePoints(points), settings: settings)
        #expect(abs(fit.parameters[0] - 3.5) < 1e-9)
        settings.lawOptions = ["offset": "many"]
        #expect(throws: LawError.self) { try toy[0].check(settings) }
        for bad in [["offset"], ["=1"], ["offset=1", "offset=2"], ["lambda=0.9"]] {
            #expect(throws: LawError.self) { try registry.lawOptions(bad, for: toy) }
        }
        // A built-in law has no such option: refused, naming the law that has it.
        let refusal = #expect(throws: LawError.self) { try registry.lawOptions(["offset=1"], for: registry.parse("chinchilla")) }
        #expect(refusal?.description == "--law-option offset is only used by toylog fits (the chinchilla law has none)")
    }

    @Test func optionsTheToyLawDoesNotReadAreRefusedNamingTheLawsThatDo() throws {
        let toy = try registry.parse("toylog")
        #expect(registry.refusal(.source, for: toy) == nil)
        #expect(registry.refusal(.holdout, for: toy) == "--holdout is only used by chinchilla and overtrain fits (--law chinchilla or overtrain)")
        #expect(registry.refusal(.lambda, for: toy) == "--lambda is only used by annealing fits (--law annealing)")
        #expect(registry.refusal(.fromStep, for: toy)?.hasPrefix("--from-step is only used by curve-law fits") == true)
        #expect(throws: LawError.self) { try registry.parse("toylog,annealing") }
        #expect(throws: LawError.self) { try registry.parse("toy") }
    }
}
