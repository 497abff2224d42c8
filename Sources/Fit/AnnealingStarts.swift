@preconcurrency import CNumerics
import Foundation

/// Starting points for the annealing law L0 + A S1^-alpha - C S2 by variable projection:
/// for a fixed alpha the law is linear in (L0, A, C), so the best (L0, A, C) for each alpha on a
/// grid is one linear least-squares solve. The lowest-residual alphas give starts that are
/// already near the optimum whatever the scale of the LRs (which sets the scale of A and C).
enum LinearProjection {
    /// Exponents tried: 0.02 ... 3, log-spaced.
    static let alphaGrid: [Double] = (0..<40).map { 0.02 * Foundation.pow(150, Double($0) / 39) }

    /// The `count` best [L0, A, alpha, C] starts, best first, from distinct local minima of the
    /// residual over the alpha grid where possible.
    static func starts(_ data: Dataset, count: Int) -> [[Double]] {
        var scored: [(chi2: Double, theta: [Double])] = []
        for alpha in alphaGrid {
            if let (coef, chi2) = solveLinear(data, alpha: alpha) {
                scored.append((chi2, [coef[0], coef[1], alpha, coef[2]]))
            }
        }
        guard !scored.isEmpty else { return [] }
        // Local minima along the grid first (distinct basins), then the rest by residual.
        var minima: [Int] = []
        for i in scored.indices {
            let left = i == 0 ? Double.infinity : scored[i - 1].chi2
            let right = i == scored.count - 1 ? Double.infinity : scored[i + 1].chi2
            if scored[i].chi2 <= left && scored[i].chi2 <= right { minima.append(i) }
        }
        let rest = scored.indices.filter { !minima.contains($0) }
        let order = minima.sorted { scored[$0].chi2 < scored[$1].chi2 } + rest.sorted { scored[$0].chi2 < scored[$1].chi2 }
        return order.prefix(count).map { scored[$0].theta }
    }

    /// Least-squares (L0, A, C) for y ~ L0 + A S1^-alpha - C S2 and its chi^2, via an SVD of the
    /// column-normalised design matrix (a column that is all zero, e.g. S2 of constant-LR curves,
    /// gets coefficient 0 instead of breaking the solve).
    static func solveLinear(_ data: Dataset, alpha: Double) -> ([Double], Double)? {
        let n = data.count, p = 3
        guard n >= p else { return nil }
        gsl_set_error_handler_off()
        guard let a = gsl_matrix_alloc(n, p), let v = gsl_matrix_alloc(p, p),
              let s = gsl_vector_alloc(p), let work = gsl_vector_alloc(p),
              let b = gsl_vector_alloc(n), let c = gsl_vector_alloc(p) else { return nil }
        defer {
            gsl_matrix_free(a); gsl_matrix_free(v); gsl_vector_free(s)
            gsl_vector_free(work); gsl_vector_free(b); gsl_vector_free(c)
        }
        var norms = [Double](repeating: 0, count: p)
        for i in 0..<n {
            let row = [1, Foundation.pow(data.x[i][0], -alpha), -data.x[i][1]]
            for j in 0..<p {
                guard row[j].isFinite else { return nil }
                gsl_matrix_set(a, i, j, row[j])
                norms[j] += row[j] * row[j]
            }
            gsl_vector_set(b, i, data.y[i])
        }
        norms = norms.map { $0 > 0 ? $0.squareRoot() : 1 }
        for i in 0..<n { for j in 0..<p { gsl_matrix_set(a, i, j, gsl_matrix_get(a, i, j) / norms[j]) } }
        guard gsl_linalg_SV_decomp(a, v, s, work) == GSL_SUCCESS else { return nil }
        // Drop directions the data cannot determine (relative singular value below 1e-10).
        let smax = gsl_vector_get(s, 0)
        for j in 0..<p where gsl_vector_get(s, j) <= 1e-10 * smax { gsl_vector_set(s, j, 0) }
        guard gsl_linalg_SV_solve(a, v, s, b, c) == GSL_SUCCESS else { return nil }
        let coef = (0..<p).map { gsl_vector_get(c, $0) / norms[$0] }
        var chi2 = 0.0
        for i in 0..<n {
            let r = coef[0] + coef[1] * Foundation.pow(data.x[i][0], -alpha) - coef[2] * data.x[i][1] - data.y[i]
            chi2 += r * r
        }
        return chi2.isFinite ? (coef, chi2) : nil
    }
}
