import Foundation
import Testing
@testable import Fit
import Laws

@Suite struct IsoFLOPTests {
    let truth = ComputeOptimal(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)

    /// Nine model sizes per budget spanning 10^(-1)..10^(+1) around a point off the true optimum
    /// (so the profiles are not symmetric about their minimum), loss from the Chinchilla law.
    func profile(compute c: Double, jitter: Double = 0) -> [IsoFLOPPoint] {
        let centre = truth.allocation(compute: c).N * 1.7
        return (-4...4).map { k in
            let n = centre * pow(10, Double(k) / 4)
            let d = c * (1 + jitter * Double(k % 3)) / (6 * n)
            return IsoFLOPPoint(N: n, D: d, loss: truth.loss(N: n, D: d))
        }
    }

    @Test func recoversTheExponentsOfTheUnderlyingLaw() throws {
        let levels = [1e18, 1e19, 1e20, 1e21, 1e22]
        let analysis = IsoFLOPAnalysis(points: levels.flatMap { profile(compute: $0) }, computeLevels: levels)
        let result = try analysis.fit()
        #expect(result.minima.count == 5 && result.skipped.isEmpty)
        let a = try #require(result.parameter("a")), b = try #require(result.parameter("b"))
        #expect(abs(a - truth.nExponent) < 0.01, "a \(a) vs \(truth.nExponent)")
        #expect(abs(b - truth.dExponent) < 0.01, "b \(b) vs \(truth.dExponent)")
        #expect(abs(a + b - 1) < 1e-9)
        // The fitted allocation at an interior budget is the law's own optimum within a few %.
        let predicted = result.optimal(compute: 3e20), exact = truth.allocation(compute: 3e20)
        #expect(abs(predicted.N / exact.N - 1) < 0.05, "N_opt \(predicted.N) vs \(exact.N)")
        #expect(abs(predicted.D / exact.D - 1) < 0.05)
        for m in result.minima {
            let e = truth.allocation(compute: m.compute)
            #expect(abs(log(m.N / e.N)) < 0.05)
            #expect(m.withinSampledRange && m.curvature > 0)
        }
        let stored = result.asFitResult()
        #expect(stored.law == "isoflop" && stored.parameterNames == ["a", "b", "kN", "kD"])
        #expect(stored.parameters == result.parameters && stored.n == 5)
    }

    @Test func groupsByToleranceAndSkipsUnusableGroups() throws {
        // Compute jittered by up to 4%; one budget with only 2 sizes; one concave profile.
        var points = [1e18, 1e19, 1e20].flatMap { profile(compute: $0, jitter: 0.02) }
        points += profile(compute: 1e21).prefix(2)
        let c = 1e22
        points += (-2...2).map { k in
            let n = 1e10 * pow(10, Double(k) / 2)
            return IsoFLOPPoint(N: n, D: c / (6 * n), loss: 3 - 0.1 * Double(k * k))
        }
        let analysis = IsoFLOPAnalysis(points: points, tolerance: 0.1)
        #expect(analysis.groups().count == 5)
        let result = try analysis.fit()
        #expect(result.minima.count == 3)
        #expect(result.skipped.count == 2)
        let reasons = result.skipped.map(\.reason).joined(separator: "; ")
        // The concave profile's lowest losses are at its ends: no interior minimum.
        #expect(reasons.contains("interior") && reasons.contains("distinct"), "\(reasons)")
        #expect(abs(result.parameters[0] - truth.nExponent) < 0.02)
    }

    @Test func explicitLevelsDropFarPointsAndBootstrapGivesIntervals() throws {
        let levels = [1e18, 1e19, 1e20, 1e21]
        var rng = ResampleRNG(seed: 9)
        var points = levels.flatMap { profile(compute: $0) }.map { p in
            var q = p
            q.loss *= 1 + 0.002 * (Double.random(in: 0..<1, using: &rng) - 0.5)
            return q
        }
        points.append(IsoFLOPPoint(N: 1e9, D: 3e13 / 6e9, loss: 9))  // C = 3e13: near no level
        let analysis = IsoFLOPAnalysis(points: points, computeLevels: levels, tolerance: 0.05)
        #expect(analysis.groups().map(\.members.count) == [9, 9, 9, 9])
        let result = try analysis.fit(bootstrap: 200, seed: 1)
        #expect(result.intervals.count == 4 && result.bootstrapConverged == 200)
        for k in 0..<4 {
            let iv = try #require(result.intervals[k])
            #expect(iv.lowerBound < result.parameters[k] && result.parameters[k] < iv.upperBound)
        }
        let a = try #require(result.intervals[0])
        #expect(a.contains(truth.nExponent) || abs(result.parameters[0] - truth.nExponent) < 0.01)
    }

    @Test func tooFewGroupsOrBadPointsThrow() {
        #expect(throws: FitError.self) { try IsoFLOPAnalysis(points: profile(compute: 1e19)).fit() }
        #expect(throws: FitError.self) {
            try IsoFLOPAnalysis(points: [IsoFLOPPoint(N: -1, D: 1, loss: 1)] + profile(compute: 1e19)).fit()
        }
    }

    @Test func parabolaFitIsExactOnAParabola() throws {
        let xs = [-2.0, -1, 0, 1, 2, 3]
        let c = try #require(Polynomial.leastSquares(x: xs, y: xs.map { 1.5 - 0.5 * $0 + 0.25 * $0 * $0 }, degree: 2))
        #expect(abs(c[0] - 1.5) < 1e-12 && abs(c[1] + 0.5) < 1e-12 && abs(c[2] - 0.25) < 1e-12)
        #expect(Polynomial.leastSquares(x: [1, 1, 1], y: [1, 2, 3], degree: 2) == nil)
    }
}
