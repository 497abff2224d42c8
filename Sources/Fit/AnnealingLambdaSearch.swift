import Foundation

/// One-dimensional minimisation for the annealing fit's lambda: a coarse grid (the profile
/// objective need not be unimodal over decades of 1 - lambda), then golden-section search in
/// the bracket of grid neighbours around the best grid point.
enum LambdaSearch {
    static func minimize(_ f: (Double) -> Double, lower: Double, upper: Double,
                         gridPoints: Int = 9, tolerance: Double = 1e-3) -> Double {
        let grid = (0..<gridPoints).map { lower + (upper - lower) * Double($0) / Double(gridPoints - 1) }
        let values = grid.map(f)
        guard let bestIndex = values.indices.min(by: { values[$0] < values[$1] }), values[bestIndex].isFinite else {
            return grid[gridPoints / 2]
        }
        var a = grid[max(bestIndex - 1, 0)]
        var b = grid[min(bestIndex + 1, gridPoints - 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
        var f1 = f(x1), f2 = f(x2)
        while b - a > tolerance {
            if f1 <= f2 {
                b = x2; x2 = x1; f2 = f1
                x1 = b - ratio * (b - a); f1 = f(x1)
            } else {
                a = x1; x1 = x2; f1 = f2
                x2 = a + ratio * (b - a); f2 = f(x2)
            }
        }
        let candidates = [(grid[bestIndex], values[bestIndex]), (x1, f1), (x2, f2)]
        return candidates.min { $0.1 < $1.1 }!.0
    }
}
