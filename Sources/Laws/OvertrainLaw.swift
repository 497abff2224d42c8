import Foundation

/// The over-training loss law of Gadre et al. 2024, "Language models scale reliably with
/// over-training and on downstream tasks" (arXiv:2403.08540), Eq. (4):
///
///     L(C, M) = E + (a * M^eta + b * M^-eta) * C^-eta,      C = 6 N D,  M = D / N,
///
/// i.e. the Chinchilla form with a shared exponent (alpha = beta = eta) re-parameterised by
/// compute C and token multiplier M.
///
/// We fit it exactly as the paper's code does (mlfoundations/scaling `powlaw_ours`), in terms of
/// parameters N and multiplier M with a free exponent p < 0:
///
///     L(N, M) = E + a * N^p + b * 6^(p/2) * (M N)^p.
///
/// Equivalence (our derivation): with C = 6 M N^2, N = (C / (6M))^(1/2) and D = M N = (C M / 6)^(1/2).
/// Put eta = -p/2. Then a N^p = a (C/(6M))^(-eta) = a 6^eta M^eta C^-eta, and
/// b 6^(p/2) (M N)^p = b 6^-eta (C M / 6)^-eta = b M^-eta C^-eta, so
///
///     L(C, M) = E + (a 6^eta M^eta + b M^-eta) C^-eta,
///
/// which is Eq. (4) with the paper's coefficient a_paper = a 6^eta. (The b term is (sqrt(6) D)^p:
/// a Chinchilla data term whose sqrt(6) lets it be written in C and M alone.)
///
/// - Inputs: `["N", "M"]` (parameters, tokens per parameter D/N). Use `inputs(N:D:)` /
///   `inputs(C:M:)` to build rows from other units.
/// - Internal parameters theta = `["E", "a", "b", "p"]`, fitted directly (linear space, like
///   `scipy.optimize.curve_fit` in the reference code), so the reference constants are comparable.
/// - Reported: `["E", "a", "b", "p", "eta"]` with eta = -p/2, the paper's exponent of compute.
///   In Chinchilla notation L = E + A N^-alpha + B D^-beta this law is the shared-exponent case
///   alpha = beta = -p = 2 eta (the exponents on N and D; halved on C because C grows as N^2
///   at fixed M).
/// - Objective: plain least squares on linear loss (as the reference: curve_fit, best of a grid).
public struct OvertrainLaw: ScalingLaw {
    public init() {}

    public var name: String { "overtrain" }
    public var reference: String {
        "Gadre et al. 2024, Language models scale reliably with over-training and on downstream tasks, Eq. (4): "
            + "L(C,M) = E + (a M^eta + b M^-eta) C^-eta; fitted as L(N,M) = E + a N^p + b 6^(p/2) (M N)^p"
    }
    public var thetaNames: [String] { ["E", "a", "b", "p"] }
    public var parameterNames: [String] { ["E", "a", "b", "p", "eta"] }
    public var inputNames: [String] { ["N", "M"] }
    public var defaultObjective: Objective { .leastSquares }

    /// The two power-law terms a N^p and b 6^(p/2) (M N)^p, and the logs they are exponentials of;
    /// `sn`, `sm`: their slopes with respect to the exponents p lnN and p lnMN6 (0 beyond the cap).
    @inline(__always)
    private func terms(_ theta: [Double], _ x: [Double])
        -> (tn: Double, tm: Double, sn: Double, sm: Double, lnN: Double, lnMN6: Double) {
        let lnN = Foundation.log(x[0])
        let lnMN6 = 0.5 * Foundation.log(6.0) + Foundation.log(x[1] * x[0])
        let p = theta[3]
        // Capped exponents (`CappedExp`) keep the terms finite for absurd trial exponents; LM then rejects the step.
        let n = CappedExp.eval(p * lnN), m = CappedExp.eval(p * lnMN6)
        return (n.value, m.value, n.slope, m.slope, lnN, lnMN6)
    }

    public func predict(_ theta: [Double], _ x: [Double]) -> Double {
        guard x[0] > 0, x[1] > 0 else { return .nan }
        let t = terms(theta, x)
        return theta[0] + theta[1] * t.tn + theta[2] * t.tm
    }

    public func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double {
        predict(theta, x) - y
    }

    public func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) {
        guard x[0] > 0, x[1] > 0 else {
            for j in 0..<4 { grad[j] = .nan }
            return
        }
        let t = terms(theta, x)
        grad[0] = 1
        grad[1] = t.tn
        grad[2] = t.tm
        grad[3] = theta[1] * t.sn * t.lnN + theta[2] * t.sm * t.lnMN6
    }

    /// The reference code's grid (`curve_fit_powlaw_ours`): a0, b0 in {1e2, 3e2, 1e3, 3e3},
    /// p0 in {-0.1, -0.3}, E0 in {0, 1, 2, 10}; 128 starts in theta order [E, a, b, p].
    public func startGrid() -> [[Double]] {
        var grid: [[Double]] = []
        for a in [1e2, 3e2, 1e3, 3e3] {
            for b in [1e2, 3e2, 1e3, 3e3] {
                for p in [-0.1, -0.3] {
                    for e in [0.0, 1.0, 2.0, 10.0] { grid.append([e, a, b, p]) }
                }
            }
        }
        return grid
    }

    public func reported(_ theta: [Double]) -> [Double] {
        [theta[0], theta[1], theta[2], theta[3], -theta[3] / 2]
    }

    // MARK: - Other units

    /// One input row from parameters N and tokens D (M = D / N).
    public static func inputs(N: Double, D: Double) -> [Double] { [N, D / N] }

    /// One input row from compute C = 6 N D and multiplier M = D / N (N = sqrt(C / (6 M))).
    public static func inputs(C: Double, M: Double) -> [Double] { [(C / (6 * M)).squareRoot(), M] }

    /// Loss at N parameters trained on D tokens.
    public func predict(_ theta: [Double], N: Double, D: Double) -> Double {
        predict(theta, Self.inputs(N: N, D: D))
    }

    /// Loss at compute C and multiplier M, evaluated in the paper's Eq. (4) form
    /// E + (a 6^eta M^eta + b M^-eta) C^-eta (equal to `predict(theta, inputs(C:M:))`).
    public func predict(_ theta: [Double], C: Double, M: Double) -> Double {
        guard C > 0, M > 0 else { return .nan }
        let (e, a, b, eta) = (theta[0], theta[1], theta[2], -theta[3] / 2)
        return e + (a * Foundation.pow(6 * M, eta) + b * Foundation.pow(M, -eta)) * Foundation.pow(C, -eta)
    }
}
