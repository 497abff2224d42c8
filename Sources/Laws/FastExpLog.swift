/// exp and log on four Doubles at once, as straight-line SIMD arithmetic (no calls, branches or
/// tables). glibc's exp and log are scalar calls through errno-handling wrappers; in the
/// Chinchilla Huber fit they were about half of all instructions, and LLVM's auto-vectoriser did
/// not take the loop over observations even with inline scalar versions (too many pointers to
/// check for aliasing), so the kernel uses these explicitly (`ChinchillaBatch`). SIMD4 is two SSE2
/// registers on the x86-64 baseline: the pairs give the core independent work to overlap.
///
/// Accuracy: within 5e-16 of libm (tested), far below what moves a fitted optimum (the fits
/// compare objectives to 1e-9 relative).
public enum FastExpLog {
    public typealias Vector = SIMD4<Double>

    /// ln 2 split so that k * ln2Hi is exact for |k| < 2^21 (Cody-Waite reduction).
    @usableFromInline static var ln2Hi: Double { Double(bitPattern: 0x3FE6_2E42_FEE0_0000) }
    @usableFromInline static var ln2Lo: Double { Double(bitPattern: 0x3DEA_39EF_3579_3C76) }
    /// 1.5 * 2^52: adding it rounds to an integer held in the low mantissa bits.
    @usableFromInline static var shifter: Double { 6755399441055744.0 }

    /// e^x lane by lane for finite x; arguments are clamped to [-708, 709], so no lane is 0, a
    /// subnormal or infinite (callers that can exceed 709 must check their arguments).
    @inlinable @inline(__always)
    public static func exp(_ x: Vector) -> Vector {
        var x = x.replacing(with: -708, where: x .< -708)
        x.replace(with: 709, where: x .> 709)
        // x = k ln 2 + r, |r| <= ln2 / 2, k = round(x / ln 2).
        let shifted = x * 1.4426950408889634 + shifter
        let k = shifted - shifter
        let r = (x - k * ln2Hi) - k * ln2Lo
        // Taylor series of e^r to degree 13 (truncation error < 5e-18 for |r| <= 0.347), in
        // Estrin's form: a dependency chain of 4 multiply-adds instead of Horner's 13.
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        let p01 = 1 + r, p23 = 0.5 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120)
        let p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880)
        let p1011 = 1.0 / 3628800 + r * (1.0 / 39916800), p1213 = 1.0 / 479001600 + r * (1.0 / 6227020800)
        let q0 = p01 + r2 * p23, q1 = p45 + r2 * p67, q2 = p89 + r2 * p1011
        let q = (q0 + r4 * q1) + r8 * (q2 + r4 * p1213)
        // 2^k from k's bits in `shifted` (bits(shifter + k) = bits(shifter) + k).
        let bits = unsafeBitCast(shifted, to: SIMD4<UInt64>.self)
        return q * unsafeBitCast((bits &- shifter.bitPattern &+ 1023) &<< 52, to: Vector.self)
    }

    /// ln x lane by lane for positive, normal, finite x (what a sum of exponentials that
    /// includes a 1 is).
    @inlinable @inline(__always)
    public static func log(_ x: Vector) -> Vector {
        // x = 2^k f with f in [sqrt(1/2), sqrt(2)).
        let bits = unsafeBitCast(x, to: SIMD4<UInt64>.self)
        let k = unsafeBitCast(bits &- 0x3FE6_A09E_667F_3BCD, to: SIMD4<Int64>.self) &>> 52
        let f = unsafeBitCast(bits &- (unsafeBitCast(k, to: SIMD4<UInt64>.self) &<< 52), to: Vector.self)
        // ln f = 2 atanh(t), t = (f - 1) / (f + 1), |t| <= 0.1716: odd series to t^21
        // (truncation error < 1e-18 relative), in Estrin's form.
        let t = (f - 1) / (f + 1)
        let t2 = t * t, t4 = t2 * t2, t8 = t4 * t4
        let p0 = 1.0 / 3 + t2 * (1.0 / 5), p1 = 1.0 / 7 + t2 * (1.0 / 9), p2 = 1.0 / 11 + t2 * (1.0 / 13)
        let p3 = 1.0 / 15 + t2 * (1.0 / 17), p4 = 1.0 / 19 + t2 * (1.0 / 21)
        let q = (p0 + t4 * p1) + t8 * ((p2 + t4 * p3) + t8 * p4)
        let lnF = 2 * t + 2 * t * t2 * q
        // k as Doubles without an int-to-float conversion (which SSE2 does not have for Int64).
        let kd = unsafeBitCast(unsafeBitCast(k, to: SIMD4<UInt64>.self) &+ shifter.bitPattern, to: Vector.self) - shifter
        return kd * ln2Hi + (kd * ln2Lo + lnF)
    }

    /// Scalar e^x (lane 0 of the vector version), for tests and odd call sites.
    public static func exp(_ x: Double) -> Double { exp(Vector(repeating: x))[0] }

    /// Scalar ln x (lane 0 of the vector version).
    public static func log(_ x: Double) -> Double { log(Vector(repeating: x))[0] }
}
