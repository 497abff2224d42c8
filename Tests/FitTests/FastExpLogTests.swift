import Foundation
import Laws
import Testing

/// `FastExpLog` replaces glibc's exp and log in the Chinchilla Huber fit's inner loop; a fitted
/// optimum must not move, so both must stay within a few ulp of the library functions.
@Suite struct FastExpLogTests {
    @Test func expMatchesLibraryToAFewUlp() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = -700 + 1400 * Double(i) / 200_000
            worst = max(worst, abs(FastExpLog.exp(x) / Foundation.exp(x) - 1))
        }
        for i in 0...100_000 {
            let x = -2 + 4 * Double(i) / 100_000
            worst = max(worst, abs(FastExpLog.exp(x) / Foundation.exp(x) - 1))
        }
        #expect(worst < 5e-16, "worst relative error \(worst)")
        #expect(FastExpLog.exp(0) == 1)
        #expect(FastExpLog.exp(-1000) > 0 && FastExpLog.exp(1000).isFinite)
        #expect(FastExpLog.exp(.nan).isNaN)
    }

    @Test func logMatchesLibraryToAFewUlpOfTheResultOrOfOne() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = 0.25 + 4 * Double(i) / 200_000
            worst = max(worst, abs(FastExpLog.log(x) - Foundation.log(x)) / max(abs(Foundation.log(x)), 1))
        }
        for i in 0...100_000 {
            let x = Foundation.exp(-700 + 1400 * Double(i) / 100_000)
            worst = max(worst, abs(FastExpLog.log(x) - Foundation.log(x)) / max(abs(Foundation.log(x)), 1))
        }
        #expect(worst < 5e-16, "worst error \(worst)")
        #expect(FastExpLog.log(1) == 0)
    }
}
