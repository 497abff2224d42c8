import Foundation

/// Starts for the Multi-Power Law fit (`MultiPowerFit`) by variable projection: once alpha, C,
/// beta and gamma are fixed, L(t) = L0 + A S1^-alpha - B LD1(t) is linear in (L0, A, B), LD1
/// being the drop sum with B = 1. For each (C, beta, gamma) on a coarse grid the drop column is
/// one pass over the rows; for each alpha on a grid, (L0, A, B) are a 3-column weighted linear
/// least squares (weights 1 / L, so the residuals are relative, like the log residuals of the
/// fit). The 4 fitted numbers per grid point (L0, A, alpha, B) are the paper's "4-parameter"
/// pre-fit; the lowest-residual grid points with distinct (C, beta, gamma) become starts.
enum MultiPowerPrefit {
    static let alphaGrid: [Double] = (0..<16).map { 0.1 * Foundation.pow(15, Double($0) / 15) }
    /// C around the prior's centre (0.5, 2, 8 in the default rate units, `MultiPowerFit.RateUnits`).
    static let cFactors: [Double] = [0.25, 1, 4]
    static let betaGrid: [Double] = [0.3, 0.6, 1.0]
    static let gammaGrid: [Double] = [0.3, 0.6, 0.9]

    /// The `count` best starts in fitting coordinates, best first.
    static func starts(_ rows: MultiPowerRows, count: Int, cCentre: Double) -> [[Double]] {
        let n = rows.count
        let logS1 = rows.s1.map { Foundation.log($0) }
        var scored: [(chi2: Double, theta: [Double])] = []
        for c in cFactors.map({ $0 * cCentre }) {
            for beta in betaGrid {
                for gamma in gammaGrid {
                    let theta = [0, 0, 0, 0, Foundation.log(c), Foundation.log(beta), Foundation.log(gamma)]
                    // LD1 = -(L - L0 - power) with B = 1: evaluate with A = 0 (ln A = -inf -> 0) is not
                    // representable, so take the drop sum directly.
                    var ld = [Double](repeating: 0, count: n)
                    theta.withUnsafeBufferPointer { t in
                        for i in 0..<n {
                            // With L0 = 0, A = 1, alpha = 1, B = 1: value = S1^-1 - LD1.
                            ld[i] = Foundation.exp(-logS1[i]) - rows.evaluate(t.baseAddress!, row: i, grad: nil)
                        }
                    }
                    var bestHere: (Double, [Double])?
                    for alpha in alphaGrid {
                        let power = logS1.map { Foundation.exp(-alpha * $0) }
                        guard let (coef, chi2) = solve(rows.losses, power, ld) else { continue }
                        guard coef[1] > 0, coef[2] > 0 else { continue }
                        if chi2 < (bestHere?.0 ?? .infinity) {
                            bestHere = (chi2, [coef[0], Foundation.log(coef[1]), Foundation.log(alpha), Foundation.log(coef[2]),
                                               Foundation.log(c), Foundation.log(beta), Foundation.log(gamma)])
                        }
                    }
                    if let bestHere { scored.append(bestHere) }
                }
            }
        }
        return scored.sorted { $0.chi2 < $1.chi2 }.prefix(count).map(\.theta)
    }

    /// Weighted least squares of y ~ L0 + A u - B v with weights 1 / y^2 (relative residuals), via
    /// the normal equations of the column-scaled design; nil when singular.
    static func solve(_ y: [Double], _ u: [Double], _ v: [Double]) -> ([Double], Double)? {
        let n = y.count
        var m = [Double](repeating: 0, count: 9), rhs = [Double](repeating: 0, count: 3)
        var scale = [0.0, 0.0, 0.0]
        for i in 0..<n {
            let w = 1 / y[i]
            let row = [w, w * u[i], -w * v[i]]
            for j in 0..<3 { scale[j] += row[j] * row[j] }
        }
        scale = scale.map { $0 > 0 ? 1 / $0.squareRoot() : 1 }
        for i in 0..<n {
            let w = 1 / y[i]
            let row = [w * scale[0], w * u[i] * scale[1], -w * v[i] * scale[2]]
            for j in 0..<3 {
                rhs[j] += row[j] * w * y[i]
                for k in 0..<3 { m[j * 3 + k] += row[j] * row[k] }
            }
        }
        // Cramer's rule on the 3 x 3 system (well scaled after the column normalisation).
        func det(_ a: [Double]) -> Double {
            a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6])
        }
        let d = det(m)
        guard abs(d) > 1e-14, d.isFinite else { return nil }
        var coef = [Double](repeating: 0, count: 3)
        for j in 0..<3 {
            var a = m
            for k in 0..<3 { a[k * 3 + j] = rhs[k] }
            coef[j] = det(a) / d * scale[j]
        }
        var chi2 = 0.0
        for i in 0..<n {
            let r = (coef[0] + coef[1] * u[i] - coef[2] * v[i] - y[i]) / y[i]
            chi2 += r * r
        }
        return chi2.isFinite ? (coef, chi2) : nil
    }
}
