import Foundation

/// Average downstream top-1 error as a function of loss, Gadre et al. 2024, "Language models
/// scale reliably with over-training and on downstream tasks" (arXiv:2403.08540), Eq. (5):
///
///     Err(L) = eps - k * exp(-gamma * L).
///
/// Why this shape: a model with high loss answers at chance, so the error saturates at eps as
/// L grows; as the loss falls the error drops away from that plateau by k exp(-gamma L), with k
/// and gamma setting the scale and the rate. It is fitted on models' C4 validation loss against
/// the mean error over a task suite (the reference code: `scipy.optimize.curve_fit` of
/// `E - a exp(-b L)` from p0 = ones, plain least squares).
///
/// - Inputs: `["loss"]`. Theta and reported parameters: `["eps", "k", "gamma"]`.
public struct DownstreamLaw: ScalingLaw {
    public init() {}

    public var name: String { "downstream" }
    public var reference: String {
        "Gadre et al. 2024, Language models scale reliably with over-training and on downstream tasks, Eq. (5): "
            + "Err(L) = eps - k exp(-gamma L)"
    }
    public var thetaNames: [String] { ["eps", "k", "gamma"] }
    public var parameterNames: [String] { ["eps", "k", "gamma"] }
    public var inputNames: [String] { ["loss"] }
    public var defaultObjective: Objective { .leastSquares }

    /// exp(-gamma L), with the exponent capped so a wild trial gamma gives a huge finite value
    /// (`CappedExp`: the slope with respect to -gamma L is 0 beyond the cap).
    @inline(__always)
    private func decay(_ theta: [Double], _ loss: Double) -> (value: Double, slope: Double) {
        CappedExp.eval(-theta[2] * loss)
    }

    public func predict(_ theta: [Double], _ x: [Double]) -> Double {
        theta[0] - theta[1] * decay(theta, x[0]).value
    }

    public func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double {
        predict(theta, x) - y
    }

    public func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) {
        let e = decay(theta, x[0])
        grad[0] = 1
        grad[1] = -e.value
        grad[2] = theta[1] * x[0] * e.slope
    }

    /// The reference's p0 = (1, 1, 1) first, then a small grid around plausible values
    /// (errors are fractions near the chance plateau, losses 2..7 nats).
    public func startGrid() -> [[Double]] {
        var grid: [[Double]] = [[1, 1, 1]]
        for eps in [0.5, 0.8, 1.0] {
            for k in [0.5, 2.0, 10.0] {
                for gamma in [0.3, 1.0, 2.0] {
                    grid.append([eps, k, gamma])
                }
            }
        }
        return grid
    }

    public func reported(_ theta: [Double]) -> [Double] { theta }
}
