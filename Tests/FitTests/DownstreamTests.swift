import Foundation
import Testing
@testable import Fit
import Laws

@Suite struct DownstreamTests {
    let law = DownstreamLaw()

    @Test func jacobianMatchesFiniteDifferences() {
        let rows: [[Double]] = [[2.4], [3.1], [4.5], [6.0]]
        expectJacobianMatchesFiniteDifferences(law, theta: [0.76, 1.32, 0.89], rows: rows, y: 0.7)
        expectJacobianMatchesFiniteDifferences(law, theta: [0.9, 5.0, 0.3], rows: rows, y: 0.5)
    }

    @Test func startGridBeginsWithReferenceP0() {
        #expect(law.startGrid().first == [1, 1, 1])
    }

    @Test func exponentialIsGuarded() {
        #expect(law.predict([0.8, 1, -1e4], [3]).isFinite)
    }

    @Test func recoversSyntheticParameters() throws {
        let truth = [0.8, 2.0, 0.75]
        var rng = TestRNG(seed: 11)
        let losses = stride(from: 2.2, through: 6.0, by: 0.3).map { $0 }
        let y = losses.map { law.predict(truth, [$0]) + rng.gaussian(sd: 1e-4) }
        let fit = try #require(bestFit(law, Dataset(x: losses.map { [$0] }, y: y)))
        for j in 0..<3 { #expect(relativeError(fit.theta[j], truth[j]) < 0.03, "\(law.thetaNames[j])") }
    }

    /// The error fit's data: the five loss-fit runs plus the 1.4B run at M = 20.
    func errorFitRuns(_ runs: [GadreRun], dataset: String) throws -> [GadreRun] {
        gadreLossFitRuns(runs, dataset: dataset) + [try gadreRun(runs, dataset: dataset, billions: 1.4, M: 20)]
    }

    @Test(arguments: ["rpj", "c4_original"], ["avg46", "avg17"])
    func reproducesErrorConstants(dataset: String, suite: String) throws {
        let runs = try errorFitRuns(try loadGadreRuns(), dataset: dataset)
        #expect(runs.count == 6)
        let y = runs.map { suite == "avg46" ? $0.errAvg46 : $0.errAvg17 }
        let fit = try #require(bestFit(law, Dataset(x: runs.map { [$0.lossC4] }, y: y)))
        let ref = try referenceFit("\(dataset)/\(suite)")
        for (j, name) in law.parameterNames.enumerated() {
            let r = try #require(ref[name])
            #expect(relativeError(fit.theta[j], r) < 0.002,
                    "\(dataset)/\(suite) \(name): fitted \(fit.theta[j]), reference \(r)")
        }
    }

    /// (N, M) -> loss -> error with both laws fitted as the paper does; the chained errors match
    /// the reference notebook's reported extrapolation errors for avg17.
    @Test func chainedPredictionMatchesNotebook() throws {
        let all = try loadGadreRuns()
        let lossRuns = gadreLossFitRuns(all, dataset: "rpj")
        let lossFit = try #require(bestFit(OvertrainLaw(), Dataset(x: lossRuns.map { [$0.N, $0.M] }, y: lossRuns.map(\.lossC4))))
        let errRuns = try errorFitRuns(all, dataset: "rpj")
        let errFit = try #require(bestFit(law, Dataset(x: errRuns.map { [$0.lossC4] }, y: errRuns.map(\.errAvg17))))
        let chain = DownstreamChain(lossTheta: lossFit.theta, errorTheta: errFit.theta)
        for (billions, m, key) in [(1.4, 640.0, "err17_1.4B_M640"), (6.9, 20.0, "err17_6.9B_M20")] {
            let run = try gadreRun(all, dataset: "rpj", billions: billions, M: m)
            let predicted = chain.predict(N: run.N, M: run.M)
            #expect(predicted.error == law.predict(errFit.theta, [predicted.loss]))
            let percent = 100 * relativeError(predicted.error, run.errAvg17)
            let reference = try referenceNotebookError(key)
            #expect(abs(percent - reference) < 0.01, "\(key): \(percent)% vs notebook \(reference)%")
        }
    }
}
