import Foundation

/// LayerNorm over the channel axis (Ba et al. 2016): y = (x - mean) / sqrt(var + 1e-5) * w + b.
/// Forward saves each row's mean and reciprocal std for the backward pass.
enum LayerNorm {
    static let epsilon: Float = 1e-5

    static func forward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                        rstd: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                        rows: Int, channels: Int) {
        let c = channels
        let invC = 1 / Float(c)
        Parallel.bands(rows, minimum: 64) { start, count in
            for r in start..<(start &+ count) {
                let x = inp + r &* c
                let m = FastMath.sum(x, count: c) * invC
                let o = out + r &* c
                for i in 0..<c { o[i] = x[i] - m }                      // centred row, reused below
                let s = 1 / (FastMath.dot(o, o, count: c) * invC + epsilon).squareRoot()
                for i in 0..<c { o[i] = o[i] * s * weight[i] + bias[i] }
                mean[r] = m
                rstd[r] = s
            }
        }
    }

    /// With xhat = (x - mean) * rstd and g = dout * w:
    /// dx += rstd * (g - mean(g) - xhat * mean(g * xhat)); dw += dout * xhat; db += dout.
    static func backward(dinp: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>,
                         dbias: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                         rows: Int, channels: Int) {
        let c = channels
        let invC = 1 / Float(c)
        // dx rows are independent: row bands in parallel. dw/db reduce over rows: with one band they
        // accumulate straight into dweight/dbias; with several, each band sums its rows into its own
        // partial and the partials are added in band order, so the result is fixed for a worker count.
        let parts = Parallel.bandCount(rows, minimum: 64)
        var partials = [Float](repeating: 0, count: parts > 1 ? parts * 2 * c : 0)
        partials.withUnsafeMutableBufferPointer { pb in
            Parallel.forEach(parts) { part in
                let start = rows * part / parts, end = rows * (part + 1) / parts
                let dw = parts > 1 ? pb.baseAddress! + part * 2 * c : dweight
                let db = parts > 1 ? dw + c : dbias
                for r in start..<end {
                    let x = inp + r &* c
                    let d = dout + r &* c
                    let m = mean[r], s = rstd[r]
                    var gMean: Float = 0, gxMean: Float = 0
                    for i in 0..<c {
                        let g = d[i] * weight[i]
                        let xhat = (x[i] - m) * s
                        gMean += g
                        gxMean += g * xhat
                        dw[i] += d[i] * xhat
                        db[i] += d[i]
                    }
                    gMean *= invC
                    gxMean *= invC
                    let dx = dinp + r &* c
                    for i in 0..<c {
                        let xhat = (x[i] - m) * s
                        dx[i] += s * (d[i] * weight[i] - gMean - xhat * gxMean)
                    }
                }
            }
            for part in 0..<(parts > 1 ? parts : 0) {
                let dw = pb.baseAddress! + part * 2 * c, db = dw + c
                for i in 0..<c {
                    dweight[i] += dw[i]
                    dbias[i] += db[i]
                }
            }
        }
    }
}
