@preconcurrency import CNumerics

/// Linear centred kernel alignment (Kornblith et al. 2019, "Similarity of Neural Network
/// Representations Revisited", ICML, Eq. 5 in feature space, biased HSIC estimator):
///
///     CKA(X, Y) = ||Y^T X||_F^2 / ( ||X^T X||_F * ||Y^T Y||_F )
///
/// where X (n x dx) and Y (n x dy) hold the same n examples' representations and each column is
/// centred first. It is invariant to orthogonal transforms and isotropic scaling of either
/// representation (but not to arbitrary invertible maps), lies in [0, 1], and is what Diehl
/// Martinez et al. 2024 ("Tending Towards Stability") use to compare each checkpoint's per-layer
/// activations with the final checkpoint's to measure layer convergence.
public enum CKA {
    /// Linear CKA of row-major X (`n x dx`) and Y (`n x dy`), computed in Double with cblas_dgemm.
    ///
    /// Returns NaN when either representation is constant over the examples (zero after centring:
    /// the similarity is undefined) or when n < 2.
    public static func linear(_ x: [Float], _ y: [Float], n: Int, dx: Int, dy: Int) -> Double {
        linear(x.map(Double.init), y.map(Double.init), n: n, dx: dx, dy: dy)
    }

    /// Double-precision variant of `linear(_:_:n:dx:dy:)`.
    public static func linear(_ x: [Double], _ y: [Double], n: Int, dx: Int, dy: Int) -> Double {
        precondition(x.count == n * dx && y.count == n * dy, "CKA: representation size mismatch")
        guard n >= 2, dx > 0, dy > 0 else { return .nan }
        let xc = centredColumns(x, rows: n, cols: dx)
        let yc = centredColumns(y, rows: n, cols: dy)
        let cross = squaredFrobeniusOfProduct(yc, dy, xc, dx, n: n)
        let selfX = squaredFrobeniusOfProduct(xc, dx, xc, dx, n: n)
        let selfY = squaredFrobeniusOfProduct(yc, dy, yc, dy, n: n)
        let denominator = selfX.squareRoot() * selfY.squareRoot()
        guard denominator > 0, denominator.isFinite else { return .nan }
        return cross / denominator
    }

    /// Subtracts each column's mean (HSIC's centring matrix H = I - 11^T/n applied on the left).
    static func centredColumns(_ a: [Double], rows: Int, cols: Int) -> [Double] {
        var out = a
        var means = [Double](repeating: 0, count: cols)
        out.withUnsafeMutableBufferPointer { m in
            means.withUnsafeMutableBufferPointer { mu in
                for i in 0..<rows {
                    let row = i &* cols
                    for j in 0..<cols { mu[j] += m[row &+ j] }
                }
                let inv = 1.0 / Double(rows)
                for j in 0..<cols { mu[j] *= inv }
                for i in 0..<rows {
                    let row = i &* cols
                    for j in 0..<cols { m[row &+ j] -= mu[j] }
                }
            }
        }
        return out
    }

    /// ||A^T B||_F^2 for row-major A (n x da) and B (n x db), via one dgemm into a da x db buffer.
    static func squaredFrobeniusOfProduct(_ a: [Double], _ da: Int, _ b: [Double], _ db: Int, n: Int) -> Double {
        var c = [Double](repeating: 0, count: da * db)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans,
                    Int32(da), Int32(db), Int32(n), 1.0, a, Int32(da), b, Int32(db), 0.0, &c, Int32(db))
        return c.reduce(0) { $0 + $1 * $1 }
    }
}
