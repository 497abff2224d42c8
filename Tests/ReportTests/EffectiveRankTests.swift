import Foundation
import Testing
@testable import Report

@Suite struct EffectiveRankTests {
    @Test func identityHasFullEffectiveRank() {
        for n in [1, 4, 17] {
            #expect(abs(EffectiveRank.of(matrix: TestMatrices.identity(n), rows: n, cols: n) - Double(n)) < 1e-9)
        }
    }

    /// U_r V_r^T with orthonormal U_r (m x r), V_r (n x r) has r singular values equal to 1: erank = r.
    @Test(arguments: [(12, 9, 3), (8, 20, 5), (30, 30, 1)])
    func equalSpectrumRankRMatrixHasEffectiveRankR(m: Int, n: Int, r: Int) {
        var rng = TestRandom(seed: UInt64(m * 1000 + n * 10 + r))
        let u = TestMatrices.orthonormalColumns(rows: m, cols: r, rng: &rng)
        let v = TestMatrices.orthonormalColumns(rows: n, cols: r, rng: &rng)
        let a = TestMatrices.multiply(u, TestMatrices.transpose(v, rows: n, cols: r), m: m, k: r, n: n)
        #expect(abs(EffectiveRank.of(matrix: a, rows: m, cols: n) - Double(r)) < 1e-8)
        // Float input path gives the same answer up to Float rounding of the entries.
        #expect(abs(EffectiveRank.of(matrix: a.map(Float.init), rows: m, cols: n) - Double(r)) < 1e-4)
    }

    @Test func rankOneOuterProductHasEffectiveRankOne() {
        var rng = TestRandom(seed: 7)
        let x = rng.gaussianMatrix(rows: 6, cols: 1), y = rng.gaussianMatrix(rows: 1, cols: 11)
        let a = TestMatrices.multiply(x, y, m: 6, k: 1, n: 11)
        #expect(abs(EffectiveRank.of(matrix: a, rows: 6, cols: 11) - 1) < 1e-9)
    }

    @Test func zeroAndEmptyMatricesAreDefinedAsZero() {
        #expect(EffectiveRank.of(matrix: [Double](repeating: 0, count: 12), rows: 3, cols: 4) == 0)
        #expect(EffectiveRank.of(matrix: [Double](), rows: 0, cols: 5) == 0)
        #expect(EffectiveRank.of(matrix: [1, Double.nan, 0, 1], rows: 2, cols: 2).isNaN)
    }

    @Test func invariantToScaling() {
        var rng = TestRandom(seed: 11)
        let a = rng.gaussianMatrix(rows: 10, cols: 7)
        let base = EffectiveRank.of(matrix: a, rows: 10, cols: 7)
        #expect(base > 1 && base < 7)
        for c in [1e-6, 3.0, -250.0] {
            #expect(abs(EffectiveRank.of(matrix: a.map { $0 * c }, rows: 10, cols: 7) - base) < 1e-9)
        }
    }

    /// Known non-uniform spectrum: diag(3, 1) has p = (3/4, 1/4), erank = exp(H(p)).
    @Test func diagonalMatrixMatchesEntropyFormula() {
        let p = [0.75, 0.25]
        let expected = exp(-(p[0] * log(p[0]) + p[1] * log(p[1])))
        #expect(abs(EffectiveRank.of(matrix: [3, 0, 0, 1, 0, 0] as [Double], rows: 3, cols: 2) - expected) < 1e-12)
        // The wide (transposed) orientation takes the transpose path in the SVD.
        #expect(abs(EffectiveRank.of(matrix: [3, 0, 0, 0, 1, 0] as [Double], rows: 2, cols: 3) - expected) < 1e-12)
    }
}
