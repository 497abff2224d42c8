@testable import Trainer

/// Central finite differences against an analytic gradient, for Float32 code.
///
/// Each checked entry x_i is nudged by +-eps and the loss (summed in Double by the caller) is
/// re-evaluated: g_num = (L(x+eps) - L(x-eps)) / (x+eps - (x-eps)), using the actually representable
/// Float perturbation. Float32 forward passes carry ~1e-7 relative rounding noise, so the finite
/// difference has absolute noise ~1e-7 * |L| / eps; entries whose gradient is below `floor` are
/// compared absolutely (|a - n| <= floor * bound) and the rest relatively
/// (|a - n| / max(|a|, |n|) <= bound).
struct GradientCheck {
    var eps: Float = 3e-3
    var floor: Double = 1e-2

    struct Result {
        var maxRelative = 0.0
        var maxAbsoluteSmall = 0.0
        var checked = 0
        var worstIndex = -1
    }

    /// `values` is perturbed in place and restored. `indices` nil means every entry.
    func run(values: UnsafeMutablePointer<Float>, analytic: UnsafePointer<Float>, count: Int,
             indices: [Int]? = nil, loss: () -> Double) -> Result {
        var result = Result()
        for i in indices ?? Array(0..<count) {
            let original = values[i]
            values[i] = original + eps
            let up = Double(values[i])
            let lossUp = loss()
            values[i] = original - eps
            let down = Double(values[i])
            let lossDown = loss()
            values[i] = original
            let numeric = (lossUp - lossDown) / (up - down)
            let a = Double(analytic[i])
            let scale = max(abs(a), abs(numeric))
            if scale < floor {
                result.maxAbsoluteSmall = max(result.maxAbsoluteSmall, abs(a - numeric))
            } else {
                let rel = abs(a - numeric) / scale
                if rel > result.maxRelative { result.maxRelative = rel; result.worstIndex = i }
            }
            result.checked += 1
        }
        return result
    }
}

/// Deterministic test data.
struct TestData {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func gaussian(_ n: Int, std: Double = 1, mean: Double = 0) -> [Float] {
        (0..<n).map { _ in Float(mean + std * rng.nextGaussian()) }
    }

    mutating func tokens(_ n: Int, vocab: Int) -> [Int32] {
        (0..<n).map { _ in Int32(rng.nextInt(below: vocab)) }
    }

    /// Up to `k` distinct indices in 0..<n, sorted (all of them when n <= k).
    mutating func sample(_ n: Int, _ k: Int) -> [Int] {
        if n <= k { return Array(0..<n) }
        var chosen = Set<Int>()
        while chosen.count < k { chosen.insert(rng.nextInt(below: n)) }
        return chosen.sorted()
    }
}

/// sum_i out_i * r_i in Double: a scalar loss whose gradient with respect to `out` is exactly r.
func projectedLoss(_ out: UnsafePointer<Float>, _ r: [Float]) -> Double {
    var s = 0.0
    for i in 0..<r.count { s += Double(out[i]) * Double(r[i]) }
    return s
}
