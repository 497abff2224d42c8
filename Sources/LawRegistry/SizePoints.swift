import Foundation

/// (N, D, loss) observations; `level` is the compute budget each was trained at (nil: unknown).
public struct SizePoints: Sendable {
    public var n: [Double]
    public var d: [Double]
    public var loss: [Double]
    public var level: [Double?]

    public init(n: [Double], d: [Double], loss: [Double], level: [Double?]) {
        self.n = n
        self.d = d
        self.loss = loss
        self.level = level
    }

    /// The largest N, D and C = 6ND seen (what predictions extrapolate from).
    public var range: [(String, Double)] {
        [("N_max", n.max() ?? .nan), ("D_max", d.max() ?? .nan),
         ("C_max", zip(n, d).map { 6 * $0 * $1 }.max() ?? .nan)]
    }
}
