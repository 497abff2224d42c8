/// The result of one local minimisation from one starting point.
public struct LocalFit: Sendable {
    public var theta: [Double]
    /// Objective at `theta` (sum of squared residuals, or sum of Huber losses).
    public var objective: Double
    public var converged: Bool
    public var iterations: Int

    public init(theta: [Double], objective: Double, converged: Bool, iterations: Int) {
        self.theta = theta
        self.objective = objective
        self.converged = converged
        self.iterations = iterations
    }
}
