import Foundation
import Testing
@testable import Fit
import Laws
import Schedule

/// Both curve laws on curves shaped like another lab's (the held-out evaluation of issue 12): the warmup logged
/// from step 0, a train loss logged every step with batch noise or a validation loss every 250 steps, peaks of
/// 1e-3 to 6e-3, runs of 50k steps; fitted on one constant and one cosine run (to 10% of the peak) as the
/// CLI fits them (rates interpolated between rows, fitted from the end of the warmup), then asked for the final
/// loss of WSD runs with (1 - sqrt) cooldowns to 0 over the last 10%, 20%, 50% and 90% of the steps. The truth
/// is each law itself (parameters of the Multi-Power Law paper's 25M fits, rescaled to the peak), so what is
/// tested is the fit: that it recovers the final losses and their order from noisy rows.
@Suite struct CurveLawOtherLabsTests {
    static let steps = 50_000, warmup = 500
    static let cooldowns = [0.1, 0.2, 0.5, 0.9]

    /// A case: peak rate, rows every `every` steps, relative noise sd of a row.
    struct Case: Sendable, CustomStringConvertible {
        let peak: Double, every: Int, noise: Double
        var description: String { "peak \(peak), every \(every) steps, noise \(noise)" }
    }
    static let cases = [Case(peak: 6e-3, every: 1, noise: 0.015), Case(peak: 1e-3, every: 250, noise: 0.002)]

    static func rates(_ spec: String, peak: Double) -> [Double] {
        try! LRSchedule.parse(spec + (spec.contains(":") ? "," : ":") + "warmup=\(warmup)", peak: peak, totalSteps: steps).rates()
    }

    /// Rows 0, every, 2 every, ... (and the last step) of a curve with the true losses times (1 + noise):
    /// `truth(lrs)[t - 1]` is the loss after t updates. No per-step rates: they are interpolated, as from a file.
    static func logged(_ lrs: [Double], _ c: Case, seed: UInt64, truth: ([Double]) -> [Double]) -> LossCurve {
        let clean = truth(lrs)
        var rng = TestRNG(seed: seed)
        var rows = Array(stride(from: 0, to: steps, by: c.every))
        if rows.last != steps - 1 { rows.append(steps - 1) }
        return LossCurve(steps: rows, lrs: rows.map { lrs[$0] },
                         losses: rows.map { $0 == 0 ? clean[0] * 1.5 : clean[$0 - 1] * (1 + rng.gaussian(sd: c.noise)) })
    }

    /// The first step at the peak rate (the CLI's default `--from-step`).
    static func warmupEnd(_ curve: LossCurve) -> Int {
        let lrs = curve.denseLRs(totalSteps: curve.lastStep + 1)
        let peak = lrs.max()!
        return lrs.firstIndex { $0 >= peak * (1 - 1e-9) }!
    }

    /// Checks predicted final losses against the truth: each within `tolerance` (relative; 0.1% is about twice
    /// the largest error measured, 0.05%), and the order of every pair of cooldowns whose true final losses differ
    /// by more than 0.05% (all pairs here: the closest, 10% and 20%, differ by 0.07-0.11%).
    static func expectFinals(_ predicted: [Double], _ truth: [Double], tolerance: Double, _ label: String) {
        for (p, t) in zip(predicted, truth) {
            #expect(abs(p - t) / t < tolerance, "\(label): final \(p) vs \(t)")
        }
        for i in truth.indices {
            for j in truth.indices where i < j && abs(truth[i] - truth[j]) > 5e-4 * truth[i] {
                #expect((predicted[i] < predicted[j]) == (truth[i] < truth[j]),
                        "\(label): cooldowns \(cooldowns[i]) and \(cooldowns[j]): predicted \(predicted), truth \(truth)")
            }
        }
    }

    static func wsd(_ fraction: Double, peak: Double) -> [Double] {
        rates("wsd:decay=\(fraction),shape=1-sqrt,floor=0", peak: peak)
    }

    @Test(arguments: cases)
    func multiPowerRanksCooldownsFromAConstantAndACosine(_ c: Case) throws {
        let truth = MultiPowerFit.Scale(unit: c.peak / 3e-4).absolute([3.0, 0.52, 0.5, 380.0, 2.0, 0.58, 0.64])
        func curve(_ lrs: [Double]) -> [Double] { MultiPowerLaw.predictCurve(truth, lrs: lrs) }
        let fitted = [Self.logged(Self.rates("constant", peak: c.peak), c, seed: 1, truth: curve),
                      Self.logged(Self.rates("cosine:floor=0.1", peak: c.peak), c, seed: 2, truth: curve)]
        var options = MultiPowerFit.Options()
        options.fromStep = Self.warmupEnd(fitted[0])
        let fit = try MultiPowerFit.fit(fitted, options: options)
        var predicted: [Double] = [], exact: [Double] = []
        for f in Self.cooldowns {
            let drops = MultiPowerDrops(lrs: Self.wsd(f, peak: c.peak))
            predicted.append(MultiPowerLaw.predict(fit.parameters, drops: drops, at: [Self.steps - 2])[0])
            exact.append(MultiPowerLaw.predict(truth, drops: drops, at: [Self.steps - 2])[0])
        }
        Self.expectFinals(predicted, exact, tolerance: 1e-3, "multipower, \(c)")
    }

    @Test(arguments: cases)
    func annealingRanksCooldownsFromAConstantAndACosine(_ c: Case) throws {
        let u = c.peak / 3e-4, lambda = 0.9965
        let theta = [3.04, 0.52 * Foundation.pow(u, 0.51), 0.51, 1.33 / u]
        let law = AnnealingLaw(lambda: lambda)
        func curve(_ lrs: [Double]) -> [Double] { law.predictCurve(theta, lrs: lrs) }
        let fitted = [Self.logged(Self.rates("constant", peak: c.peak), c, seed: 3, truth: curve),
                      Self.logged(Self.rates("cosine:floor=0.1", peak: c.peak), c, seed: 4, truth: curve)]
        let fit = try AnnealingFit.fit(fitted, lambda: .fitted(AnnealingFit.defaultLambdaRange),
                                       fromStep: Self.warmupEnd(fitted[0]))
        var predicted: [Double] = [], exact: [Double] = []
        for f in Self.cooldowns {
            let lrs = Self.wsd(f, peak: c.peak)
            predicted.append(fit.predictCurve(lrs: lrs)[Self.steps - 2])
            exact.append(curve(lrs)[Self.steps - 2])
        }
        Self.expectFinals(predicted, exact, tolerance: 1e-3, "annealing, \(c)")
    }
}
