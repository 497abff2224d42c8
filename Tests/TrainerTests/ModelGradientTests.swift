import Testing
@testable import Trainer

/// Finite-difference check of the whole model's backward pass on a tiny config: every named tensor,
/// up to 24 sampled entries each, compared against central differences of the mean loss (summed
/// in Double). Weights are redrawn with std 0.2 so gradients are large enough to resolve in Float32.
/// Bounds (eps 1e-2): relative error < 2e-2 on entries with |grad| >= 1e-3, absolute error < 5e-5
/// below that (finite-difference noise of a Float32 forward pass is ~1e-6 / (2 eps)).
@Suite struct ModelGradientTests {
    static let config = ModelConfig(nLayer: 2, dModel: 16, nHead: 2, seqLen: 8, vocabSize: 32)

    @Test func wholeModelMatchesFiniteDifferences() throws {
        let batch = 2
        let model = Model(config: Self.config, seed: 7, maxBatch: batch)
        var data = TestData(seed: 8)
        for tensor in model.layout.tensors where !tensor.name.contains(".ln") && !tensor.name.hasPrefix("lnf") {
            let values = data.gaussian(tensor.count, std: 0.2)
            for i in 0..<tensor.count { model.parameters.base[tensor.offset + i] = values[i] }
        }
        let n = batch * Self.config.seqLen
        let inputs = data.tokens(n, vocab: Self.config.vocabSize)
        let targets = data.tokens(n, vocab: Self.config.vocabSize)
        model.zeroGrad()
        _ = model.forward(inputs: inputs, targets: targets, batch: batch)
        model.backward()
        let analytic = model.gradients.array
        let check = GradientCheck(eps: 1e-2, floor: 1e-3)
        var worst = 0.0, worstName = "", worstSmall = 0.0, checked = 0
        for tensor in model.layout.tensors {
            let idx = data.sample(tensor.count, 24).map { $0 + tensor.offset }
            let r = analytic.withUnsafeBufferPointer { g in
                check.run(values: model.parameters.base, analytic: g.baseAddress!, count: model.parameters.count,
                          indices: idx) {
                    _ = model.evaluateLoss(inputs: inputs, targets: targets, batch: batch)
                    return model.lastMeanLoss
                }
            }
            checked += r.checked
            worstSmall = max(worstSmall, r.maxAbsoluteSmall)
            if r.maxRelative > worst { worst = r.maxRelative; worstName = tensor.name }
        }
        #expect(checked > 500)
        #expect(worst < 2e-2, "worst relative error \(worst) in \(worstName)")
        #expect(worstSmall < 5e-5, "worst small-entry absolute error \(worstSmall)")
        print("model gradient check: \(checked) entries, worst rel \(worst) (\(worstName)), small abs \(worstSmall)")
    }
}
