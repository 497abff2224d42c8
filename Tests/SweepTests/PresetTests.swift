import Foundation
import Testing
@testable import Sweep

/// The shipped presets keep the shapes the sweep issue asks for: the demo small enough for minutes on
/// 2 cores, `paper` spanning >= 10x in parameters and >= 10x in tokens per parameter.
@Suite struct PresetTests {
    static let presets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Data/presets").standardized

    func plan(_ name: String) throws -> [PlannedRun] {
        try SweepPlan.runs(SweepSpec.load(path: Self.presets.appendingPathComponent("\(name).toml").path))
    }

    @Test func everyPresetParsesAndPlans() throws {
        for name in ["demo", "small", "paper"] { #expect(try !plan(name).isEmpty, "\(name)") }
    }

    @Test func computeGrowsFromDemoToPaper() throws {
        let flops = try ["demo", "small", "paper"].map { try plan($0).reduce(0) { $0 + $1.flops } }
        #expect(flops[0] < 1.5e13, "demo plans \(flops[0]) FLOPs: more than a few minutes on 2 cores")
        #expect(flops[0] < flops[1] && flops[1] < flops[2])
    }

    /// Issue 13's grid for the main job: >= 8x in N (with embeddings, as `fit` counts it) and >= 16x in D.
    @Test func demoSpansEightfoldInSizeAndSixteenfoldInTokens() throws {
        let runs = try plan("demo")
        let n = runs.map { Double($0.model.paramsTotal) }, d = runs.map { Double($0.tokens) }
        #expect(n.max()! / n.min()! >= 8, "N spans \(n.max()! / n.min()!)x")
        // Budgets round to whole steps of batch x seq_len tokens, hence 15.9.
        #expect(d.max()! / d.min()! >= 15.9, "D spans \(d.max()! / d.min()!)x")
    }

    /// `small` is an IsoFLOP grid on the quanta language: >= 4 budgets spanning >= 8x, >= 5 sizes spanning
    /// >= 30x in N at every budget (so each budget's minimum can sit inside), no run under 500 steps
    /// (shorter runs sat far above any power law in the pilot, docs/small.md).
    @Test func smallIsAnIsoFLOPGridOnTheQuantaLanguage() throws {
        let spec = try SweepSpec.load(path: Self.presets.appendingPathComponent("small.toml").path)
        #expect(spec.corpus.hasPrefix("quanta"))
        let runs = try plan("small")
        let levels = Dictionary(grouping: runs, by: { $0.computeLevel ?? -1 })
        #expect(levels[-1] == nil, "every run has a compute level")
        #expect(levels.count >= 4 && levels.keys.max()! / levels.keys.min()! >= 8)
        for (c, group) in levels {
            let n = group.map { Double($0.model.paramsNonEmbedding) }
            #expect(n.count >= 5 && n.max()! / n.min()! >= 30, "C = \(c): \(n.count) sizes")
        }
        #expect(runs.allSatisfy { $0.steps >= 500 }, "\(runs.map(\.steps).min()!) steps")
    }

    @Test func paperSpansTenfoldInSizeAndTokensPerParameter() throws {
        let runs = try plan("paper")
        let n = runs.map { Double($0.model.paramsNonEmbedding) }
        #expect(n.max()! / n.min()! >= 10)
        let perParam = runs.map { Double($0.tokens) / Double($0.model.paramsNonEmbedding) }
        #expect(perParam.max()! / perParam.min()! >= 10)
    }
}
