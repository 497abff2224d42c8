@preconcurrency import CNumerics
import Laws

/// Least squares with GSL's trust-region Levenberg-Marquardt (`gsl_multifit_nlinear`) and the
/// law's analytic Jacobian.
///
/// Settings and why:
/// - trust-region subproblem `gsl_multifit_nlinear_trs_lm` (plain LM, no geodesic acceleration):
///   the laws here have at most five parameters and cheap residuals, so the extra second
///   directional derivative `lmaccel` needs (finite differences of J) buys nothing; plain LM is
///   also what `scipy.optimize.curve_fit` runs, which the Gadre et al. reference fits came from.
/// - scaling `more` (Moré 1978): parameters of very different magnitude (a ~ 1e2, exponents ~ 0.3,
///   E ~ 2) each get a step scale from their Jacobian column, which keeps LM invariant to units.
/// - solver `qr`: solves the normal equations via a QR of J, never forming J^T J, so conditioning
///   is that of J, not its square (power laws with shared exponents are ill-conditioned).
/// - stopping: xtol = gtol = 1e-10 and ftol = 0 (the relative-reduction test is off; a fit stops
///   when the step or the scaled gradient is negligible, the usual GSL recommendation).
///
/// Never traps on non-finite values: a trial point whose residuals are not finite gets a huge
/// finite penalty so LM rejects the step and shrinks its trust region; a start whose residuals
/// or Jacobian are not finite, or any GSL failure, returns `converged == false`.
public enum LeastSquaresSolver {
    /// Step tolerance (relative, per parameter).
    public static let xtol = 1e-10
    /// Scaled-gradient tolerance.
    public static let gtol = 1e-10
    /// Relative reduction tolerance (disabled).
    public static let ftol = 0.0
    /// Residual substituted for a non-finite one at a trial point, so the step is rejected.
    static let penaltyResidual = 1e50

    public static func solve<L: ScalingLaw>(_ law: L, _ data: Dataset, start: [Double],
                                            maxIterations: Int) -> LocalFit {
        let n = data.count
        let p = law.thetaNames.count
        let failed = LocalFit(theta: start, objective: .infinity, converged: false, iterations: 0)
        guard n >= p, p > 0, start.count == p, data.x.count == n,
              start.allSatisfy({ $0.isFinite }) else { return failed }
        gsl_set_error_handler_off()

        let problem = ResidualProblem(law, data)
        // The start itself must be evaluable: a penalty there would make LM "converge" on garbage.
        var r0 = [Double](repeating: 0, count: n)
        guard problem.residuals(start, into: &r0) else { return failed }

        let box = Unmanaged.passRetained(problem)
        defer { box.release() }

        var fdf = gsl_multifit_nlinear_fdf()
        fdf.f = residualCallback
        fdf.df = jacobianCallback
        fdf.fvv = nil
        fdf.n = n
        fdf.p = p
        fdf.params = box.toOpaque()

        var params = gsl_multifit_nlinear_default_parameters()
        params.trs = gsl_multifit_nlinear_trs_lm
        params.scale = gsl_multifit_nlinear_scale_more
        params.solver = gsl_multifit_nlinear_solver_qr

        guard let work = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, n, p) else {
            return failed
        }
        defer { gsl_multifit_nlinear_free(work) }
        guard let x0 = gsl_vector_alloc(p) else { return failed }
        defer { gsl_vector_free(x0) }
        for j in 0..<p { gsl_vector_set(x0, j, start[j]) }

        guard gsl_multifit_nlinear_init(x0, &fdf, work) == GSL_SUCCESS else { return failed }
        var info: Int32 = 0
        let status = gsl_multifit_nlinear_driver(maxIterations, xtol, gtol, ftol, nil, nil, &info, work)
        let iterations = Int(gsl_multifit_nlinear_niter(work))

        let xOut = gsl_multifit_nlinear_position(work)!
        let theta = (0..<p).map { gsl_vector_get(xOut, $0) }
        // Recompute chi^2 from the law rather than GSL's f, which may hold penalty values.
        var r = [Double](repeating: 0, count: n)
        let finite = theta.allSatisfy { $0.isFinite } && problem.residuals(theta, into: &r)
        let chi2 = finite ? r.reduce(0) { $0 + $1 * $1 } : Double.infinity
        let ok = status == GSL_SUCCESS && !problem.jacobianFailed && chi2.isFinite
        return LocalFit(theta: finite ? theta : start, objective: chi2, converged: ok,
                        iterations: iterations)
    }
}

/// The law and data seen through non-generic closures, so C callbacks (which cannot capture
/// generic context) can reach them through the `params` pointer.
private final class ResidualProblem {
    let n: Int
    let p: Int
    /// Writes r(theta) into the buffer; false if any residual is not finite.
    let residualsInto: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Bool
    /// Writes J(theta) row-major with row stride `tda`; false if any entry is not finite.
    let jacobianInto: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Bool
    var jacobianFailed = false

    init<L: ScalingLaw>(_ law: L, _ data: Dataset) {
        let n = data.count, p = law.thetaNames.count
        self.n = n
        self.p = p
        let xs = data.x, ys = data.y
        residualsInto = { thetaPtr, out in
            let theta = Array(UnsafeBufferPointer(start: thetaPtr, count: p))
            var allFinite = true
            for i in 0..<n {
                let r = law.residual(theta, xs[i], ys[i])
                if !r.isFinite { allFinite = false }
                out[i] = r
            }
            return allFinite
        }
        jacobianInto = { thetaPtr, out, tda in
            let theta = Array(UnsafeBufferPointer(start: thetaPtr, count: p))
            var grad = [Double](repeating: 0, count: p)
            for i in 0..<n {
                law.residualGradient(theta, xs[i], ys[i], into: &grad)
                for j in 0..<p {
                    guard grad[j].isFinite else { return false }
                    out[i * tda + j] = grad[j]
                }
            }
            return true
        }
    }

    func residuals(_ theta: [Double], into r: inout [Double]) -> Bool {
        theta.withUnsafeBufferPointer { t in
            r.withUnsafeMutableBufferPointer { residualsInto(t.baseAddress!, $0.baseAddress!) }
        }
    }
}

private func residualCallback(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                              _ f: UnsafeMutablePointer<gsl_vector>?) -> Int32 {
    guard let x, let params, let f else { return Int32(GSL_EINVAL) }
    let problem = Unmanaged<ResidualProblem>.fromOpaque(params).takeUnretainedValue()
    let theta = (0..<problem.p).map { gsl_vector_get(x, $0) }
    let stride = f.pointee.stride
    var r = [Double](repeating: 0, count: problem.n)
    if !problem.residuals(theta, into: &r) {
        for i in 0..<r.count where !r[i].isFinite { r[i] = LeastSquaresSolver.penaltyResidual }
    }
    let data = f.pointee.data!
    for i in 0..<problem.n { data[i * stride] = r[i] }
    return Int32(GSL_SUCCESS)
}

private func jacobianCallback(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                              _ J: UnsafeMutablePointer<gsl_matrix>?) -> Int32 {
    guard let x, let params, let J else { return Int32(GSL_EINVAL) }
    let problem = Unmanaged<ResidualProblem>.fromOpaque(params).takeUnretainedValue()
    let theta = (0..<problem.p).map { gsl_vector_get(x, $0) }
    let ok = theta.withUnsafeBufferPointer {
        problem.jacobianInto($0.baseAddress!, J.pointee.data!, J.pointee.tda)
    }
    if !ok {
        problem.jacobianFailed = true
        return Int32(GSL_EDOM)
    }
    return Int32(GSL_SUCCESS)
}
