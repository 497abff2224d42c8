import Foundation

/// What `predict` asks a law: the values given, and for a schedule its per-step rates.
public struct LawQuery: Sendable {
    public var n: Double?
    public var d: Double?
    public var m: Double?
    public var compute: Double?
    public var loss: Double?
    /// `lrs[t]`: the rate of 0-based step t of the schedule to predict.
    public var lrs: [Double]?

    public init(n: Double? = nil, d: Double? = nil, m: Double? = nil, compute: Double? = nil, loss: Double? = nil,
                lrs: [Double]? = nil) {
        self.n = n
        self.d = d
        self.m = m
        self.compute = compute
        self.loss = loss
        self.lrs = lrs
    }

    /// D, given directly or as M * N.
    public var tokens: Double? { d ?? m.flatMap { m in n.map { m * $0 } } }
}
