import Foundation
import Testing
@testable import Trainer

@Suite struct FastMathTests {
    /// Relative error against Double exp stays within 3 ulp-ish (4e-7) across the clamp range, and
    /// extreme inputs saturate instead of producing inf or NaN.
    @Test func expIsAccurate() {
        var worst = 0.0
        for i in 0...20_000 {
            let x = Float(-87 + 175 * Double(i) / 20_000)
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - exact) / exact)
        }
        #expect(worst < 4e-7, "worst relative error \(worst)")
        #expect(FastMath.exp(-Float.infinity) >= 0 && FastMath.exp(-Float.infinity) < 1e-37)
        #expect(FastMath.exp(1000).isFinite)
        #expect(FastMath.exp(0) == 1)
    }

    @Test func softmaxHelpers() {
        var values: [Float] = [3, -1, 0.5, 7, 2, 2, -4, 1, 0]
        let n = values.count
        let m = values.withUnsafeBufferPointer { FastMath.max($0.baseAddress!, count: n) }
        #expect(m == 7)
        let sum = values.withUnsafeMutableBufferPointer { FastMath.expShiftedSum($0.baseAddress!, count: n, shift: m) }
        let expected = [3, -1, 0.5, 7, 2, 2, -4, 1, 0].reduce(0.0) { $0 + Foundation.exp($1 - 7) }
        #expect(abs(Double(sum) - expected) < 1e-6 * expected)
        #expect(values[3] == 1)
    }
}
