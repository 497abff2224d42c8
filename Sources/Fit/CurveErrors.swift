/// How well a predicted loss curve matches a measured one, over the measured rows: the metrics of
/// Luo et al. 2025 (Multi-Power Law, Sec. 4), used by `fit --check-curve` and the benchmarks.
public struct CurveErrors: Sendable, Equatable {
    /// Rows compared.
    public var rows: Int
    /// PredE: mean over rows of |L - pred| / L.
    public var predE: Double
    /// WorstE: the largest |L - pred| / L.
    public var worstE: Double
    /// |L - pred| / L at the last row.
    public var finalE: Double

    /// Compares `predicted[i]` with `measured[i]` wherever both are finite and the measured loss is > 0.
    public init(predicted: [Double], measured: [Double]) {
        var sum = 0.0, worst = 0.0, last = Double.nan, n = 0
        for (p, y) in zip(predicted, measured) where p.isFinite && y.isFinite && y > 0 {
            let e = abs(y - p) / y
            sum += e
            worst = max(worst, e)
            last = e
            n += 1
        }
        rows = n
        predE = n > 0 ? sum / Double(n) : .nan
        worstE = n > 0 ? worst : .nan
        finalE = last
    }
}
