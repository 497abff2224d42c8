/// Percentile-bootstrap helpers.
public enum Percentile {
    /// The q-quantile (0...1) of `values` by linear interpolation between order statistics
    /// (numpy's default "linear" method), so intervals compare directly with Python tooling.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty)
        let pos = q * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (pos - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// Two-sided percentile interval at `confidence` (e.g. 0.95 -> 2.5% and 97.5% quantiles).
    /// Non-finite samples are ignored; nil when nothing finite remains.
    public static func interval(_ values: [Double], confidence: Double) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let tail = (1 - confidence) / 2
        return quantile(sorted, tail)...quantile(sorted, 1 - tail)
    }
}
