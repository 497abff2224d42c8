import Foundation

/// Causal multi-head self-attention sublayer (Vaswani et al. 2017, Eq. 1), without the residual:
/// qkv = x Wqkv^T + bqkv; per head A = softmax(mask(Q K^T / sqrt(hs))); y = A V; out = y Wproj^T + bproj.
///
/// qkv rows are [q | k | v], each C wide, head h at columns h*hs..<(h+1)*hs, so one head's Q, K, V are
/// strided T x hs matrices (leading dimension 3C) that sgemm reads in place. Each (batch, head) pair is
/// an independent work item: two sgemms forward, four backward, plus the row softmax.
/// The score sgemm fills the full T x T block; the masked upper triangle is then set to exactly 0 so
/// the A V product (and every backward product) ignores it.
enum Attention {
    /// Saved-for-backward and scratch buffer sizes, in floats, for one call.
    static func attSize(batch: Int, seqLen: Int, nHead: Int) -> Int { batch * nHead * seqLen * seqLen }

    static func forward(out: UnsafeMutablePointer<Float>, qkv: UnsafeMutablePointer<Float>,
                        att: UnsafeMutablePointer<Float>, atty: UnsafeMutablePointer<Float>,
                        inp: UnsafePointer<Float>,
                        qkvw: UnsafePointer<Float>, qkvb: UnsafePointer<Float>,
                        projw: UnsafePointer<Float>, projb: UnsafePointer<Float>,
                        batch: Int, seqLen: Int, channels: Int, nHead: Int) {
        let c = channels, t = seqLen, hs = c / nHead, c3 = 3 * c
        let scale = 1 / Float(hs).squareRoot()
        Linear.forward(out: qkv, inp: inp, weight: qkvw, bias: qkvb, rows: batch * t, inC: c, outC: c3)
        Parallel.forEach(batch * nHead) { item in
            let b = item / nHead, h = item % nHead
            let q = qkv + b * t * c3 + h * hs
            let k = q + c, v = q + 2 * c
            let a = att + item * t * t
            sgemm(false, true, t, t, hs, scale, q, c3, k, c3, 0, a, t)
            for row in 0..<t {
                let p = a + row &* t
                let maxv = FastMath.max(p, count: row &+ 1)
                let inv = 1 / FastMath.expShiftedSum(p, count: row &+ 1, shift: maxv)
                for s in 0...row { p[s] *= inv }
                for s in (row &+ 1)..<t { p[s] = 0 }
            }
            sgemm(false, false, t, hs, t, 1, a, t, v, c3, 0, atty + b * t * c + h * hs, c)
        }
        Linear.forward(out: out, inp: atty, weight: projw, bias: projb, rows: batch * t, inC: c, outC: c)
    }

    /// Accumulates into dinp and the four parameter gradients. `datty` [B*T, C], `dqkv` [B*T, 3C] and
    /// `datt` [B, nHead, T, T] are scratch, overwritten.
    static func backward(dinp: UnsafeMutablePointer<Float>,
                         dqkvw: UnsafeMutablePointer<Float>, dqkvb: UnsafeMutablePointer<Float>,
                         dprojw: UnsafeMutablePointer<Float>, dprojb: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
                         att: UnsafePointer<Float>, atty: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>,
                         qkvw: UnsafePointer<Float>, projw: UnsafePointer<Float>,
                         datty: UnsafeMutablePointer<Float>, dqkv: UnsafeMutablePointer<Float>,
                         datt: UnsafeMutablePointer<Float>,
                         batch: Int, seqLen: Int, channels: Int, nHead: Int) {
        let c = channels, t = seqLen, hs = c / nHead, c3 = 3 * c, rows = batch * t
        let scale = 1 / Float(hs).squareRoot()
        datty.update(repeating: 0, count: rows * c)
        Linear.backward(dinp: datty, dweight: dprojw, dbias: dprojb, dout: dout, inp: atty, weight: projw,
                        rows: rows, inC: c, outC: c)
        Parallel.forEach(batch * nHead) { item in
            let b = item / nHead, h = item % nHead
            let off = b * t * c3 + h * hs
            let q = qkv + off, k = q + c, v = q + 2 * c
            let dq = dqkv + off, dk = dq + c, dv = dq + 2 * c
            let a = att + item * t * t
            let da = datt + item * t * t
            let dy = datty + b * t * c + h * hs
            sgemm(false, true, t, t, hs, 1, dy, c, v, c3, 0, da, t)      // dA = dY V^T
            sgemm(true, false, t, hs, t, 1, a, t, dy, c, 0, dv, c3)      // dV = A^T dY
            // Softmax backward per row: dS = A * (dA - sum(A * dA)); masked entries get 0.
            for row in 0..<t {
                let p = a + row &* t, d = da + row &* t
                var dot: Float = 0
                for s in 0...row { dot += p[s] * d[s] }
                for s in 0...row { d[s] = p[s] * (d[s] - dot) }
                for s in (row &+ 1)..<t { d[s] = 0 }
            }
            sgemm(false, false, t, hs, t, scale, da, t, k, c3, 0, dq, c3)  // dQ = dS K / sqrt(hs)
            sgemm(true, false, t, hs, t, scale, da, t, q, c3, 0, dk, c3)   // dK = dS^T Q / sqrt(hs)
        }
        Linear.backward(dinp: dinp, dweight: dqkvw, dbias: dqkvb, dout: dqkv, inp: inp, weight: qkvw,
                        rows: rows, inC: c, outC: c3)
    }
}
