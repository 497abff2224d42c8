import Foundation
import Testing
@testable import Fit
import Laws

@Suite struct FitterTests {
    let law = ChinchillaLaw()

    @Test func tooFewPointsIsAnError() {
        let data = Dataset(x: [[1e8, 1e9], [2e8, 1e9], [4e8, 1e9]], y: [3, 2.9, 2.8])
        #expect(throws: FitError.tooFewPoints(have: 3, need: 5)) { try Fitter.fit(law, data) }
    }

    @Test func nonFiniteInputsAreErrorsWithOneLineMessages() {
        var x = (0..<6).map { [1e8 * Double($0 + 1), 1e10] }
        var y = [Double](repeating: 3, count: 6)
        x[2][1] = .nan
        do {
            _ = try Fitter.fit(law, Dataset(x: x, y: y))
            Issue.record("NaN input accepted")
        } catch let error as FitError {
            #expect(error.description.contains("row 3") && error.description.contains("D"))
            #expect(!error.description.contains("\n"))
        } catch { Issue.record("unexpected \(error)") }
        x[2][1] = 1e10
        y[4] = .infinity
        #expect(throws: FitError.self) { try Fitter.fit(law, Dataset(x: x, y: y)) }
        #expect(throws: FitError.self) { try Fitter.fit(law, Dataset(x: [[1e8]] + x.dropFirst(), y: y)) }
    }

    @Test func noConvergenceIsAnError() {
        let data = Dataset(x: [[1], [2], [3]], y: [1, 2, 3])
        #expect(throws: FitError.self) { try Fitter.fit(NaNLaw(), data) }
        do {
            _ = try Fitter.fit(NaNLaw(), data)
        } catch let error as FitError {
            guard case .noConvergence = error else { Issue.record("expected noConvergence, got \(error)"); return }
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func bestStartWinsAndResultsAreDeterministic() throws {
        let t = TestData.hoffmann
        let truth = law.theta(E: t.E, A: t.A, B: t.B, alpha: t.alpha, beta: t.beta)
        let data = TestData.synthetic(theta: truth, noise: 0.003, seed: 11)
        let starts = TestData.gridSubset(stride: 90)
        let options = FitOptions(starts: starts, bootstrap: 8, seed: 42, bootstrapStarts: 1)
        let a = try Fitter.fit(law, data, options: options)
        let b = try Fitter.fit(law, data, options: options)
        #expect(a.theta == b.theta)
        #expect(a.intervals == b.intervals)
        #expect(a.bootstrapThetas == b.bootstrapThetas)
        #expect(a.startsTried == starts.count)
        // No single start does better than the reported optimum.
        for s in starts.prefix(10) {
            let local = HuberSolver.solve(law, data, delta: 1e-3, start: s, maxIterations: 500)
            if local.converged { #expect(local.objective >= a.objectiveValue * (1 - 1e-12)) }
        }
        let other = try Fitter.fit(law, data, options: FitOptions(starts: starts, bootstrap: 8, seed: 43, bootstrapStarts: 1))
        #expect(other.bootstrapThetas != a.bootstrapThetas)
    }

    @Test func groupedResamplingKeepsWholeGroups() {
        let groups = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3]
        let data = Dataset(x: groups.map { [Double($0)] }, y: groups.map(Double.init), groups: groups)
        let plans = Resampling.indexSets(for: data, resamples: 50, seed: 3)
        let sizes = [0: 3, 1: 2, 2: 4, 3: 1]
        for plan in plans {
            var counts: [Int: Int] = [:]
            for i in plan { counts[groups[i], default: 0] += 1 }
            // Each group appears a whole number of times, and 4 groups are drawn.
            let whole = counts.allSatisfy { $0.value % sizes[$0.key]! == 0 }
            #expect(whole)
            #expect(counts.map { $0.value / sizes[$0.key]! }.reduce(0, +) == 4)
        }
        // Not every resample is the original.
        let varied = plans.contains { Set($0.map { groups[$0] }).count < 4 }
        #expect(varied)
    }

    @Test func percentileMatchesLinearInterpolation() {
        let values = (1...11).map(Double.init)
        #expect(Percentile.quantile(values, 0.5) == 6)
        #expect(abs(Percentile.quantile(values, 0.025) - 1.25) < 1e-12)
        #expect(Percentile.interval([.nan, 2, 1, 3], confidence: 1) == 1...3)
    }
}
