/// A scaling law as the fitter sees it: a residual per observation with an analytic gradient,
/// a grid of starting points, and a map from the internal parameters it is fitted in (often
/// logs) to the parameters the paper reports.
///
/// The fitter knows nothing about any one law. It minimises
/// `sum_i rho(residual(theta, x_i, y_i))` where rho is squared error (GSL trust-region LM,
/// `gsl_multifit_nlinear`) or a Huber loss (`gsl_multimin` BFGS), chosen by the law's
/// `defaultObjective` unless the caller overrides it.
public protocol ScalingLaw: Sendable {
    /// Name used on the command line and in the `fits` table, e.g. "chinchilla".
    var name: String { get }
    /// Citation (paper and equation) for documentation and the stored fit.
    var reference: String { get }
    /// Names of the internal parameters theta, in order (e.g. ["e", "a", "b", "alpha", "beta"]).
    var thetaNames: [String] { get }
    /// Names of the reported parameters, in order (e.g. ["E", "A", "B", "alpha", "beta"]).
    var parameterNames: [String] { get }
    /// Names of the input columns of one observation x (e.g. ["N", "D"]).
    var inputNames: [String] { get }
    /// The objective the paper used for this law.
    var defaultObjective: Objective { get }

    /// The law's prediction of the target (loss, error, ...) at inputs x.
    func predict(_ theta: [Double], _ x: [Double]) -> Double
    /// The residual the fitter minimises for one observation (e.g. log-space for Chinchilla).
    func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double
    /// d residual / d theta, written into `grad` (count == thetaNames.count).
    func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double])
    /// Starting points for multi-start fitting.
    func startGrid() -> [[Double]]
    /// Reported parameters from internal ones, in `parameterNames` order.
    func reported(_ theta: [Double]) -> [Double]
    /// The residual and its gradient in one pass. Optimisers need both at every step and most
    /// laws share the expensive part (exp/log) between them; the default calls the two
    /// separate requirements.
    func residualAndGradient(_ theta: [Double], _ x: [Double], _ y: Double,
                             into grad: inout [Double]) -> Double
    /// Values per prepared observation (see `prepare`).
    var preparedWidth: Int { get }
    /// Writes the observation as the residual reads it into `px` (`preparedWidth` values) and
    /// returns the prepared target: computed once per solve instead of at every evaluation
    /// (Chinchilla: log N, log D, log L). The default copies x and y unchanged.
    func prepare(_ x: [Double], _ y: Double, into px: UnsafeMutablePointer<Double>) -> Double
    /// `residual` on a prepared observation, on raw pointers: the optimiser's inner loop.
    func preparedResidual(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double) -> Double
    /// `residualAndGradient` on a prepared observation; writes thetaNames.count partials to `grad`.
    func preparedResidualAndGradient(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double,
                                     into grad: UnsafeMutablePointer<Double>) -> Double
    /// `preparedResidualAndGradient` for `count` observations in one call, laid out by column so a
    /// law can vectorise over observations: input j of observation i is columns[j * count + i],
    /// its prepared target targets[i]; writes r_i to residuals[i] and d r_i / d theta_k to
    /// jacobian[k * count + i]. The default loops over `preparedResidualAndGradient`.
    func preparedResidualsAndJacobian(_ theta: UnsafePointer<Double>, columns: UnsafePointer<Double>,
                                      targets: UnsafePointer<Double>, count: Int,
                                      residuals: UnsafeMutablePointer<Double>, jacobian: UnsafeMutablePointer<Double>)
}

extension ScalingLaw {
    public var preparedWidth: Int { inputNames.count }

    public func prepare(_ x: [Double], _ y: Double, into px: UnsafeMutablePointer<Double>) -> Double {
        for i in 0..<preparedWidth { px[i] = x[i] }
        return y
    }

    public func preparedResidual(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double) -> Double {
        residual(Array(UnsafeBufferPointer(start: theta, count: thetaNames.count)),
                 Array(UnsafeBufferPointer(start: px, count: preparedWidth)), py)
    }

    public func preparedResidualAndGradient(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double,
                                            into grad: UnsafeMutablePointer<Double>) -> Double {
        var g = [Double](repeating: 0, count: thetaNames.count)
        let r = residualAndGradient(Array(UnsafeBufferPointer(start: theta, count: thetaNames.count)),
                                    Array(UnsafeBufferPointer(start: px, count: preparedWidth)), py, into: &g)
        for k in g.indices { grad[k] = g[k] }
        return r
    }

    public func preparedResidualsAndJacobian(_ theta: UnsafePointer<Double>, columns: UnsafePointer<Double>,
                                             targets: UnsafePointer<Double>, count: Int,
                                             residuals: UnsafeMutablePointer<Double>,
                                             jacobian: UnsafeMutablePointer<Double>) {
        residualsAndJacobianByObservation(theta, columns: columns, targets: targets, count: count,
                                          residuals: residuals, jacobian: jacobian)
    }

    /// The default `preparedResidualsAndJacobian`, one `preparedResidualAndGradient` per
    /// observation; public so a law's vectorised version can fall back on it.
    public func residualsAndJacobianByObservation(_ theta: UnsafePointer<Double>, columns: UnsafePointer<Double>,
                                                  targets: UnsafePointer<Double>, count: Int,
                                                  residuals: UnsafeMutablePointer<Double>,
                                                  jacobian: UnsafeMutablePointer<Double>) {
        let w = preparedWidth, p = thetaNames.count
        withUnsafeTemporaryAllocation(of: Double.self, capacity: w + p) { buffer in
            let row = buffer.baseAddress!, grad = row + w
            for i in 0..<count {
                for j in 0..<w { row[j] = columns[j * count + i] }
                residuals[i] = preparedResidualAndGradient(theta, row, targets[i], into: grad)
                for k in 0..<p { jacobian[k * count + i] = grad[k] }
            }
        }
    }

    public func residualAndGradient(_ theta: [Double], _ x: [Double], _ y: Double,
                                    into grad: inout [Double]) -> Double {
        residualGradient(theta, x, y, into: &grad)
        return residual(theta, x, y)
    }
}

/// What the fitter minimises over residuals r_i.
public enum Objective: Sendable, Equatable, Codable {
    /// sum r_i^2 (GSL trust-region Levenberg-Marquardt).
    case leastSquares
    /// sum Huber_delta(r_i) (GSL BFGS2), as in Hoffmann et al. 2022, Approach 3 (delta = 1e-3).
    case huber(delta: Double)

    public var label: String {
        switch self {
        case .leastSquares: return "least_squares"
        case .huber(let d): return "huber(delta=\(d))"
        }
    }
}
