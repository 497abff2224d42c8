import Laws

/// The Huber objective sum_i rho(r_i(theta)) and its gradient on prepared observations, with the
/// last point's values remembered.
///
/// Why a cache: GSL's line search (multimin/linear_wrapper.c) asks for f at a trial point and, when
/// the sufficient-decrease test passes, for the gradient at the same point; `set` and the end of
/// each iteration ask again for points already evaluated. Every pass over the data computes f and
/// the gradient together (the exp/log work is shared, the gradient costs a few multiplies more),
/// so each distinct theta costs one pass.
///
/// Buffers are raw pointers owned by the evaluator: Swift arrays held by a class would be
/// exclusivity-checked at run time on every mutable access in the inner loop.
final class HuberEvaluator<L: ScalingLaw> {
    let law: L
    let data: PreparedData
    let delta: Double
    let p: Int
    /// Objective at the cached point; NaN until the first evaluation.
    private(set) var value = Double.nan
    /// Passes over the data so far (cache misses).
    private(set) var passes = 0
    /// d objective / d theta at the cached point (p values).
    let gradient: UnsafeMutablePointer<Double>
    /// Point of the cached value and gradient (p values, NaN until the first evaluation).
    private let cachedTheta: UnsafeMutablePointer<Double>
    /// r_i, psi(r_i), and d r_i / d theta_k at [k * count + i], from the last pass.
    private let residuals: UnsafeMutablePointer<Double>
    private let psi: UnsafeMutablePointer<Double>
    private let jacobian: UnsafeMutablePointer<Double>

    init(_ law: L, _ data: PreparedData, delta: Double, p: Int) {
        self.law = law
        self.data = data
        self.delta = delta
        self.p = p
        let n = data.count
        gradient = .allocate(capacity: p)
        gradient.initialize(repeating: 0, count: p)
        cachedTheta = .allocate(capacity: p)
        cachedTheta.initialize(repeating: .nan, count: p)
        residuals = .allocate(capacity: n)
        residuals.initialize(repeating: 0, count: n)
        psi = .allocate(capacity: n)
        psi.initialize(repeating: 0, count: n)
        jacobian = .allocate(capacity: n * p)
        jacobian.initialize(repeating: 0, count: n * p)
    }

    deinit {
        gradient.deallocate()
        cachedTheta.deallocate()
        residuals.deallocate()
        psi.deallocate()
        jacobian.deallocate()
    }

    /// Makes `value` and `gradient` those at theta (p values), reusing the cache when theta is
    /// the last point evaluated.
    func evaluate(_ theta: UnsafePointer<Double>) {
        var same = true
        for k in 0..<p where cachedTheta[k] != theta[k] { same = false }
        if same { return }
        cachedTheta.update(from: theta, count: p)
        passes += 1
        value = pass(theta)
    }

    /// Evaluates at theta and returns the IRLS curvature M = sum_i w_i J_i J_i^T,
    /// w_i = psi(r_i) / r_i = min(1, delta / |r_i|), lower triangle of a row-major p x p matrix.
    func curvature(_ theta: [Double]) -> [Double] {
        theta.withUnsafeBufferPointer { evaluate($0.baseAddress!) }
        let n = data.count, p = p, delta = delta
        // psi is free again once the gradient is summed: reuse it for w_i J_ij.
        let weighted = psi
        var m = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            let column = jacobian + j * n
            for i in 0..<n {
                let a = abs(residuals[i])
                weighted[i] = (a <= delta ? column[i] : delta / a * column[i])
            }
            for k in 0...j { m[j * p + k] = Self.dot(weighted, jacobian + k * n, n) }
        }
        return m
    }

    /// One pass over the data: the law's residuals and Jacobian for all observations, then the
    /// objective (returned) and the gradient sum_i psi(r_i) J_i into `gradient`.
    private func pass(_ theta: UnsafePointer<Double>) -> Double {
        let n = data.count, delta = delta, r = residuals, c = psi
        data.columns.withUnsafeBufferPointer { xs in
            data.y.withUnsafeBufferPointer { ys in
                law.preparedResidualsAndJacobian(theta, columns: xs.baseAddress!, targets: ys.baseAddress!,
                                                 count: n, residuals: r, jacobian: jacobian)
            }
        }
        for i in 0..<n { c[i] = HuberSolver.psi(r[i], delta) }
        for k in 0..<p { gradient[k] = Self.dot(c, jacobian + k * n, n) }
        // rho(r) = psi(r) (r - psi(r) / 2): 0.5 r^2 inside delta, delta (|r| - delta / 2) beyond.
        var s0 = 0.0, s1 = 0.0
        var i = 0
        while i + 1 < n {
            s0 += c[i] * (r[i] - 0.5 * c[i])
            s1 += c[i + 1] * (r[i + 1] - 0.5 * c[i + 1])
            i += 2
        }
        if i < n { s0 += c[i] * (r[i] - 0.5 * c[i]) }
        return s0 + s1
    }

    /// sum_i x_i y_i with four running sums (independent add chains, which LLVM pairs into SIMD).
    @inline(__always)
    private static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 3 < n {
            s0 += x[i] * y[i]
            s1 += x[i + 1] * y[i + 1]
            s2 += x[i + 2] * y[i + 2]
            s3 += x[i + 3] * y[i + 3]
            i += 4
        }
        while i < n {
            s0 += x[i] * y[i]
            i += 1
        }
        return (s0 + s2) + (s1 + s3)
    }
}
