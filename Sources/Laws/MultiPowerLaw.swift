import Foundation

/// The Multi-Power Law of Luo et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across
/// Learning Rate Schedules" (ICLR 2025, arXiv:2503.12811), the law of its Eq. (6)-(7):
///
///     L(t)  = L0 + A * (S1(t))^(-alpha) - LD(t),
///     LD(t) = B * sum_{k=1..t} (eta_{k-1} - eta_k) * G(eta_k^(-gamma) * S_k(t)),
///     G(x)  = 1 - (C x + 1)^(-beta),
///
/// with eta_t the rate of the update at 0-based step t, S1(t) = eta_0 + ... + eta_t (warmup
/// included) and S_k(t) = eta_k + ... + eta_t. The first two terms are a power law in the LR
/// area (the loss of a constant schedule); LD is the extra drop each LR decrease buys, saturating
/// with the LR area trained since (G -> 1) at a speed that depends on the rate reached
/// (eta_k^(-gamma)). A warmup's LR increases enter LD with negative drops, as in the paper's
/// published fits (leaving them out moves those fits' predictions by 3-5%).
///
/// Step convention: a curve row at step t (0-based, as in the paper's files) is the loss after
/// the update of step t, so its areas include eta_t.
///
/// Parameters [L0, A, alpha, B, C, beta, gamma]; all but L0 are positive, and fits work in
/// theta = [L0, ln A, ln alpha, ln B, ln C, ln beta, ln gamma] (`theta(from:)`), so positivity
/// needs no bounds and the exponentials are capped (`expCapped`) against overflow.
public enum MultiPowerLaw {
    public static let name = "multipower"
    public static let parameterNames = ["L0", "A", "alpha", "B", "C", "beta", "gamma"]
    public static let reference =
        "Luo et al. 2025, A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules (arXiv:2503.12811): "
        + "L(t) = L0 + A S1^-alpha - B sum_k (eta_{k-1} - eta_k) (1 - (C eta_k^-gamma S_k(t) + 1)^-beta)"

    /// Fitting coordinates from the reported parameters.
    public static func theta(from p: [Double]) -> [Double] {
        [p[0]] + p[1...].map { Foundation.log($0) }
    }

    /// Reported parameters from fitting coordinates.
    public static func parameters(from theta: [Double]) -> [Double] {
        [theta[0]] + theta[1...].map { expCapped($0) }
    }

    /// e^x with x capped at 700 (finite for any trial point of an optimiser).
    @inline(__always)
    public static func expCapped(_ x: Double) -> Double { Foundation.exp(min(x, 700)) }

    /// Predicted loss after the update of each step in `steps` (0-based) of the schedule whose
    /// drops are `drops`.
    public static func predict(_ p: [Double], drops: MultiPowerDrops, at steps: [Int]) -> [Double] {
        steps.map { t in
            guard t >= 0, t < drops.count else { return .nan }
            return value(p, drops: drops, step: t)
        }
    }

    /// Predicted loss after every update of a schedule (`lrs[t]` = rate of 0-based step t).
    public static func predictCurve(_ p: [Double], lrs: [Double]) -> [Double] {
        let drops = MultiPowerDrops(lrs: lrs)
        return (0..<lrs.count).map { value(p, drops: drops, step: $0) }
    }

    /// The law at one step; nan where S1 = 0 (no training yet).
    @inline(__always)
    static func value(_ p: [Double], drops: MultiPowerDrops, step t: Int) -> Double {
        let (l0, a, alpha, b, c, beta, gamma) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6])
        let s1 = drops.cumulative[t]
        guard s1 > 0 else { return .nan }
        let st = s1
        var ld = 0.0
        drops.forEachBlock(upTo: t) { d, meanP, meanLogRate in
            let x = c * Foundation.exp(-gamma * meanLogRate) * max(st - meanP, 0)
            ld += d * (1 - Foundation.exp(-beta * Foundation.log1p(x)))
        }
        return l0 + a * Foundation.exp(-alpha * Foundation.log(s1)) - b * ld
    }

    /// The exact O(t) drop term (for tests of the blocked sum and for short schedules).
    public static func exactLossDrop(_ p: [Double], lrs: [Double], step t: Int) -> Double {
        let (b, c, beta, gamma) = (p[3], p[4], p[5], p[6])
        var ld = 0.0
        var sk = 0.0
        var k = t
        while k >= 1 {
            sk += lrs[k]
            let d = lrs[k - 1] - lrs[k]
            if d != 0 {
                ld += d * (1 - Foundation.pow(c * Foundation.pow(lrs[k], -gamma) * sk + 1, -beta))
            }
            k -= 1
        }
        return b * ld
    }
}
