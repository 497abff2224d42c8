import Testing
@testable import Report

@Suite struct CKATests {
    @Test func selfSimilarityIsOne() {
        var rng = TestRandom(seed: 1)
        let x = rng.gaussianMatrix(rows: 50, cols: 8).map(Float.init)
        #expect(abs(CKA.linear(x, x, n: 50, dx: 8, dy: 8) - 1) < 1e-9)
    }

    @Test func invariantToOrthogonalTransformAndIsotropicScaling() {
        var rng = TestRandom(seed: 2)
        let n = 40, d = 6
        let x = rng.gaussianMatrix(rows: n, cols: d)
        // y: a noisy non-trivial function of x so CKA(x, y) is strictly between 0 and 1.
        var y = TestMatrices.multiply(x, rng.gaussianMatrix(rows: d, cols: 4), m: n, k: d, n: 4)
        for i in y.indices { y[i] += 0.5 * rng.gaussian() }
        let base = CKA.linear(x, y, n: n, dx: d, dy: 4)
        #expect(base > 0.05 && base < 0.99)

        let q = TestMatrices.orthonormalColumns(rows: d, cols: d, rng: &rng)
        let rotated = TestMatrices.multiply(x, q, m: n, k: d, n: d)
        #expect(abs(CKA.linear(rotated, y, n: n, dx: d, dy: 4) - base) < 1e-10)
        #expect(abs(CKA.linear(x.map { $0 * 37.5 }, y.map { $0 * 0.01 }, n: n, dx: d, dy: 4) - base) < 1e-10)
        // Not invariant to a general invertible map (anisotropic scaling): guards against a
        // formula that is trivially constant.
        var stretched = x
        for i in 0..<n { stretched[i * d] *= 10 }
        #expect(abs(CKA.linear(stretched, y, n: n, dx: d, dy: 4) - base) > 1e-3)
    }

    @Test func symmetric() {
        var rng = TestRandom(seed: 3)
        let x = rng.gaussianMatrix(rows: 30, cols: 5), y = rng.gaussianMatrix(rows: 30, cols: 9)
        #expect(abs(CKA.linear(x, y, n: 30, dx: 5, dy: 9) - CKA.linear(y, x, n: 30, dx: 9, dy: 5)) < 1e-12)
    }

    /// For independent Gaussian X, Y with n >> d the biased estimator concentrates near d/n-ish
    /// values, far below 1.
    @Test func independentRepresentationsAreDissimilar() {
        var rng = TestRandom(seed: 4)
        let n = 2000, d = 8
        let x = rng.gaussianMatrix(rows: n, cols: d).map(Float.init)
        let y = rng.gaussianMatrix(rows: n, cols: d).map(Float.init)
        let value = CKA.linear(x, y, n: n, dx: d, dy: d)
        #expect(value >= 0 && value < 0.02)
    }

    @Test func constantRepresentationIsUndefined() {
        let x = [Double](repeating: 2, count: 20), y = (0..<20).map(Double.init)
        #expect(CKA.linear(x, y, n: 10, dx: 2, dy: 2).isNaN)
    }
}
