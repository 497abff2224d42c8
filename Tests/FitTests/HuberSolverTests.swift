import Foundation
import Testing
@testable import Fit
import Laws

@Suite struct HuberSolverTests {
    let law = ChinchillaLaw()

    @Test func objectiveGradientMatchesFiniteDifferences() throws {
        let data = try TestData.epochPoints()
        // Near the optimum (most residuals beyond delta), at a grid start, and in between.
        let points = [[6.17, 7.67, 0.597, 0.347, 0.367], [5, 10, 0.5, 0.5, 1], [8, 6, 0.2, 0.5, 0.3]]
        for theta in points {
            let (value, gradient) = HuberSolver.objective(law, data, delta: 1e-3, theta: theta)
            #expect(value.isFinite && value > 0)
            for k in 0..<5 {
                let h = 1e-6
                var up = theta, down = theta
                up[k] += h
                down[k] -= h
                let fd = (HuberSolver.objective(law, data, delta: 1e-3, theta: up).value
                    - HuberSolver.objective(law, data, delta: 1e-3, theta: down).value) / (2 * h)
                #expect(abs(fd - gradient[k]) <= 1e-6 * max(abs(gradient[k]), 1e-3),
                        "theta \(theta) k \(k): fd \(fd) analytic \(gradient[k])")
            }
        }
    }

    @Test func huberIsQuadraticInsideDeltaAndLinearOutside() {
        #expect(HuberSolver.rho(0.5e-3, 1e-3) == 0.5 * 0.25e-6)
        #expect(abs(HuberSolver.rho(-3e-3, 1e-3) - 1e-3 * (3e-3 - 0.5e-3)) < 1e-18)
        #expect(HuberSolver.psi(5, 1e-3) == 1e-3)
        #expect(HuberSolver.psi(-2e-4, 1e-3) == -2e-4)
    }

    @Test func convergesToAStationaryPointFromAGridStart() throws {
        let data = try TestData.epochPoints()
        let fit = HuberSolver.solve(law, data, delta: 1e-3, start: [5, 5, 0.5, 0.5, 0.5], maxIterations: 500)
        #expect(fit.converged)
        let (value, gradient) = HuberSolver.objective(law, data, delta: 1e-3, theta: fit.theta)
        #expect(abs(value - fit.objective) <= 1e-12 * value)
        // No descent direction left: a small step along -gradient does not lower the objective
        // by more than rounding.
        let norm = gradient.map { $0 * $0 }.reduce(0, +).squareRoot()
        let step = zip(fit.theta, gradient).map { $0 - 1e-3 * $1 / max(norm, 1e-300) }
        #expect(HuberSolver.objective(law, data, delta: 1e-3, theta: step).value >= value * (1 - 1e-9))
    }

    @Test func exactlyFittableDataConverge() throws {
        // Noise-free points of the law: the objective goes to ~0, where a purely relative test
        // (predicted decrease below 1e-12 of an objective that is itself ~0) can never pass.
        let t = TestData.hoffmann
        let truth = law.theta(E: t.E, A: t.A, B: t.B, alpha: t.alpha, beta: t.beta)
        let data = TestData.synthetic(theta: truth, noise: 0, seed: 1)
        let start = zip(truth, [0.05, -0.1, 0.1, 0.02, -0.02]).map { $0 + $1 }
        let fit = HuberSolver.solve(law, data, delta: 1e-3, start: start, maxIterations: 500)
        #expect(fit.converged, "objective \(fit.objective) after \(fit.iterations) iterations")
        #expect(fit.objective < 1e-18)
        for k in 0..<5 { #expect(abs(fit.theta[k] - truth[k]) < 1e-4 * max(1, abs(truth[k]))) }
    }

    @Test func nonFiniteStartOrObjectiveIsNotConvergedAndDoesNotCrash() throws {
        let data = try TestData.epochPoints()
        let nanStart = HuberSolver.solve(law, data, delta: 1e-3, start: [.nan, 1, 0, 0.3, 0.3], maxIterations: 50)
        #expect(!nanStart.converged)
        let exploding = HuberSolver.solve(NaNLaw(), Dataset(x: [[1], [2], [3]], y: [1, 2, 3]), delta: 1e-3,
                                          start: [1], maxIterations: 50)
        #expect(!exploding.converged)
        #expect(exploding.objective == .infinity)
    }
}

/// A law whose residual is NaN everywhere: the solver and fitter must fail cleanly.
struct NaNLaw: ScalingLaw {
    var name: String { "nan" }
    var reference: String { "test only" }
    var thetaNames: [String] { ["c"] }
    var parameterNames: [String] { ["c"] }
    var inputNames: [String] { ["x"] }
    var defaultObjective: Objective { .huber(delta: 1e-3) }
    func predict(_ theta: [Double], _ x: [Double]) -> Double { .nan }
    func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double { .nan }
    func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) { grad[0] = .nan }
    func startGrid() -> [[Double]] { [[1], [2]] }
    func reported(_ theta: [Double]) -> [Double] { theta }
}
