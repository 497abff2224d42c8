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

    /// Sum with eight interleaved accumulators: a fixed order (reproducible) that the optimiser can keep
    /// in two SIMD registers, where a single running sum would be a serial chain of dependent adds.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var a = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        var i = 0
        while i &+ 8 <= count {
            a.0 += p[i]; a.1 += p[i &+ 1]; a.2 += p[i &+ 2]; a.3 += p[i &+ 3]
            a.4 += p[i &+ 4]; a.5 += p[i &+ 5]; a.6 += p[i &+ 6]; a.7 += p[i &+ 7]
            i &+= 8
        }
        var tail: Float = 0
        while i < count { tail += p[i]; i &+= 1 }
        return ((a.0 + a.4) + (a.1 + a.5)) + ((a.2 + a.6) + (a.3 + a.7)) + tail
    }

    /// Dot product of x[0..<count] and y[0..<count], same accumulation scheme as `sum`.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var a = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        var i = 0
        while i &+ 8 <= count {
            a.0 += x[i] * y[i]; a.1 += x[i &+ 1] * y[i &+ 1]
            a.2 += x[i &+ 2] * y[i &+ 2]; a.3 += x[i &+ 3] * y[i &+ 3]
            a.4 += x[i &+ 4] * y[i &+ 4]; a.5 += x[i &+ 5] * y[i &+ 5]
            a.6 += x[i &+ 6] * y[i &+ 6]; a.7 += x[i &+ 7] * y[i &+ 7]
            i &+= 8
        }
        var tail: Float = 0
        while i < count { tail += x[i] * y[i]; i &+= 1 }
        return ((a.0 + a.4) + (a.1 + a.5)) + ((a.2 + a.6) + (a.3 + a.7)) + tail
    }

    /// Largest of p[0..<count] (count >= 1), with four independent running maxima.
    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var m0 = p[0], m1 = p[0], m2 = p[0], m3 = p[0]
        var i = 0
        while i &+ 4 <= count {
            m0 = p[i] > m0 ? p[i] : m0
            m1 = p[i &+ 1] > m1 ? p[i &+ 1] : m1
            m2 = p[i &+ 2] > m2 ? p[i &+ 2] : m2
            m3 = p[i &+ 3] > m3 ? p[i &+ 3] : m3
            i &+= 4
        }
        while i < count { m0 = p[i] > m0 ? p[i] : m0; i &+= 1 }
        m0 = m1 > m0 ? m1 : m0
        m2 = m3 > m2 ? m3 : m2
        return m2 > m0 ? m2 : m0
    }
}
