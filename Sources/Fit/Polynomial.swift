/// Ordinary least-squares polynomials, for IsoFLOP profiles and log-log power laws.
enum Polynomial {
    /// Coefficients c[0] + c[1] x + ... + c[degree] x^degree minimising the squared error, from the
    /// normal equations with partial pivoting. Callers centre x first (the normal equations square
    /// the condition number). `weights` (default all 1) multiply each squared error, e.g. the number
    /// of seeds averaged into a point. Nil when the system is singular (too few distinct x).
    static func leastSquares(x: [Double], y: [Double], degree: Int, weights: [Double]? = nil) -> [Double]? {
        let m = degree + 1
        guard x.count == y.count, x.count >= m, weights.map({ $0.count == x.count }) ?? true else { return nil }
        // Augmented normal matrix [X^T W X | X^T W y].
        var a = [Double](repeating: 0, count: m * (m + 1))
        for (i, (xi, yi)) in zip(x, y).enumerated() {
            let wi = weights?[i] ?? 1
            var powers = [Double](repeating: 1, count: m)
            for k in 1..<max(m, 1) { powers[k] = powers[k - 1] * xi }
            for r in 0..<m {
                for c in 0..<m { a[r * (m + 1) + c] += wi * powers[r] * powers[c] }
                a[r * (m + 1) + m] += wi * powers[r] * yi
            }
        }
        let scale = (0..<m).map { abs(a[$0 * (m + 1) + $0]) }.max() ?? 0
        for col in 0..<m {
            guard let pivot = (col..<m).max(by: { abs(a[$0 * (m + 1) + col]) < abs(a[$1 * (m + 1) + col]) }),
                  abs(a[pivot * (m + 1) + col]) > 1e-12 * scale
            else { return nil }
            if pivot != col {
                for c in 0...m { a.swapAt(pivot * (m + 1) + c, col * (m + 1) + c) }
            }
            for r in (col + 1)..<m {
                let f = a[r * (m + 1) + col] / a[col * (m + 1) + col]
                for c in col...m { a[r * (m + 1) + c] -= f * a[col * (m + 1) + c] }
            }
        }
        var coef = [Double](repeating: 0, count: m)
        for r in stride(from: m - 1, through: 0, by: -1) {
            var s = a[r * (m + 1) + m]
            for c in (r + 1)..<m { s -= a[r * (m + 1) + c] * coef[c] }
            coef[r] = s / a[r * (m + 1) + r]
        }
        return coef
    }
}
