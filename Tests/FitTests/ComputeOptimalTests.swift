import Foundation
import Testing
import Laws

@Suite struct ComputeOptimalTests {
    /// Golden-section search for the minimum of L along 6ND = C, in log N.
    func numericOptimum(_ law: ComputeOptimal, compute c: Double) -> (N: Double, loss: Double) {
        func loss(_ logN: Double) -> Double {
            let n = exp(logN)
            return law.loss(N: n, D: c / (6 * n))
        }
        var lo = log(1e3), hi = log(c / 6 / 1e3)
        let g = (sqrt(5.0) - 1) / 2
        for _ in 0..<200 {
            let m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo)
            if loss(m1) < loss(m2) { hi = m2 } else { lo = m1 }
        }
        return (exp((lo + hi) / 2), loss((lo + hi) / 2))
    }

    @Test func closedFormMatchesNumericalMinimum() {
        for law in [ComputeOptimal(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28),
                    ComputeOptimal(reported: [1.8172, 477.84, 2143.86, 0.3473, 0.3672])] {
            for c in [1e18, 5.76e23, 1e26] {
                let opt = law.allocation(compute: c)
                let numeric = numericOptimum(law, compute: c)
                #expect(abs(opt.N / numeric.N - 1) < 1e-5, "C \(c): \(opt.N) vs \(numeric.N)")
                #expect(abs(6 * opt.N * opt.D / c - 1) < 1e-12)
                #expect(abs(opt.loss - numeric.loss) < 1e-12 * opt.loss + 1e-14)
            }
        }
    }

    @Test func exponentsAddToOneAndScaleTheAllocation() {
        let law = ComputeOptimal(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)
        #expect(abs(law.nExponent + law.dExponent - 1) < 1e-15)
        let a = law.allocation(compute: 1e20), b = law.allocation(compute: 1e22)
        #expect(abs(log(b.N / a.N) / log(100.0) - law.nExponent) < 1e-12)
        #expect(b.tokensPerParameter > 0 && b.loss < a.loss)
    }
}
