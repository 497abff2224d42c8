/// A linear change of variables theta = theta0 + L^-T z that makes the Huber objective roughly
/// isotropic in z, so GSL's BFGS2 (whose direction update only remembers the last step, see
/// `HuberSolver`) converges in tens of iterations instead of crawling along curved valleys such
/// as Chinchilla's a-alpha ridge (a - alpha log N with log N ~ 20).
///
/// L is the Cholesky factor of the IRLS curvature of the Huber loss at theta0,
/// M = sum_i w_i J_i J_i^T with w_i = psi(r_i) / r_i = min(1, delta / |r_i|): the matrix iteratively
/// reweighted least squares would solve with, a standard majoriser of the Huber Hessian.
struct Preconditioner {
    let p: Int
    /// Smallest diagonal entry of M relative to the largest: caps how much a parameter with
    /// (currently) almost no influence can be stretched, to 1000x the scale of the stiffest one.
    static let diagonalFloor = 1e-6
    /// Lower-triangular Cholesky factor of M, row-major p x p.
    private var l: [Double]

    private init(p: Int, l: [Double]) {
        self.p = p
        self.l = l
    }

    /// The identity (no change of variables).
    init(identity p: Int) {
        self.p = p
        l = [Double](repeating: 0, count: p * p)
        for j in 0..<p { l[j * p + j] = 1 }
    }

    /// From the IRLS curvature M (`HuberEvaluator.curvature`, lower triangle). Diagonal entries
    /// are floored at `diagonalFloor` of the largest so a parameter that currently has no influence
    /// (e.g. a term swamped by another) stays movable; falls back to the identity when M is not
    /// finite or not positive definite.
    init(curvature: [Double], p: Int) {
        var m = curvature
        let maxDiag = (0..<p).map { m[$0 * p + $0] }.max() ?? 0
        guard maxDiag.isFinite, maxDiag > 0 else {
            self = Preconditioner(identity: p)
            return
        }
        for j in 0..<p { m[j * p + j] = max(m[j * p + j], Preconditioner.diagonalFloor * maxDiag) * (1 + 1e-12) }
        self = Preconditioner.cholesky(m, p).map { Preconditioner(p: p, l: $0) } ?? Preconditioner(identity: p)
    }

    /// theta - theta0 = L^-T z (back substitution).
    func step(_ z: UnsafePointer<Double>, into d: inout [Double]) {
        for j in stride(from: p - 1, through: 0, by: -1) {
            var s = z[j]
            for k in (j + 1)..<p { s -= l[k * p + j] * d[k] }
            d[j] = s / l[j * p + j]
        }
    }

    /// Gradient in z from the gradient in theta: L^-1 g (forward substitution, in place).
    func zGradient(_ g: UnsafeMutablePointer<Double>) {
        for j in 0..<p {
            var s = g[j]
            for k in 0..<j { s -= l[j * p + k] * g[k] }
            g[j] = s / l[j * p + j]
        }
    }

    /// Cholesky factor of a symmetric matrix given by its lower triangle; nil if not positive definite.
    private static func cholesky(_ a: [Double], _ p: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var d = a[j * p + j]
            for k in 0..<j { d -= l[j * p + k] * l[j * p + k] }
            guard d > 0, d.isFinite else { return nil }
            let djj = d.squareRoot()
            l[j * p + j] = djj
            for i in (j + 1)..<p {
                var s = a[i * p + j]
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                l[i * p + j] = s / djj
            }
        }
        return l
    }
}
