import Laws

/// Least squares with GSL's trust-region Levenberg-Marquardt (`gsl_multifit_nlinear`) and the
/// law's analytic Jacobian. (Being written: until then every start reports non-convergence.)
public enum LeastSquaresSolver {
    public static func solve<L: ScalingLaw>(_ law: L, _ data: Dataset, start: [Double],
                                            maxIterations: Int) -> LocalFit {
        LocalFit(theta: start, objective: .infinity, converged: false, iterations: 0)
    }
}
