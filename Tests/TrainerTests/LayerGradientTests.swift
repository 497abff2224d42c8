import Foundation
import Testing
@testable import Trainer

/// Finite-difference checks of each layer's hand-written backward pass. Every layer is driven by the
/// scalar loss L = sum(out * R) for a fixed random R, so d L / d out = R is fed to backward, and the
/// resulting input and parameter gradients are compared entry by entry with central differences.
/// Bounds (eps 3e-3, Float32 forward): max relative error < 1e-2 on entries with |grad| >= 1e-2 (measured
/// worst: 4e-3), absolute error < 1e-4 on smaller entries (finite-difference noise ~1e-6 |L| / eps).
@Suite struct LayerGradientTests {
    static let bound = 1e-2

    private func buffer(_ values: [Float]) -> FloatBuffer {
        let b = FloatBuffer(count: values.count)
        b.load(values)
        return b
    }

    private func expectClose(_ r: GradientCheck.Result, _ what: String) {
        #expect(r.checked > 0)
        #expect(r.maxRelative < Self.bound, "\(what): max relative error \(r.maxRelative) at \(r.worstIndex)")
        #expect(r.maxAbsoluteSmall < 1e-4, "\(what): small-entry abs error \(r.maxAbsoluteSmall)")
    }

    @Test func layerNorm() {
        var data = TestData(seed: 1)
        let rows = 6, c = 8
        let x = buffer(data.gaussian(rows * c, std: 1.5, mean: 0.3))
        let w = buffer(data.gaussian(c, std: 0.3, mean: 1)), b = buffer(data.gaussian(c, std: 0.3))
        let r = data.gaussian(rows * c)
        let out = FloatBuffer(count: rows * c), mean = FloatBuffer(count: rows), rstd = FloatBuffer(count: rows)
        func loss() -> Double {
            LayerNorm.forward(out: out.base, mean: mean.base, rstd: rstd.base, inp: x.base, weight: w.base,
                              bias: b.base, rows: rows, channels: c)
            return projectedLoss(out.base, r)
        }
        _ = loss()
        let dx = FloatBuffer(count: rows * c), dw = FloatBuffer(count: c), db = FloatBuffer(count: c)
        let dout = buffer(r)
        LayerNorm.backward(dinp: dx.base, dweight: dw.base, dbias: db.base, dout: dout.base, inp: x.base,
                           weight: w.base, mean: mean.base, rstd: rstd.base, rows: rows, channels: c)
        let check = GradientCheck()
        expectClose(check.run(values: x.base, analytic: dx.base, count: x.count, loss: loss), "LayerNorm dx")
        expectClose(check.run(values: w.base, analytic: dw.base, count: c, loss: loss), "LayerNorm dw")
        expectClose(check.run(values: b.base, analytic: db.base, count: c, loss: loss), "LayerNorm db")
    }

    @Test func attention() {
        var data = TestData(seed: 2)
        let batch = 2, t = 5, c = 8, nh = 2, rows = batch * t
        let x = buffer(data.gaussian(rows * c))
        // Large enough weights that the attention pattern is far from uniform.
        let qkvw = buffer(data.gaussian(3 * c * c, std: 0.5)), qkvb = buffer(data.gaussian(3 * c, std: 0.2))
        let projw = buffer(data.gaussian(c * c, std: 0.5)), projb = buffer(data.gaussian(c, std: 0.2))
        let r = data.gaussian(rows * c)
        let attSize = Attention.attSize(batch: batch, seqLen: t, nHead: nh)
        let out = FloatBuffer(count: rows * c), qkv = FloatBuffer(count: rows * 3 * c)
        let att = FloatBuffer(count: attSize), atty = FloatBuffer(count: rows * c)
        func loss() -> Double {
            Attention.forward(out: out.base, qkv: qkv.base, att: att.base, atty: atty.base, inp: x.base,
                              qkvw: qkvw.base, qkvb: qkvb.base, projw: projw.base, projb: projb.base,
                              batch: batch, seqLen: t, channels: c, nHead: nh)
            return projectedLoss(out.base, r)
        }
        _ = loss()
        // Causality: row t of every head's attention puts no weight on later positions.
        for item in 0..<(batch * nh) {
            for i in 0..<t {
                var rowSum: Float = 0
                for j in 0..<t {
                    let p = att.base[item * t * t + i * t + j]
                    if j > i { #expect(p == 0) }
                    rowSum += p
                }
                #expect(abs(rowSum - 1) < 1e-5)
            }
        }
        let dx = FloatBuffer(count: rows * c), dqkvw = FloatBuffer(count: qkvw.count)
        let dqkvb = FloatBuffer(count: qkvb.count), dprojw = FloatBuffer(count: projw.count)
        let dprojb = FloatBuffer(count: projb.count), dout = buffer(r)
        let datty = FloatBuffer(count: rows * c), dqkv = FloatBuffer(count: rows * 3 * c)
        let datt = FloatBuffer(count: attSize)
        Attention.backward(dinp: dx.base, dqkvw: dqkvw.base, dqkvb: dqkvb.base, dprojw: dprojw.base,
                           dprojb: dprojb.base, dout: dout.base, qkv: qkv.base, att: att.base, atty: atty.base,
                           inp: x.base, qkvw: qkvw.base, projw: projw.base, datty: datty.base, dqkv: dqkv.base,
                           datt: datt.base, batch: batch, seqLen: t, channels: c, nHead: nh)
        let check = GradientCheck()
        expectClose(check.run(values: x.base, analytic: dx.base, count: x.count, loss: loss), "Attention dx")
        expectClose(check.run(values: qkvw.base, analytic: dqkvw.base, count: qkvw.count, loss: loss), "dqkvw")
        expectClose(check.run(values: qkvb.base, analytic: dqkvb.base, count: qkvb.count, loss: loss), "dqkvb")
        expectClose(check.run(values: projw.base, analytic: dprojw.base, count: projw.count, loss: loss), "dprojw")
        expectClose(check.run(values: projb.base, analytic: dprojb.base, count: projb.count, loss: loss), "dprojb")
    }

    @Test func mlpWithGELU() {
        var data = TestData(seed: 3)
        let rows = 5, c = 4, h = 4 * c
        let x = buffer(data.gaussian(rows * c))
        let fcw = buffer(data.gaussian(h * c, std: 0.7)), fcb = buffer(data.gaussian(h, std: 0.3))
        let projw = buffer(data.gaussian(c * h, std: 0.5)), projb = buffer(data.gaussian(c, std: 0.3))
        let r = data.gaussian(rows * c)
        let out = FloatBuffer(count: rows * c), slope = FloatBuffer(count: rows * h), gelu = FloatBuffer(count: rows * h)
        func loss() -> Double {
            MLP.forward(out: out.base, fchSlope: slope.base, fchGelu: gelu.base, inp: x.base, fcw: fcw.base, fcb: fcb.base,
                        projw: projw.base, projb: projb.base, rows: rows, channels: c)
            return projectedLoss(out.base, r)
        }
        _ = loss()
        let dx = FloatBuffer(count: rows * c), dfcw = FloatBuffer(count: fcw.count), dfcb = FloatBuffer(count: h)
        let dprojw = FloatBuffer(count: projw.count), dprojb = FloatBuffer(count: c)
        let dout = buffer(r), dfch = FloatBuffer(count: rows * h)
        MLP.backward(dinp: dx.base, dfcw: dfcw.base, dfcb: dfcb.base, dprojw: dprojw.base, dprojb: dprojb.base,
                     dout: dout.base, fchSlope: slope.base, fchGelu: gelu.base, inp: x.base, fcw: fcw.base,
                     projw: projw.base, dfch: dfch.base, rows: rows, channels: c)
        let check = GradientCheck()
        expectClose(check.run(values: x.base, analytic: dx.base, count: x.count, loss: loss), "MLP dx")
        expectClose(check.run(values: fcw.base, analytic: dfcw.base, count: fcw.count, loss: loss), "MLP dfcw")
        expectClose(check.run(values: fcb.base, analytic: dfcb.base, count: h, loss: loss), "MLP dfcb")
        expectClose(check.run(values: projw.base, analytic: dprojw.base, count: projw.count, loss: loss), "dprojw")
        expectClose(check.run(values: projb.base, analytic: dprojb.base, count: c, loss: loss), "MLP dprojb")
    }

    /// The tanh approximation stays within 1e-3 of the exact x * Phi(x) GELU.
    @Test func geluMatchesErfForm() {
        let xs: [Float] = stride(from: -5, through: 5, by: 0.25).map { Float($0) }
        let inp = buffer(xs), out = FloatBuffer(count: xs.count), slope = FloatBuffer(count: xs.count)
        GELU.forward(out: out.base, slope: slope.base, inp: inp.base, count: xs.count)
        for (i, x) in xs.enumerated() {
            let exact = 0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot()))
            #expect(abs(Double(out.base[i]) - exact) < 1e-3, "gelu(\(x))")
        }
    }

    @Test func embeddingWithRepeatedTokens() {
        var data = TestData(seed: 4)
        let batch = 2, t = 3, c = 4, v = 5
        let tokens: [Int32] = [1, 3, 1, 1, 0, 4]   // token 1 three times: gradients must add up
        let wte = buffer(data.gaussian(v * c)), wpe = buffer(data.gaussian(t * c))
        let r = data.gaussian(batch * t * c)
        let out = FloatBuffer(count: batch * t * c)
        func loss() -> Double {
            tokens.withUnsafeBufferPointer { tok in
                Embedding.forward(out: out.base, tokens: tok.baseAddress!, wte: wte.base, wpe: wpe.base,
                                  batch: batch, seqLen: t, channels: c)
            }
            return projectedLoss(out.base, r)
        }
        _ = loss()
        let dwte = FloatBuffer(count: wte.count), dwpe = FloatBuffer(count: wpe.count), dout = buffer(r)
        tokens.withUnsafeBufferPointer { tok in
            Embedding.backward(dwte: dwte.base, dwpe: dwpe.base, dout: dout.base, tokens: tok.baseAddress!,
                               batch: batch, seqLen: t, channels: c)
        }
        let check = GradientCheck()
        expectClose(check.run(values: wte.base, analytic: dwte.base, count: wte.count, loss: loss), "dwte")
        expectClose(check.run(values: wpe.base, analytic: dwpe.base, count: wpe.count, loss: loss), "dwpe")
        // Token 2 never occurs: its row gets exactly zero gradient.
        for i in 0..<c { #expect(dwte.base[2 * c + i] == 0) }
    }

    @Test func crossEntropy() {
        var data = TestData(seed: 5)
        let rows = 4, v = 7
        let logits = buffer(data.gaussian(rows * v, std: 2))
        let targets: [Int32] = [0, 6, 3, 3]
        let probs = FloatBuffer(count: rows * v), losses = FloatBuffer(count: rows)
        func loss() -> Double {
            targets.withUnsafeBufferPointer { tg in
                CrossEntropy.forward(probs: probs.base, losses: losses.base, logits: logits.base,
                                     targets: tg.baseAddress!, rows: rows, vocab: v)
            }
            var s = 0.0
            for i in 0..<rows { s += Double(losses.base[i]) }
            return s / Double(rows)
        }
        // Loss of row 0 against an independent Double log-sum-exp.
        _ = loss()
        var lse = 0.0
        for i in 0..<v { lse += exp(Double(logits.base[i])) }
        #expect(abs(Double(losses.base[0]) - (log(lse) - Double(logits.base[0]))) < 1e-5)
        let dlogits = FloatBuffer(count: rows * v)
        targets.withUnsafeBufferPointer { tg in
            CrossEntropy.backward(dlogits: dlogits.base, dloss: 1, probs: probs.base, targets: tg.baseAddress!,
                                  rows: rows, vocab: v)
        }
        let check = GradientCheck()
        expectClose(check.run(values: logits.base, analytic: dlogits.base, count: logits.count, loss: loss), "dlogits")
    }

    /// Huge logits must not overflow: the max is subtracted before exp.
    @Test func crossEntropyIsStableForLargeLogits() {
        let logits = buffer([1000, 0, -1000]), probs = FloatBuffer(count: 3), losses = FloatBuffer(count: 1)
        let targets: [Int32] = [1]
        targets.withUnsafeBufferPointer { tg in
            CrossEntropy.forward(probs: probs.base, losses: losses.base, logits: logits.base,
                                 targets: tg.baseAddress!, rows: 1, vocab: 3)
        }
        #expect(abs(losses.base[0] - 1000) < 1e-3)
        #expect(probs.base[0] == 1)
    }
}
