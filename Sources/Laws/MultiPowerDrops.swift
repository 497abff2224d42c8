import Foundation

/// The learning-rate drops of one schedule grouped into blocks, so the loss-drop term of the
/// Multi-Power Law (Luo et al. 2025, arXiv:2503.12811, Eq. (6) of the paper's law)
///
///     LD(t) = B * sum_{k=1..t} (eta_{k-1} - eta_k) * G(eta_k^(-gamma) * S_k(t)),
///     G(x) = 1 - (C x + 1)^(-beta),   S_k(t) = eta_k + ... + eta_t,
///
/// costs O(blocks) per step t instead of O(t) (O(T^2) per curve, 5e9 terms for a 72k-step cosine).
///
/// How: the drops d_k = eta_{k-1} - eta_k sit in aligned dyadic blocks (level j: k in
/// [m 2^j + 1, (m + 1) 2^j]). For a step t the range k = 1..t is covered from the top level down
/// by the largest blocks that (a) have drops of one sign, (b) span little LR mass compared with
/// their distance to t, P(hi) - P(lo) <= `massTolerance` * (S(t) - P(hi)) with P(k) = eta_0 + ...
/// + eta_{k-1}, and (c) span little of log eta, max - min <= `logRateTolerance`. Blocks with no
/// drop (constant phases) are skipped whatever their size; single steps are exact. A block
/// enters as D * G(x-bar) with D its total drop and x-bar from the |d|-weighted means of
/// P(k) and ln eta_k, which removes the first-order error of replacing each term by one.
///
/// Error bound (per step t, in loss units): with u = ln x, h(u) = G(e^u) has 0 <= h' <= beta
/// and |h''| <= beta * max(1, beta), so a block's error is at most
/// |d|_B * beta * (max(1, beta) * rho^2 / 2 + eps_P^2 / 2), rho = eps_P + gamma * eps_eta the
/// spread of u in the block; summed,
///
///     |LD_exact - LD_blocks| <= B * beta * sum_k |d_k| * (max(1, beta) * rho^2 + eps_P^2) / 2,
///
/// about 1e-4 nats (0.004% of a loss of 3) for the paper's fits at the default tolerances
/// (`errorBound`); measured against the exact sum it is 10-100x smaller (MultiPowerLawTests).
public struct MultiPowerDrops: Sendable {
    /// Relative LR-mass spread of a block against its distance to t (eps_P).
    public static let defaultMassTolerance = 0.02
    /// Spread of ln eta within a block (eps_eta).
    public static let defaultLogRateTolerance = 0.1

    /// S(t) = eta_0 + ... + eta_t for every step (the forward area S1 of the law).
    public let cumulative: [Double]
    /// sum_k |d_k| over the whole schedule (for the error bound).
    public let totalAbsoluteDrop: Double
    public let massTolerance: Double
    public let logRateTolerance: Double
    /// Per level: blocks' total drop D, |d|-weighted mean P, |d|-weighted mean ln eta, sum |d|,
    /// min and max ln eta, and whether the drops have one sign.
    private let levels: [Level]

    struct Level: Sendable {
        var drop: [Double]
        var meanP: [Double]
        var meanLogRate: [Double]
        var absDrop: [Double]
        var minLogRate: [Double]
        var maxLogRate: [Double]
        var oneSign: [Bool]
    }

    /// - Parameter lrs: the rate of every update, `lrs[t]` for 0-based step t (`LRSchedule.rates()`).
    public init(lrs: [Double], massTolerance: Double = defaultMassTolerance,
                logRateTolerance: Double = defaultLogRateTolerance) {
        self.massTolerance = massTolerance
        self.logRateTolerance = logRateTolerance
        var s = [Double](repeating: 0, count: lrs.count)
        var sum = 0.0
        for t in lrs.indices {
            sum += lrs[t]
            s[t] = sum
        }
        cumulative = s
        let n = lrs.count
        // Level 0: block m is the single drop k = m + 1 (k = 1..n-1).
        var base = Level(drop: [], meanP: [], meanLogRate: [], absDrop: [], minLogRate: [], maxLogRate: [], oneSign: [])
        var total = 0.0
        for k in 1..<max(n, 1) {
            let d = lrs[k - 1] - lrs[k]
            let l = lrs[k] > 0 ? Foundation.log(lrs[k]) : -745
            base.drop.append(d)
            base.absDrop.append(abs(d))
            base.meanP.append(s[k - 1])
            base.meanLogRate.append(l)
            base.minLogRate.append(l)
            base.maxLogRate.append(l)
            base.oneSign.append(true)
            total += abs(d)
        }
        totalAbsoluteDrop = total
        var levels = [base]
        while let last = levels.last, last.drop.count > 1 {
            var next = Level(drop: [], meanP: [], meanLogRate: [], absDrop: [], minLogRate: [], maxLogRate: [], oneSign: [])
            var m = 0
            while m < last.drop.count {
                let a = m, b = min(m + 1, last.drop.count - 1)
                if a == b {
                    next.drop.append(last.drop[a]); next.absDrop.append(last.absDrop[a])
                    next.meanP.append(last.meanP[a]); next.meanLogRate.append(last.meanLogRate[a])
                    next.minLogRate.append(last.minLogRate[a]); next.maxLogRate.append(last.maxLogRate[a])
                    next.oneSign.append(last.oneSign[a])
                } else {
                    let wa = last.absDrop[a], wb = last.absDrop[b], w = wa + wb
                    next.drop.append(last.drop[a] + last.drop[b])
                    next.absDrop.append(w)
                    next.meanP.append(w > 0 ? (wa * last.meanP[a] + wb * last.meanP[b]) / w : last.meanP[a])
                    next.meanLogRate.append(w > 0 ? (wa * last.meanLogRate[a] + wb * last.meanLogRate[b]) / w
                                            : last.meanLogRate[a])
                    // Extremes only over blocks that carry drops: drop-free steps contribute nothing.
                    let ra = wa > 0 ? (last.minLogRate[a], last.maxLogRate[a]) : (Double.infinity, -Double.infinity)
                    let rb = wb > 0 ? (last.minLogRate[b], last.maxLogRate[b]) : (Double.infinity, -Double.infinity)
                    next.minLogRate.append(min(ra.0, rb.0))
                    next.maxLogRate.append(max(ra.1, rb.1))
                    let signA = last.drop[a] > 0 ? 1 : (last.drop[a] < 0 ? -1 : 0)
                    let signB = last.drop[b] > 0 ? 1 : (last.drop[b] < 0 ? -1 : 0)
                    // A block of one sign has |sum d| = sum |d|.
                    next.oneSign.append(last.oneSign[a] && last.oneSign[b] && signA * signB >= 0
                                        && abs(abs(last.drop[a] + last.drop[b]) - w) <= 1e-12 * w)
                }
                m += 2
            }
            levels.append(next)
        }
        self.levels = levels
    }

    /// Number of steps of the schedule.
    public var count: Int { cumulative.count }

    /// Calls `body(D, P-bar, ln-eta-bar)` for every block that covers the drops k = 1..t.
    @inline(__always)
    public func forEachBlock(upTo t: Int, _ body: (Double, Double, Double) -> Void) {
        guard t >= 1, levels[0].drop.count >= 1 else { return }
        let st = cumulative[t]
        // Drop k = m + 1 of level 0; a level-j block m covers level-0 indices [m 2^j, (m + 1) 2^j - 1].
        let lastIndex = t - 1
        func visit(_ j: Int, _ m: Int) {
            let level = levels[j]
            guard m < level.drop.count else { return }
            let lo = m << j
            guard lo <= lastIndex, level.absDrop[m] > 0 else { return }
            let hi = min(((m + 1) << j) - 1, level0Last)
            if j == 0 {
                body(level.drop[m], level.meanP[m], level.meanLogRate[m])
                return
            }
            if hi <= lastIndex && level.oneSign[m] {
                // P(k) for k = lo + 1 ... hi + 1: P(k) = S(k - 1).
                let pLo = cumulative[lo], pHi = cumulative[hi]
                let distance = st - pHi
                if pHi - pLo <= massTolerance * distance
                    && level.maxLogRate[m] - level.minLogRate[m] <= logRateTolerance {
                    body(level.drop[m], level.meanP[m], level.meanLogRate[m])
                    return
                }
            }
            visit(j - 1, 2 * m)
            visit(j - 1, 2 * m + 1)
        }
        visit(levels.count - 1, 0)
    }

    private var level0Last: Int { levels[0].drop.count - 1 }

    /// Upper bound on |LD_exact - LD_blocks| for parameters B, beta, gamma (see the type's doc).
    public func errorBound(b: Double, beta: Double, gamma: Double) -> Double {
        Self.errorBound(totalAbsoluteDrop: totalAbsoluteDrop, b: b, beta: beta, gamma: gamma,
                        massTolerance: massTolerance, logRateTolerance: logRateTolerance)
    }

    /// The bound for a schedule whose drops sum to `totalAbsoluteDrop` in absolute value.
    public static func errorBound(totalAbsoluteDrop: Double, b: Double, beta: Double, gamma: Double,
                                  massTolerance: Double = defaultMassTolerance,
                                  logRateTolerance: Double = defaultLogRateTolerance) -> Double {
        let rho = massTolerance + gamma * logRateTolerance
        return b * beta * totalAbsoluteDrop * (max(1, beta) * rho * rho + massTolerance * massTolerance) / 2
    }
}
