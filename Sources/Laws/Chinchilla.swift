import Foundation

/// The Chinchilla parametric loss, L(N, D) = E + A / N^alpha + B / D^beta
/// (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", eq. (2)), fitted the
/// way their Approach 3 does it, and as Besiroglu et al. 2024 ("Chinchilla Scaling: A replication
/// attempt", Epoch AI) re-did it on the points extracted from the paper's Figure 4.
///
/// Why this parametrisation: A, B and E are positive and span orders of magnitude, so the fit works
/// with their logs, theta = (a, b, e, alpha, beta) with A = exp(a), B = exp(b), E = exp(e). The
/// prediction in log space is then a log-sum-exp,
///
///     log L = LSE(a - alpha log N, b - beta log D, e),
///
/// and the residual is r = LSE(...) - log L_observed. Approach 3 minimises the Huber loss of these
/// residuals with delta = 1e-3 (robust to the few outlying small runs), starting L-BFGS from the
/// grid alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}
/// (4,500 starts) and keeping the best.
///
/// Inputs x = [N, D] (parameters, training tokens); target y = loss (nats per token).
public struct ChinchillaLaw: ScalingLaw {
    /// Huber threshold used by Hoffmann et al. 2022, Approach 3.
    public var huberDelta: Double

    public init(huberDelta: Double = 1e-3) {
        self.huberDelta = huberDelta
    }

    public var name: String { "chinchilla" }
    public var reference: String {
        "Hoffmann et al. 2022, eq. (2), Approach 3 (Huber on log-space LSE residuals); "
            + "Besiroglu et al. 2024 (Epoch AI replication)"
    }
    public var thetaNames: [String] { ["a", "b", "e", "alpha", "beta"] }
    public var parameterNames: [String] { ["E", "A", "B", "alpha", "beta"] }
    public var inputNames: [String] { ["N", "D"] }
    public var defaultObjective: Objective { .huber(delta: huberDelta) }

    public func predict(_ theta: [Double], _ x: [Double]) -> Double {
        exp(logPrediction(theta, log(x[0]), log(x[1])).value)
    }

    public func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double {
        logPrediction(theta, log(x[0]), log(x[1])).value - log(y)
    }

    public func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) {
        _ = residualAndGradient(theta, x, y, into: &grad)
    }

    public func residualAndGradient(_ theta: [Double], _ x: [Double], _ y: Double,
                                    into grad: inout [Double]) -> Double {
        let logN = log(x[0]), logD = log(x[1])
        let p = logPrediction(theta, logN, logD)
        // d LSE / d u_k is the softmax weight w_k of term k.
        grad[0] = p.w1
        grad[1] = p.w2
        grad[2] = p.w3
        grad[3] = -p.w1 * logN
        grad[4] = -p.w2 * logD
        return p.value - log(y)
    }

    /// The full Approach 3 grid: 6 x 6 x 5 x 5 x 5 = 4,500 points, in (a, b, e, alpha, beta) order,
    /// the last coordinate varying fastest.
    /// Logs once per solve: the Huber objective reads only log N, log D and log L.
    public var preparedWidth: Int { 2 }

    public func prepare(_ x: [Double], _ y: Double, into px: UnsafeMutablePointer<Double>) -> Double {
        px[0] = log(x[0])
        px[1] = log(x[1])
        return log(y)
    }

    @inlinable
    public func preparedResidual(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double) -> Double {
        let u1 = theta[0] - theta[3] * px[0], u2 = theta[1] - theta[4] * px[1], u3 = theta[2]
        let m = max(u1, max(u2, u3))
        return m + log(exp(u1 - m) + exp(u2 - m) + exp(u3 - m)) - py
    }

    @inlinable
    public func preparedResidualAndGradient(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double,
                                            into grad: UnsafeMutablePointer<Double>) -> Double {
        let u1 = theta[0] - theta[3] * px[0], u2 = theta[1] - theta[4] * px[1], u3 = theta[2]
        let m = max(u1, max(u2, u3))
        let e1 = exp(u1 - m), e2 = exp(u2 - m), e3 = exp(u3 - m)
        let s = e1 + e2 + e3
        let inv = 1 / s
        // d LSE / d u_k is the softmax weight of term k.
        grad[0] = e1 * inv
        grad[1] = e2 * inv
        grad[2] = e3 * inv
        grad[3] = -grad[0] * px[0]
        grad[4] = -grad[1] * px[1]
        return m + log(s) - py
    }

    public func startGrid() -> [[Double]] {
        let ab = stride(from: 0.0, through: 25.0, by: 5.0).map { $0 }
        let es = stride(from: -1.0, through: 1.0, by: 0.5).map { $0 }
        let exps = stride(from: 0.0, through: 2.0, by: 0.5).map { $0 }
        var grid: [[Double]] = []
        grid.reserveCapacity(ab.count * ab.count * es.count * exps.count * exps.count)
        for a in ab { for b in ab { for e in es { for alpha in exps { for beta in exps {
            grid.append([a, b, e, alpha, beta])
        } } } } }
        return grid
    }

    public func reported(_ theta: [Double]) -> [Double] {
        [exp(theta[2]), exp(theta[0]), exp(theta[1]), theta[3], theta[4]]
    }

    /// Internal parameters from reported ones (E, A, B, alpha, beta): for generating data and
    /// for starting a refit from published values.
    public func theta(E: Double, A: Double, B: Double, alpha: Double, beta: Double) -> [Double] {
        [log(A), log(B), log(E), alpha, beta]
    }

    /// log L and the softmax weights of its three terms, computed stably: the largest term is
    /// factored out so no exp can overflow whatever theta the optimiser tries.
    @inline(__always)
    private func logPrediction(_ theta: [Double], _ logN: Double, _ logD: Double)
        -> (value: Double, w1: Double, w2: Double, w3: Double)
    {
        let u1 = theta[0] - theta[3] * logN
        let u2 = theta[1] - theta[4] * logD
        let u3 = theta[2]
        let m = max(u1, max(u2, u3))
        let e1 = exp(u1 - m), e2 = exp(u2 - m), e3 = exp(u3 - m)
        let s = e1 + e2 + e3
        return (m + log(s), e1 / s, e2 / s, e3 / s)
    }
}
