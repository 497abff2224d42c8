/// The result of one local minimisation from one starting point.
public struct LocalFit: Sendable {
    public var theta: [Double]
    /// Objective at `theta` (sum of squared residuals, or sum of Huber losses).
    public var objective: Double
    public var converged: Bool
    public var iterations: Int
    /// Passes over the data (objective and gradient at a new point), the solver's unit of cost;
    /// 0 when the solver does not count them.
    public var evaluations: Int

    public init(theta: [Double], objective: Double, converged: Bool, iterations: Int, evaluations: Int = 0) {
        self.theta = theta
        self.objective = objective
        self.converged = converged
        self.iterations = iterations
        self.evaluations = evaluations
    }
}
