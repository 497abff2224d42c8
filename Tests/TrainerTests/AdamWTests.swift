import Testing
@testable import Trainer

@Suite struct AdamWTests {
    static let config = ModelConfig(nLayer: 1, dModel: 4, nHead: 1, seqLen: 2, vocabSize: 3)

    /// Two steps against the update written out by hand in Double:
    /// step 1 has mhat = g, vhat = g^2, so p1 = p0 - lr (sign(g) g/(|g|+eps) + wd p0) for decayed tensors;
    /// step 2 uses m = 0.1 g1 * 0.9 + 0.1 g2, v = 0.05 g1^2 * 0.95 + 0.05 g2^2 with bias corrections
    /// 1 - 0.9^2 and 1 - 0.95^2.
    @Test func matchesHandComputedSteps() {
        let model = Model(config: Self.config, seed: 1)
        var adam = AdamW(layout: model.layout)
        let n = model.parameters.count
        var data = TestData(seed: 2)
        let p0 = model.parameters.array
        let g1 = data.gaussian(n), g2 = data.gaussian(n)
        let lr1: Float = 0.01, lr2: Float = 0.02
        model.gradients.load(g1)
        adam.update(model, lr: lr1)
        let p1 = model.parameters.array
        model.gradients.load(g2)
        adam.update(model, lr: lr2)
        let p2 = model.parameters.array
        #expect(adam.step == 2)

        let qkvw = model.layout.tensor(named: "h0.attn.qkv.w")!
        let lnw = model.layout.tensor(named: "h0.ln1.w")!
        let wte = model.layout.tensor(named: "wte")!
        for i in [qkvw.offset, qkvw.offset + 5, lnw.offset, lnw.offset + 1, wte.offset + 2] {
            let wd = (qkvw.offset..<(qkvw.offset + qkvw.count)).contains(i) ? 0.1 : 0.0
            let a = Double(g1[i]), b = Double(g2[i]), eps = 1e-8
            let expected1 = Double(p0[i]) - Double(lr1) * (a / (abs(a) + eps) + wd * Double(p0[i]))
            let m = 0.9 * 0.1 * a + 0.1 * b
            let v = 0.95 * 0.05 * a * a + 0.05 * b * b
            let mhat = m / (1 - 0.81), vhat = v / (1 - 0.9025)
            let expected2 = Double(p1[i]) - Double(lr2) * (mhat / (vhat.squareRoot() + eps) + wd * Double(p1[i]))
            #expect(abs(Double(p1[i]) - expected1) < 1e-6, "step 1 index \(i)")
            #expect(abs(Double(p2[i]) - expected2) < 1e-6, "step 2 index \(i)")
        }
    }

    /// With zero gradients only weight decay moves parameters, and only the linear weights.
    @Test func decaysOnlyLinearWeights() {
        let model = Model(config: Self.config, seed: 3)
        var adam = AdamW(layout: model.layout, weightDecay: 0.5)
        let before = model.parameters.array
        model.zeroGrad()
        adam.update(model, lr: 0.1)
        let after = model.parameters.array
        for t in model.layout.tensors {
            for i in t.offset..<(t.offset + t.count) {
                let expected = t.isLinearWeight ? before[i] * (1 - 0.1 * 0.5) : before[i]
                #expect(abs(after[i] - expected) <= 1e-7 * max(1, abs(expected)), "\(t.name)")
            }
        }
    }

    @Test func clippingRescalesToMaxNorm() {
        let model = Model(config: Self.config, seed: 4)
        var data = TestData(seed: 5)
        let g = data.gaussian(model.gradients.count)
        model.gradients.load(g)
        let expectedNorm = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let reported = model.clipGradients(maxNorm: 1)
        #expect(abs(Double(reported) - expectedNorm) < 1e-4 * expectedNorm)
        let after = model.gradients.array.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(after - 1) < 1e-5)
        // Below the threshold nothing changes.
        let unchanged = model.gradients.array
        _ = model.clipGradients(maxNorm: 10)
        #expect(model.gradients.array == unchanged)
    }
}
