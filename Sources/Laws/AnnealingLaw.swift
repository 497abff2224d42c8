import Foundation

/// The loss curve law of Tissue et al. 2024, "Scaling Law with Learning Rate Annealing"
/// (arXiv:2408.11029), Eq. (1):
///
///     L(s) = L0 + A * S1(s)^(-alpha) - C * S2(s),
///
/// with the forward area S1 and annealing area S2 of `AnnealingAreas`. One law describes every
/// step of a run under any schedule, so a fit on one or two curves predicts the whole curve of
/// an unseen schedule (constant, cosine, WSD, ...) of the same model size.
///
/// - Inputs: `["S1", "S2"]`, precomputed for a fixed `lambda` (see `AnnealingAreas`; to fit
///   lambda too, use `AnnealingFit`, which searches it around this law's least-squares fit).
/// - Theta and reported parameters: `["L0", "A", "alpha", "C"]`, fitted in linear space.
/// - Residuals: on log loss, ln L_pred - ln L, when `logResiduals` (what `AnnealingFit` fits, with
///   Huber or least squares: the errors that matter on a loss curve are relative, PredE = mean
///   |L - pred| / L), else on the loss itself (pred - L).
public struct AnnealingLaw: ScalingLaw {
    /// The momentum decay used to build this law's S2 inputs (for `predictCurve`).
    public var lambda: Double
    /// Warmup steps counted at peak LR when building areas (see `AnnealingAreas.compute`).
    public var warmupAsPeak: Int?
    /// Residuals on log loss instead of loss.
    public var logResiduals: Bool
    /// Whether a warmup's rise enters S2 as negative drops (see `AnnealingAreas.compute`).
    public var warmupRiseInS2: Bool

    public init(lambda: Double = AnnealingAreas.defaultLambda, warmupAsPeak: Int? = nil, logResiduals: Bool = false,
                warmupRiseInS2: Bool = true) {
        self.lambda = lambda
        self.warmupAsPeak = warmupAsPeak
        self.logResiduals = logResiduals
        self.warmupRiseInS2 = warmupRiseInS2
    }

    public var name: String { "annealing" }
    public var reference: String {
        "Tissue et al. 2024, Scaling Law with Learning Rate Annealing, Eq. (1): L(s) = L0 + A S1^-alpha - C S2"
    }
    public var thetaNames: [String] { ["L0", "A", "alpha", "C"] }
    public var parameterNames: [String] { ["L0", "A", "alpha", "C"] }
    public var inputNames: [String] { ["S1", "S2"] }
    public var defaultObjective: Objective { .leastSquares }

    /// S1^-alpha with the exponent capped (finite for any trial alpha, see `CappedExp`) and its
    /// derivative with respect to the exponent -alpha log S1; nan for S1 <= 0.
    @inline(__always)
    private func power(_ theta: [Double], _ s1: Double) -> (value: Double, slope: Double) {
        s1 > 0 ? CappedExp.eval(-theta[2] * Foundation.log(s1)) : (.nan, .nan)
    }

    public func predict(_ theta: [Double], _ x: [Double]) -> Double {
        theta[0] + theta[1] * power(theta, x[0]).value - theta[3] * x[1]
    }

    public func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double {
        let p = predict(theta, x)
        guard logResiduals else { return p - y }
        return p > 0 ? Foundation.log(p) - Foundation.log(y) : .infinity
    }

    public func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) {
        let t = power(theta, x[0])
        // d ln p = dp / p for log residuals.
        let scale = logResiduals ? 1 / predict(theta, x) : 1
        grad[0] = scale
        grad[1] = scale * t.value
        grad[2] = -scale * theta[1] * t.slope * Foundation.log(x[0])
        grad[3] = -scale * x[1]
    }

    /// A coarse grid over plausible losses and exponents; A and C span decades because the
    /// areas scale with the LR magnitude (S1 ~ steps * peak LR). `AnnealingFit` derives better,
    /// data-dependent starts by solving the linear parameters for each trial alpha.
    public func startGrid() -> [[Double]] {
        var grid: [[Double]] = []
        for l0 in [1.0, 2.0, 3.0, 5.0] {
            for a in [0.1, 1.0, 10.0] {
                for alpha in [0.2, 0.5, 1.0] {
                    for c in [0.1, 1.0, 10.0, 100.0] { grid.append([l0, a, alpha, c]) }
                }
            }
        }
        return grid
    }

    public func reported(_ theta: [Double]) -> [Double] { theta }

    /// Input rows [S1, S2] for every step of a schedule (`lrs[i]` = rate of update i+1).
    public func inputs(lrs: [Double]) -> [[Double]] {
        let areas = AnnealingAreas.compute(lrs: lrs, lambda: lambda, warmupAsPeak: warmupAsPeak, warmupRiseInS2: warmupRiseInS2)
        return zip(areas.s1, areas.s2).map { [$0, $1] }
    }

    /// Predicted loss after each update 1...lrs.count of a schedule.
    public func predictCurve(_ theta: [Double], lrs: [Double]) -> [Double] {
        inputs(lrs: lrs).map { predict(theta, $0) }
    }
}
