/// SplitMix64 (Steele, Lea and Flood 2014): the bootstrap's random source. Its whole state is one
/// UInt64, so a fit's intervals are reproducible from `FitOptions.seed` alone, on any platform and
/// independent of how resamples are scheduled over threads (all indices are drawn up front).
public struct ResampleRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (multiply-high, Lemire 2019; bias ~ n / 2^64, negligible here).
    public mutating func index(below n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }
}
