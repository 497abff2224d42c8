/// Gadre et al. 2024's two-step prediction: compute and over-training -> loss (Eq. 4, fitted
/// `OvertrainLaw`) -> average downstream error (Eq. 5, fitted `DownstreamLaw`). Chaining is
/// the paper's point: the error law is fitted on (loss, error) pairs of small runs, so a large
/// run's error is predicted from its predicted loss without ever evaluating it.
public struct DownstreamChain: Sendable {
    public var lossLaw = OvertrainLaw()
    /// Fitted `OvertrainLaw` theta [E, a, b, p].
    public var lossTheta: [Double]
    public var errorLaw = DownstreamLaw()
    /// Fitted `DownstreamLaw` theta [eps, k, gamma].
    public var errorTheta: [Double]

    public init(lossTheta: [Double], errorTheta: [Double]) {
        self.lossTheta = lossTheta
        self.errorTheta = errorTheta
    }

    /// Predicted loss and downstream error for N parameters at token multiplier M = D / N.
    public func predict(N: Double, M: Double) -> (loss: Double, error: Double) {
        let loss = lossLaw.predict(lossTheta, [N, M])
        return (loss, errorLaw.predict(errorTheta, [loss]))
    }
}
