import Foundation
import Testing
@testable import Fit
import Laws

@Suite struct BootstrapTests {
    let law = ChinchillaLaw()

    /// Epoch's 95% bootstrap intervals (Besiroglu et al. 2024, Table 1) vs ours on the same points.
    @Test func intervalsOverlapEpochs() throws {
        let data = try TestData.epochPoints()
        let options = FitOptions(starts: TestData.gridSubset(stride: ReferenceFit.stride), bootstrap: 120,
                                 seed: 2024, bootstrapStarts: 2)
        let fit = try Fitter.fit(law, data, options: options)
        #expect(fit.bootstrapConverged >= 110)
        #expect(fit.bootstrapThetas.count == fit.bootstrapConverged && fit.bootstrapTotal == 120)
        let epoch: [ClosedRange<Double>] = [1.769...1.871, 285...744, 1042...5810, 0.317...0.373, 0.331...0.415]
        print("bootstrap intervals: \(zip(fit.parameterNames, fit.intervals).map { "\($0) \($1)" })")
        for (k, name) in fit.parameterNames.enumerated() {
            let ours = try #require(fit.intervals[k], "\(name): no interval")
            #expect(ours.overlaps(epoch[k]), "\(name): ours \(ours) vs Epoch \(epoch[k])")
            #expect(ours.contains(fit.parameters[k]), "\(name) estimate outside its interval")
            #expect(ours.upperBound > ours.lowerBound)
        }

        // Prediction intervals: narrow where the data are, wider far outside them.
        let inside = Fitter.predictInterval(law, fit, at: [1e9, 2e10])
        let outside = Fitter.predictInterval(law, fit, at: [1e13, 2e14])
        let inWidth = try #require(inside.interval).upperBound - inside.interval!.lowerBound
        let outWidth = try #require(outside.interval).upperBound - outside.interval!.lowerBound
        #expect(inside.interval!.contains(inside.value))
        #expect(outWidth > 2 * inWidth)
    }

    @Test func noBootstrapMeansNoIntervals() throws {
        let t = TestData.hoffmann
        let data = TestData.synthetic(theta: law.theta(E: t.E, A: t.A, B: t.B, alpha: t.alpha, beta: t.beta),
                                      noise: 0.003, seed: 5)
        let fit = try Fitter.fit(law, data, options: FitOptions(starts: TestData.gridSubset(stride: 150)))
        #expect(fit.intervals.isEmpty && fit.bootstrapThetas.isEmpty)
        #expect(Fitter.predictInterval(law, fit, at: [1e9, 1e10]).interval == nil)
    }
}
