/// The two learning-rate areas of Tissue et al. 2024, "Scaling Law with Learning Rate
/// Annealing" (arXiv:2408.11029), the areas defined with its Eq. (1):
///
///     S1(s) = sum_{i=1..s} eta_i                                  (forward area)
///     m_i   = lambda * m_{i-1} + (eta_{i-1} - eta_i),  m_0 = 0     (annealing momentum)
///     S2(s) = sum_{i=1..s} m_i                                    (annealing area)
///
/// S1 plays the role of "training amount" in a power law; S2 accumulates LR decreases with a
/// decay lambda, so the loss drop from annealing builds up with a delay instead of instantly.
///
/// Step convention (used by `AnnealingLaw`, `LossCurve` and `AnnealingFit`): steps are 1-based
/// counts of updates done. `lrs[i]` is eta_{i+1}, the rate of update i+1 (the same indexing as
/// `LRSchedule.rates()`, whose entry s is the rate of the update at 0-based step s), and
/// `s1[i]`, `s2[i]` are the areas after i+1 updates, so the LR of step s counts in S1(s).
/// eta_0 is taken equal to eta_1 (nothing was annealed before training), so m_1 = 0.
public struct AnnealingAreas: Sendable {
    /// The paper's default decay factor of the annealing momentum.
    public static let defaultLambda = 0.999

    /// Both areas for every step, in O(n).
    ///
    /// - Parameter warmupAsPeak: if set to w, the first w rates are replaced by the schedule's
    ///   peak (its maximum rate) before summing, as public re-implementations of the paper do:
    ///   otherwise the warmup's LR *increase* would enter S2 as a negative annealing area, and
    ///   the paper's law does not model warmup.
    /// - Parameter warmupRiseInS2: whether the rises of the rates before they first reach the peak (a
    ///   warmup) enter the momentum as negative drops. `false` starts the momentum at the first step at
    ///   the peak, as Tissue et al. define S2 for annealing only (a warmup is not an annealing): the
    ///   warmup still counts in S1.
    public static func compute(lrs: [Double], lambda: Double = defaultLambda,
                               warmupAsPeak: Int? = nil, warmupRiseInS2: Bool = true) -> (s1: [Double], s2: [Double]) {
        let n = lrs.count
        guard n > 0 else { return ([], []) }
        let eta = warmupAtPeak(lrs, warmup: warmupAsPeak)
        var s1 = [Double](repeating: 0, count: n)
        var s2 = [Double](repeating: 0, count: n)
        var sum1 = 0.0, sum2 = 0.0, m = 0.0
        var previous = eta[0]
        // Momentum increments start after this step (the first at the peak) when the warmup's rise is left out.
        let firstPeak: Int
        if warmupRiseInS2 {
            firstPeak = -1
        } else {
            let peak = eta.max() ?? 0
            firstPeak = eta.firstIndex { $0 >= peak * (1 - 1e-9) } ?? -1
        }
        for i in 0..<n {
            m = lambda * m + (i > firstPeak ? previous - eta[i] : 0)
            sum1 += eta[i]
            sum2 += m
            s1[i] = sum1
            s2[i] = sum2
            previous = eta[i]
        }
        return (s1, s2)
    }

    /// `lrs` with its first `warmup` rates replaced by the peak (the maximum rate); unchanged
    /// when `warmup` is nil or 0.
    public static func warmupAtPeak(_ lrs: [Double], warmup: Int?) -> [Double] {
        guard let w = warmup, w > 0, let peak = lrs.max() else { return lrs }
        var out = lrs
        for i in 0..<min(w, out.count) { out[i] = peak }
        return out
    }
}
