import Foundation
@testable import Fit
import Laws

/// Shared inputs for the fit tests: the reference Chinchilla points and synthetic data.
enum TestData {
    /// Epoch's 240 points: the 245 extracted from Hoffmann et al.'s Figure 4 less the 5 highest-loss.
    static func epochPoints() throws -> Dataset {
        let dir = try referenceDirectory()
        let text = try String(contentsOf: dir.appendingPathComponent("chinchilla_points.csv"), encoding: .utf8)
        return try Dataset(csv: text, inputColumns: ["N", "D"], targetColumn: "loss").droppingLargestTargets(5)
    }

    /// Hoffmann et al. 2022's published Approach 3 parameters, used as ground truth for synthetic data.
    static let hoffmann = (E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)

    /// An 8 x 8 log-spaced grid, N in 1e6...1e9 and D in 1e7...1e11, with losses from the law at
    /// `theta` times (1 + noise * standard normal).
    static func synthetic(theta: [Double], noise: Double, seed: UInt64) -> Dataset {
        let law = ChinchillaLaw()
        var rng = ResampleRNG(seed: seed)
        var x: [[Double]] = [], y: [Double] = []
        for i in 0..<8 {
            for j in 0..<8 {
                let n = pow(10, 6 + 3 * Double(i) / 7), d = pow(10, 7 + 4 * Double(j) / 7)
                let u1 = max(Double.random(in: 0..<1, using: &rng), 1e-300), u2 = Double.random(in: 0..<1, using: &rng)
                let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                x.append([n, d])
                y.append(law.predict(theta, [n, d]) * (1 + noise * z))
            }
        }
        return Dataset(x: x, y: y)
    }

    /// Every `stride`-th start of the 4,500-point Approach 3 grid, beginning at `offset`: a
    /// deterministic subset for debug-build tests (the full grid runs in the benchmark).
    static func gridSubset(stride k: Int, offset: Int = 0) -> [[Double]] {
        let grid = ChinchillaLaw().startGrid()
        return Swift.stride(from: offset, to: grid.count, by: k).map { grid[$0] }
    }
}
