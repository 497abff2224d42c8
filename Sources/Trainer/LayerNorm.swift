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
                    // Three short passes instead of one: the row sums use FastMath's interleaved
                    // accumulators and the other two loops have no carried dependency, so all three
                    // vectorise (a single loop with running sums stays scalar).
                    let (gSum, gxSum) = rowSums(d, weight, x, mean: m, rstd: s, count: c)
                    let gMean = gSum * invC, gxMean = gxSum * invC
                    for i in 0..<c {
                        let xhat = (x[i] - m) * s
                        dw[i] += d[i] * xhat
                        db[i] += d[i]
                    }
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

    /// (sum of g, sum of g * xhat) over one row, g = d * w and xhat = (x - m) * s, with eight
    /// interleaved accumulators per sum in a fixed order (the same scheme as FastMath.sum).
    @inline(__always)
    static func rowSums(_ d: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                        mean m: Float, rstd s: Float, count: Int) -> (Float, Float) {
        var g = SIMD8<Float>(), gx = SIMD8<Float>()
        var i = 0
        while i &+ 8 <= count {
            let dv = UnsafeRawPointer(d + i).loadUnaligned(as: SIMD8<Float>.self)
            let wv = UnsafeRawPointer(w + i).loadUnaligned(as: SIMD8<Float>.self)
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let gv = dv * wv
            g += gv
            gx += gv * ((xv - m) * s)
            i &+= 8
        }
        var gTail: Float = 0, gxTail: Float = 0
        while i < count {
            let gi = d[i] * w[i]
            gTail += gi
            gxTail += gi * ((x[i] - m) * s)
            i &+= 1
        }
        func reduce(_ a: SIMD8<Float>) -> Float { ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7])) }
        return (reduce(g) + gTail, reduce(gx) + gxTail)
    }
}
