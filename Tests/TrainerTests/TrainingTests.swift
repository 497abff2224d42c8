import Foundation
import Testing
@testable import Trainer

/// One optimizer step as a training loop runs it.
func trainStep(_ model: Model, _ adam: inout AdamW, _ batch: (inputs: [Int32], targets: [Int32]),
               batchSize: Int, lr: Float) -> Float {
    model.zeroGrad()
    let loss = model.forward(inputs: batch.inputs, targets: batch.targets, batch: batchSize)
    model.backward()
    model.clipGradients(maxNorm: 1)
    adam.update(model, lr: lr)
    return loss
}

/// Random next-token batches drawn from a seeded stream.
func randomBatch(_ data: inout TestData, _ config: ModelConfig, batch: Int) -> (inputs: [Int32], targets: [Int32]) {
    let n = batch * config.seqLen
    return (data.tokens(n, vocab: config.vocabSize), data.tokens(n, vocab: config.vocabSize))
}

/// Tests that train. Serialized because one of them changes the process-wide thread setting.
@Suite(.serialized) struct TrainingTests {
    static let tiny = ModelConfig(nLayer: 2, dModel: 32, nHead: 2, seqLen: 16, vocabSize: 32)

    /// 100 AdamW steps on one fixed batch of random tokens must memorise it: the loss starts near
    /// ln(32) = 3.47 and falls below 0.5.
    @Test func overfitsAFixedBatch() {
        let model = Model(config: Self.tiny, seed: 11, maxBatch: 4)
        var adam = AdamW(layout: model.layout)
        var data = TestData(seed: 12)
        let batch = randomBatch(&data, Self.tiny, batch: 4)
        var losses: [Float] = []
        for _ in 0..<100 { losses.append(trainStep(model, &adam, batch, batchSize: 4, lr: 1e-2)) }
        #expect(abs(losses[0] - log(32)) < 0.2, "initial loss \(losses[0])")
        #expect(losses.last! < 0.5, "final loss \(losses.last!)")
        #expect(losses.allSatisfy { $0.isFinite })
    }

    private func lossTrace(seed: UInt64, steps: Int) -> [Float] {
        let model = Model(config: Self.tiny, seed: seed, maxBatch: 2)
        var adam = AdamW(layout: model.layout)
        var data = TestData(seed: 99)
        return (0..<steps).map { _ in trainStep(model, &adam, randomBatch(&data, Self.tiny, batch: 2), batchSize: 2, lr: 3e-3) }
    }

    @Test func sameSeedGivesBitIdenticalLosses() {
        let a = lossTrace(seed: 5, steps: 4), b = lossTrace(seed: 5, steps: 4), c = lossTrace(seed: 6, steps: 4)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        #expect(a != c)
    }

    /// Two trainer workers (parallel (batch, head) items and row bands) give the same gradients as one,
    /// to Float32 rounding.
    @Test func parallelWorkersMatchSerial() {
        let batch = 3
        var data = TestData(seed: 21)
        let b = randomBatch(&data, Self.tiny, batch: batch)
        func gradients(workers: Int) -> ([Float], Float) {
            BLASThreads.set(workers)
            defer { BLASThreads.set(1) }
            let model = Model(config: Self.tiny, seed: 3, maxBatch: batch)
            let loss = model.forward(inputs: b.inputs, targets: b.targets, batch: batch)
            model.backward()
            return (model.gradients.array, loss)
        }
        let (g1, l1) = gradients(workers: 1), (g2, l2) = gradients(workers: 2)
        #expect(abs(l1 - l2) < 1e-6)
        let maxDiff = zip(g1, g2).map { abs($0 - $1) }.max()!
        let scale = g1.map { abs($0) }.max()!
        #expect(maxDiff <= 1e-5 * scale, "max gradient difference \(maxDiff) (scale \(scale))")
    }

    /// `.sequences` splits the batch between workers (here unevenly, 2 + 3 sequences): repeated runs are
    /// bit-identical and agree with the unsplit gradients to Float32 rounding. Several layers and steps
    /// of a model big enough that the parts drift apart in time, so a race between the parts' scratch
    /// regions shows up as a differing trace (it did, for an overlapping qkv-gradient region). The split
    /// is pinned on the model: other suites may change the process-wide thread setting meanwhile.
    @Test func batchSplitIsDeterministicAndMatchesSerial() {
        let batch = 5
        let config = ModelConfig(nLayer: 4, dModel: 64, nHead: 2, seqLen: 64, vocabSize: 64)
        var data = TestData(seed: 23)
        let batches = (0..<3).map { _ in randomBatch(&data, config, batch: batch) }
        func run(parts: Int) -> ([Float], [Float]) {
            let model = Model(config: config, seed: 4, maxBatch: batch)
            model.batchPartsOverride = parts
            var adam = AdamW(layout: model.layout)
            let losses = batches.map { trainStep(model, &adam, $0, batchSize: batch, lr: 3e-3) }
            return (losses, model.gradients.array)
        }
        let (l1, g1) = run(parts: 1), (l2, g2) = run(parts: 2), (l3, g3) = run(parts: 2)
        // Compared as Bools: on a failure, #expect would otherwise diff two 800k-element arrays (minutes).
        let sameLosses = l2.map(\.bitPattern) == l3.map(\.bitPattern)
        let sameGradients = g2.map(\.bitPattern) == g3.map(\.bitPattern)
        #expect(sameLosses)
        #expect(sameGradients)
        #expect(zip(l1, l2).allSatisfy { abs($0 - $1) < 1e-5 })
        let scale = g1.map { abs($0) }.max()!
        let maxDiff = zip(g1, g2).map { abs($0 - $1) }.max()!
        #expect(maxDiff <= 1e-4 * scale, "max gradient difference \(maxDiff) (scale \(scale))")
    }

    /// A model allocated for 4 sequences gives the same loss on 1 sequence as a model allocated for 1,
    /// and grows when asked for more than it holds.
    @Test func batchSmallerOrLargerThanAllocated() {
        var data = TestData(seed: 31)
        let b3 = randomBatch(&data, Self.tiny, batch: 3)
        let one = (Array(b3.inputs.prefix(Self.tiny.seqLen)), Array(b3.targets.prefix(Self.tiny.seqLen)))
        let big = Model(config: Self.tiny, seed: 1, maxBatch: 4), small = Model(config: Self.tiny, seed: 1, maxBatch: 1)
        #expect(big.evaluateLoss(inputs: one.0, targets: one.1, batch: 1) ==
                small.evaluateLoss(inputs: one.0, targets: one.1, batch: 1))
        let l3 = small.evaluateLoss(inputs: b3.inputs, targets: b3.targets, batch: 3)
        #expect(small.maxBatch == 3)
        #expect(l3 == big.evaluateLoss(inputs: b3.inputs, targets: b3.targets, batch: 3))
    }

    /// log p(a b | ctx) = log p(a | ctx) + log p(b | ctx a): causality plus summation. Exact only while
    /// ctx + a + b fits the seqLen + 1 window (15 = the longest such context here); beyond it the joint
    /// call truncates one more context token than the single-token calls.
    @Test func logLikelihoodChainRule() {
        let model = Model(config: Self.tiny, seed: 2)
        var data = TestData(seed: 41)
        for length in [1, 5, 15] {
            let ctx = data.tokens(length, vocab: 32).map { UInt8($0) }
            let a: UInt8 = 7, b: UInt8 = 19
            let joint = model.logLikelihood(context: ctx, continuation: [a, b])
            let first = model.logLikelihood(context: ctx, continuation: [a])
            let second = model.logLikelihood(context: ctx + [a], continuation: [b])
            #expect(joint < 0)
            #expect(abs(joint - (first + second)) < 1e-4, "context length \(length)")
        }
        // Truncation: only the last seqLen tokens before the scored one matter.
        let long = data.tokens(50, vocab: 32).map { UInt8($0) }
        let trimmed = Array(long.suffix(Self.tiny.seqLen))
        #expect(abs(model.logLikelihood(context: long, continuation: [3]) -
                    model.logLikelihood(context: trimmed, continuation: [3])) < 1e-5)
    }
}

extension TrainingTests {
    /// A linear layer big enough for `.hybrid` to hand it to OpenBLAS's threads agrees with the
    /// single-threaded result (forward output and all three gradients).
    @Test func hybridLargeLinearMatchesSerial() {
        let rows = 2048, inC = 256, outC = 512
        #expect(2 * rows * inC * outC >= BLASThreads.largeGEMMFlops)
        var data = TestData(seed: 51)
        let x = data.gaussian(rows * inC), w = data.gaussian(outC * inC, std: 0.05), b = data.gaussian(outC)
        let dout = data.gaussian(rows * outC)
        func run(_ strategy: BLASThreads.Strategy) -> [[Float]] {
            BLASThreads.set(2, strategy: strategy)
            defer { BLASThreads.set(1) }
            let bufs = [x, w, b, dout].map { v -> FloatBuffer in let f = FloatBuffer(count: v.count); f.load(v); return f }
            let out = FloatBuffer(count: rows * outC), dx = FloatBuffer(count: rows * inC)
            let dw = FloatBuffer(count: outC * inC), db = FloatBuffer(count: outC)
            Linear.forward(out: out.base, inp: bufs[0].base, weight: bufs[1].base, bias: bufs[2].base,
                           rows: rows, inC: inC, outC: outC)
            Linear.backward(dinp: dx.base, dweight: dw.base, dbias: db.base, dout: bufs[3].base, inp: bufs[0].base,
                            weight: bufs[1].base, rows: rows, inC: inC, outC: outC)
            return [out.array, dx.array, dw.array, db.array]
        }
        let serial = run(.workers), hybrid = run(.hybrid)
        BLASThreads.set(1, strategy: .workers)
        let single = run(.workers)
        for (k, name) in ["out", "dx", "dw", "db"].enumerated() {
            let scale = single[k].map { abs($0) }.max()!
            let diff = zip(single[k], hybrid[k]).map { abs($0 - $1) }.max()!
            let diff2 = zip(single[k], serial[k]).map { abs($0 - $1) }.max()!
            #expect(diff <= 1e-5 * scale, "\(name): hybrid differs by \(diff)")
            #expect(diff2 <= 1e-5 * scale, "\(name): banded workers differ by \(diff2)")
        }
    }
}
