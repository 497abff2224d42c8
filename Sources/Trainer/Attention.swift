import Foundation

/// Causal multi-head self-attention sublayer (Vaswani et al. 2017, Eq. 1), plus `residual` when given (added to out):
/// qkv = x Wqkv^T + bqkv; per head A = softmax(mask(Q K^T / sqrt(hs))); y = A V; out = y Wproj^T + bproj.
///
/// qkv rows are [q | k | v], each C wide, head h at columns h*hs..<(h+1)*hs, so one head's Q, K, V are
/// strided T x hs matrices (leading dimension 3C) that sgemm reads in place. Each (batch, head) pair is
/// an independent work item: two sgemms forward, four backward, plus the row softmax.
/// Queries are processed in blocks of rows (`queryBlock`) so the products only touch the causal
/// prefix of the keys; within a block the masked entries are set to exactly 0, so they add nothing.
enum Attention {
    /// Saved-for-backward and scratch buffer sizes, in floats, for one call.
    static func attSize(batch: Int, seqLen: Int, nHead: Int) -> Int { batch * nHead * seqLen * seqLen }

    /// Query rows per block. Block i only needs keys 0..<(i+1)*block (causal), which skips about
    /// (1 - block/T)/2 of the score and value products; 32 keeps the sgemms large enough to be efficient.
    /// Short sequences use two blocks, so the tests' small configs exercise the blocked path too.
    static func queryBlock(seqLen: Int) -> Int { seqLen >= 64 ? 32 : max(1, (seqLen + 1) / 2) }

    static func forward(out: UnsafeMutablePointer<Float>, qkv: UnsafeMutablePointer<Float>,
                        att: UnsafeMutablePointer<Float>, atty: UnsafeMutablePointer<Float>,
                        inp: UnsafePointer<Float>,
                        qkvw: UnsafePointer<Float>, qkvb: UnsafePointer<Float>,
                        projw: UnsafePointer<Float>, projb: UnsafePointer<Float>,
                        batch: Int, seqLen: Int, channels: Int, nHead: Int,
                        residual: UnsafePointer<Float>? = nil) {
        let c = channels, t = seqLen, hs = c / nHead, c3 = 3 * c
        let scale = 1 / Float(hs).squareRoot()
        Linear.forward(out: qkv, inp: inp, weight: qkvw, bias: qkvb, rows: batch * t, inC: c, outC: c3)
        let block = queryBlock(seqLen: t)
        Parallel.forEach(batch * nHead) { item in
            let b = item / nHead, h = item % nHead
            let q = qkv + b * t * c3 + h * hs
            let k = q + c, v = q + 2 * c
            let a = att + item * t * t
            let y = atty + b * t * c + h * hs
            for q0 in stride(from: 0, to: t, by: block) {
                let rowsHere = min(block, t - q0), keys = q0 + rowsHere   // causal: keys 0..<keys only
                let aq = a + q0 * t
                sgemm(false, true, rowsHere, keys, hs, scale, q + q0 * c3, c3, k, c3, 0, aq, t)
                for row in q0..<(q0 &+ rowsHere) {
                    let p = a + row &* t
                    let maxv = FastMath.max(p, count: row &+ 1)
                    let inv = 1 / FastMath.expShiftedSum(p, count: row &+ 1, shift: maxv)
                    for s in 0...row { p[s] *= inv }
                    for s in (row &+ 1)..<keys { p[s] = 0 }   // later keys are never read
                }
                sgemm(false, false, rowsHere, hs, keys, 1, aq, t, v, c3, 0, y + q0 * c, c)
            }
        }
        Linear.forward(out: out, inp: atty, weight: projw, bias: projb, rows: batch * t, inC: c, outC: c,
                       residual: residual)
    }

    /// Accumulates into dinp (overwrites it when `accumulateInput` is false) and the four parameter gradients. `datty` [B*T, C], `dqkv` [B*T, 3C] and
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
                         batch: Int, seqLen: Int, channels: Int, nHead: Int, accumulateInput: Bool = true) {
        let c = channels, t = seqLen, hs = c / nHead, c3 = 3 * c, rows = batch * t
        let scale = 1 / Float(hs).squareRoot()
        Linear.backward(dinp: datty, dweight: dprojw, dbias: dprojb, dout: dout, inp: atty, weight: projw,
                        rows: rows, inC: c, outC: c, accumulateInput: false)
        let block = queryBlock(seqLen: t)
        Parallel.forEach(batch * nHead) { item in
            let b = item / nHead, h = item % nHead
            let off = b * t * c3 + h * hs
            let q = qkv + off, k = q + c, v = q + 2 * c
            let dq = dqkv + off, dk = dq + c, dv = dq + 2 * c
            let a = att + item * t * t
            let da = datt + item * t * t
            let dyHead = datty + b * t * c + h * hs
            // Last query block first: it spans every key, so its beta-0 products initialise all of dK, dV.
            var first = true
            for q0 in stride(from: 0, to: t, by: block).reversed() {
                let rowsHere = min(block, t - q0), keys = q0 + rowsHere
                let aq = a + q0 * t, daq = da + q0 * t, dy = dyHead + q0 * c
                let beta: Float = first ? 0 : 1
                first = false
                sgemm(false, true, rowsHere, keys, hs, 1, dy, c, v, c3, 0, daq, t)        // dA = dY V^T
                sgemm(true, false, keys, hs, rowsHere, 1, aq, t, dy, c, beta, dv, c3)    // dV += A^T dY
                // Softmax backward per row: dS = A * (dA - sum(A * dA)) over the unmasked keys.
                for row in q0..<(q0 &+ rowsHere) {
                    let p = a + row &* t, d = da + row &* t
                    let dot = FastMath.dot(p, d, count: row &+ 1)
                    for s in 0...row { d[s] = p[s] * (d[s] - dot) }
                    for s in (row &+ 1)..<keys { d[s] = 0 }
                }
                sgemm(false, false, rowsHere, hs, keys, scale, daq, t, k, c3, 0, dq + q0 * c3, c3)  // dQ = dS K / sqrt(hs)
                sgemm(true, false, keys, hs, rowsHere, scale, daq, t, q + q0 * c3, c3, beta, dk, c3) // dK += dS^T Q / sqrt(hs)
            }
        }
        Linear.backward(dinp: dinp, dweight: dqkvw, dbias: dqkvb, dout: dqkv, inp: inp, weight: qkvw,
                        rows: rows, inC: c, outC: c3, accumulateInput: accumulateInput)
    }
}
