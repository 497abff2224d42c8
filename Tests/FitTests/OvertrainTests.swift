import Foundation
import Testing
@testable import Fit
import Laws

@Suite struct OvertrainTests {
    let law = OvertrainLaw()

    @Test func jacobianMatchesFiniteDifferences() {
        let rows: [[Double]] = [[1e7, 20], [8e7, 320], [4e8, 5], [7e9, 20]]
        expectJacobianMatchesFiniteDifferences(law, theta: [1.8, 166, 367, -0.27], rows: rows, y: 3)
        expectJacobianMatchesFiniteDifferences(law, theta: [0.5, 30, 3000, -0.1], rows: rows, y: 4)
    }

    /// The (C, M) form of Eq. (4) and the fitted (N, M) form are the same function.
    @Test func computeFormEqualsParameterForm() {
        let theta = [1.84, 166.2, 366.7, -0.2729]
        for (n, m) in [(1.1e7, 20.0), (4.1e8, 320.0), (6.9e9, 20.0), (1.4e9, 640.0)] {
            let d = m * n
            let c = 6 * n * d
            let byNM = law.predict(theta, [n, m])
            #expect(abs(law.predict(theta, C: c, M: m) - byNM) < 1e-12 * byNM)
            #expect(abs(law.predict(theta, N: n, D: d) - byNM) < 1e-12 * byNM)
            let row = OvertrainLaw.inputs(C: c, M: m)
            #expect(abs(row[0] - n) < 1e-6 * n && row[1] == m)
        }
        #expect(law.reported(theta)[4] == 0.2729 / 2)
    }

    @Test func recoversSyntheticParameters() throws {
        let truth = [2.0, 250.0, 500.0, -0.3]
        var rng = TestRNG(seed: 7)
        var x: [[Double]] = [], y: [Double] = []
        for n in [1e7, 3e7, 1e8, 3e8, 1e9] {
            for m in [5.0, 20.0, 80.0, 320.0] {
                x.append([n, m])
                y.append(law.predict(truth, [n, m]) * (1 + rng.gaussian(sd: 1e-4)))
            }
        }
        let fit = try #require(bestFit(law, Dataset(x: x, y: y)))
        for j in 0..<4 { #expect(relativeError(fit.theta[j], truth[j]) < 0.05, "\(law.thetaNames[j])") }
    }

    @Test func nonPositiveInputsGiveNaNNotATrap() {
        #expect(law.predict([1, 1, 1, -0.3], [0, 20]).isNaN)
        // An absurd trial exponent stays finite (capped exponential).
        #expect(law.predict([1, 1, 1, 1e3], [1e9, 20]).isFinite)
    }

    /// Fit on the paper's five small runs and compare with the constants the repo's own code gives.
    func reproduce(dataset: String) throws -> (fit: LocalFit, runs: [GadreRun]) {
        let runs = try loadGadreRuns()
        let train = gadreLossFitRuns(runs, dataset: dataset)
        #expect(train.count == 5)
        let data = Dataset(x: train.map { [$0.N, $0.M] }, y: train.map(\.lossC4))
        let fit = try #require(bestFit(law, data))
        let ref = try referenceFit("\(dataset)/avg46")
        let got = Dictionary(uniqueKeysWithValues: zip(law.thetaNames, fit.theta))
        for name in ["E", "a", "b", "p"] {
            let (g, r) = (got[name]!, try #require(ref[name]))
            #expect(relativeError(g, r) < 0.002, "\(dataset) \(name): fitted \(g), reference \(r)")
        }
        return (fit, runs)
    }

    @Test func reproducesRedPajamaConstantsAndExtrapolation() throws {
        let (fit, runs) = try reproduce(dataset: "rpj")
        for (billions, m, key) in [(1.4, 640.0, "loss_1.4B_M640"), (6.9, 20.0, "loss_6.9B_M20")] {
            let run = try gadreRun(runs, dataset: "rpj", billions: billions, M: m)
            let percent = 100 * relativeError(law.predict(fit.theta, [run.N, run.M]), run.lossC4)
            let reference = try referenceNotebookError(key)
            #expect(abs(percent - reference) < 0.01, "\(key): \(percent)% vs notebook \(reference)%")
        }
    }

    @Test func reproducesC4Constants() throws {
        _ = try reproduce(dataset: "c4_original")
    }
}
