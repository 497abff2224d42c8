/// A branch-free exp and the loops built on it (softmax rows, GELU). libm's expf/tanhf are opaque scalar
/// calls that dominated small-model profiles (about 40% of a d_model 64 step went to tanhf/expm1f).
/// These are plain scalar Float code with no calls or branches, so the optimiser vectorises the loops
/// that use them, and debug builds (the tests) stay reasonably fast, unlike generic SIMD types.
enum FastMath {
    /// e^x to about 2 ulp for x in [-87, 88] (inputs are clamped there, so -inf gives ~1e-38, not 0).
    /// Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, then a degree-6 Taylor polynomial for e^r
    /// (truncation error r^7/7! < 1.3e-7) scaled by 2^n built directly in the exponent bits.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        var x = x < -87 ? -87 : x
        x = x > 88 ? 88 : x
        // Round x*log2(e) with the 1.5*2^23 trick: the integer lands in the low mantissa bits.
        let magic: Float = 12_582_912
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = x - n * 0.693_145_751_953_125 - n * 1.428_606_765_330_187e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let k = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        return p * Float(bitPattern: UInt32(bitPattern: (k &+ 127) &<< 23))
    }

    /// p[i] = exp(p[i] - shift) for i in 0..<count; returns the sum of the new values.
    @inline(__always)
    static func expShiftedSum(_ p: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        for i in 0..<count { p[i] = exp(p[i] - shift) }
        return sum(p, count: count)
    }

    /// Sum with four interleaved accumulators (a fixed order, so results are reproducible).
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var i = 0
        while i &+ 4 <= count {
            a0 += p[i]
            a1 += p[i &+ 1]
            a2 += p[i &+ 2]
            a3 += p[i &+ 3]
            i &+= 4
        }
        while i < count {
            a0 += p[i]
            i &+= 1
        }
        return (a0 + a1) + (a2 + a3)
    }

    /// Largest of p[0..<count] (count >= 1).
    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var m = p[0]
        for i in 1..<count { m = p[i] > m ? p[i] : m }
        return m
    }
}
