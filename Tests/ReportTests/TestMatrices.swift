import Foundation

/// Deterministic test randomness (SplitMix64 + Box-Muller), independent of the code under test.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(nextUInt64() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    mutating func gaussian() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    mutating func gaussianMatrix(rows: Int, cols: Int) -> [Double] {
        (0..<(rows * cols)).map { _ in gaussian() }
    }
}

/// Small dense row-major helpers for building test matrices with known spectra.
enum TestMatrices {
    /// Orthonormal columns (rows x cols, rows >= cols) by modified Gram-Schmidt on a Gaussian matrix.
    static func orthonormalColumns(rows: Int, cols: Int, rng: inout TestRandom) -> [Double] {
        var q = rng.gaussianMatrix(rows: rows, cols: cols)
        for j in 0..<cols {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<rows { dot += q[i * cols + j] * q[i * cols + k] }
                for i in 0..<rows { q[i * cols + j] -= dot * q[i * cols + k] }
            }
            var norm = 0.0
            for i in 0..<rows { norm += q[i * cols + j] * q[i * cols + j] }
            norm = norm.squareRoot()
            for i in 0..<rows { q[i * cols + j] /= norm }
        }
        return q
    }

    /// A (m x k) times B (k x n).
    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for p in 0..<k { let av = a[i * k + p]; for j in 0..<n { c[i * n + j] += av * b[p * n + j] } } }
        return c
    }

    static func transpose(_ a: [Double], rows: Int, cols: Int) -> [Double] {
        var t = [Double](repeating: 0, count: rows * cols)
        for i in 0..<rows { for j in 0..<cols { t[j * rows + i] = a[i * cols + j] } }
        return t
    }

    static func identity(_ n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = 1 }
        return m
    }
}
