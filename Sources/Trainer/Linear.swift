/// Fully connected layer y = x W^T + b on row-major [rows, in] inputs, W stored [out, in].
/// Shared by attention (QKV and output projections), the MLP and the tied unembedding.
/// Backward ACCUMULATES into dinp, dweight and dbias (llm.c convention), so a residual branch and
/// a tied weight add their gradients without extra buffers; `accumulateInput: false` overwrites dinp
/// instead, for scratch gradients that would otherwise need zeroing first.
///
/// With several trainer workers the rows (forward, dinp) or the output features (dweight, dbias) are
/// split into contiguous bands, each computed by a single-threaded sgemm: each band writes disjoint
/// memory and sums in a fixed order, so results do not depend on thread timing.
enum Linear {
    /// True when `.hybrid` should give this product to OpenBLAS's threads instead of row bands.
    @inline(__always)
    static func isLarge(rows: Int, inC: Int, outC: Int) -> Bool {
        BLASThreads.largeGEMMThreads > 1 && 2 * rows * inC * outC >= BLASThreads.largeGEMMFlops
    }

    /// `residual` (optional, [rows, outC]) is added to the output: out = residual + x W^T + b. Folding the
    /// residual add into the rows the sgemm accumulates onto saves a separate pass over the output.
    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        rows: Int, inC: Int, outC: Int, residual: UnsafePointer<Float>? = nil) {
        let beta: Float = bias == nil && residual == nil ? 0 : 1
        if isLarge(rows: rows, inC: inC, outC: outC) {
            if beta != 0 {
                Parallel.bands(rows, minimum: 32) { start, count in
                    initialiseRows(out, bias: bias, residual: residual, start: start, count: count, outC: outC)
                }
            }
            BLASThreads.withLargeGEMMThreads {
                sgemm(false, true, rows, outC, inC, 1, inp, inC, weight, inC, beta, out, outC)
            }
            return
        }
        Parallel.bands(rows, minimum: 32) { start, count in
            if beta != 0 {
                initialiseRows(out, bias: bias, residual: residual, start: start, count: count, outC: outC)
            }
            sgemm(false, true, count, outC, inC, 1, inp + start * inC, inC, weight, inC, beta,
                  out + start * outC, outC)
        }
    }

    /// out rows start..<start+count = residual + bias (either may be absent, not both).
    @inline(__always)
    private static func initialiseRows(_ out: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                                       residual: UnsafePointer<Float>?, start: Int, count: Int, outC: Int) {
        for r in start..<(start &+ count) {
            let o = out + r &* outC
            if let residual {
                let x = residual + r &* outC
                if let bias {
                    for i in 0..<outC { o[i] = x[i] + bias[i] }
                } else {
                    o.update(from: x, count: outC)
                }
            } else if let bias {
                o.update(from: bias, count: outC)
            }
        }
    }

    static func backward(dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>,
                         dbias: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         rows: Int, inC: Int, outC: Int, accumulateInput: Bool = true) {
        if isLarge(rows: rows, inC: inC, outC: outC) {
            BLASThreads.withLargeGEMMThreads {
                sgemm(true, false, outC, inC, rows, 1, dout, outC, inp, inC, 1, dweight, inC)
                if let dinp {
                    sgemm(false, false, rows, inC, outC, 1, dout, outC, weight, inC, accumulateInput ? 1 : 0, dinp, inC)
                }
            }
            if let dbias {
                Parallel.bands(outC, minimum: 16) { start, count in
                    addColumnSums(dbias, dout, rows: rows, start: start, count: count, stride: outC)
                }
            }
            return
        }
        // dW[o, i] += sum_r dout[r, o] inp[r, i]; db[o] += sum_r dout[r, o]. Split over o.
        Parallel.bands(outC, minimum: 16) { start, count in
            sgemm(true, false, count, inC, rows, 1, dout + start, outC, inp, inC, 1, dweight + start * inC, inC)
            if let dbias { addColumnSums(dbias, dout, rows: rows, start: start, count: count, stride: outC) }
        }
        // dx[r, i] += sum_o dout[r, o] W[o, i]. Split over r.
        if let dinp {
            Parallel.bands(rows, minimum: 32) { start, count in
                sgemm(false, false, count, inC, outC, 1, dout + start * outC, outC, weight, inC,
                      accumulateInput ? 1 : 0,
                      dinp + start * inC, inC)
            }
        }
    }

    /// db[start..<start+count] += column sums of the [rows, stride] matrix m over those columns.
    @inline(__always)
    static func addColumnSums(_ db: UnsafeMutablePointer<Float>, _ m: UnsafePointer<Float>, rows: Int,
                              start: Int, count: Int, stride: Int) {
        let d = db + start
        for r in 0..<rows {
            let row = m + (r &* stride &+ start)
            for o in 0..<count { d[o] += row[o] }
        }
    }
}
