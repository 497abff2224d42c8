import Foundation
import Testing
@testable import Fit
import Laws

/// The laws whose power terms cap their exponent (`CappedExp`) must differentiate the capped
/// function: e^u below the cap, 0 beyond it. Checked against finite differences below, at and beyond
/// the cap for each law.
@Suite struct CappedJacobianTests {
    /// Analytic residual gradient vs central differences (or backward differences at a kink).
    func check<L: ScalingLaw>(_ law: L, theta: [Double], x: [Double], k: Int, backward: Bool = false,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        var grad = [Double](repeating: 0, count: theta.count)
        law.residualGradient(theta, x, 0, into: &grad)
        let h = 1e-7 * max(1, abs(theta[k]))
        var up = theta, down = theta
        up[k] += h
        down[k] -= h
        let fd = backward
            ? (law.residual(theta, x, 0) - law.residual(down, x, 0)) / h
            : (law.residual(up, x, 0) - law.residual(down, x, 0)) / (2 * h)
        let scale = max(abs(grad[k]), abs(fd), 1e-300)
        #expect(grad[k].isFinite, sourceLocation: sourceLocation)
        #expect(abs(fd - grad[k]) <= 1e-4 * scale, "k \(k): fd \(fd) analytic \(grad[k])", sourceLocation: sourceLocation)
    }

    @Test func cappedExpIsFlatBeyondTheCap() {
        #expect(CappedExp.eval(CappedExp.cap + 1).slope == 0)
        #expect(CappedExp.eval(CappedExp.cap + 1).value == exp(CappedExp.cap))
        #expect(CappedExp.eval(CappedExp.cap).slope == exp(CappedExp.cap))
        #expect(CappedExp.eval(1).value == exp(1.0) && CappedExp.eval(1).slope == exp(1.0))
    }

    @Test func annealingLawAlphaDerivative() {
        let law = AnnealingLaw(lambda: 0.999)
        let x = [0.5, 0.1]  // log S1 < 0: the exponent -alpha log S1 grows with alpha
        let atCap = CappedExp.cap / -log(x[0])  // alpha at which -alpha log S1 = cap
        check(law, theta: [2, 0.5, 0.6, 0.3], x: x, k: 2)
        check(law, theta: [2, 1e-300, atCap * 1.01, 0.3], x: x, k: 2)  // beyond: flat, derivative 0
        check(law, theta: [2, 1e-300, atCap, 0.3], x: x, k: 2, backward: true)  // at: the derivative from below
        var g = [Double](repeating: 0, count: 4)
        law.residualGradient([2, 1, atCap * 1.5, 0.3], x, 0, into: &g)
        #expect(g[2] == 0)
    }

    @Test func downstreamLawGammaDerivative() {
        let law = DownstreamLaw()
        let x = [-2.0]  // a negative input makes -gamma L grow with gamma
        let atCap = CappedExp.cap / 2
        check(law, theta: [0.8, 0.5, 1.3], x: [3.0], k: 2)
        check(law, theta: [0.8, 1e-300, atCap * 1.01], x: x, k: 2)
        check(law, theta: [0.8, 1e-300, atCap], x: x, k: 2, backward: true)
        var g = [Double](repeating: 0, count: 3)
        law.residualGradient([0.8, 1, atCap * 2], x, 0, into: &g)
        #expect(g[2] == 0)
    }

    @Test func overtrainLawExponentDerivative() {
        let law = OvertrainLaw()
        let x = [1e6, 20.0]
        let lnMN6 = 0.5 * log(6.0) + log(x[0] * x[1])
        check(law, theta: [1.7, 300, 500, -0.3], x: x, k: 3)
        // Beyond the cap of both terms: flat.
        let p = CappedExp.cap / log(x[0]) * 1.01
        check(law, theta: [1.7, 1e-300, 1e-300, p], x: x, k: 3)
        var g = [Double](repeating: 0, count: 4)
        law.residualGradient([1.7, 1, 1, p], x, 0, into: &g)
        #expect(g[3] == 0)
        // Only the (M N) term capped: the N term's slope remains.
        let pm = CappedExp.cap / lnMN6 * 1.001
        #expect(pm * log(x[0]) < CappedExp.cap)
        law.residualGradient([1.7, 1, 1, pm], x, 0, into: &g)
        #expect(abs(g[3] - exp(pm * log(x[0])) * log(x[0])) <= 1e-12 * abs(g[3]))
    }
}
