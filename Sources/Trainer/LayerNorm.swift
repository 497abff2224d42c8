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
        // dx rows are independent: parallel. dw/db reduce over rows: serial, fixed order.
        Parallel.bands(rows, minimum: 64) { start, count in
            for r in start..<(start &+ count) {
                let x = inp + r &* c
                let d = dout + r &* c
                let m = mean[r], s = rstd[r]
                var gMean: Float = 0, gxMean: Float = 0
                for i in 0..<c {
                    let g = d[i] * weight[i]
                    gMean += g
                    gxMean += g * (x[i] - m) * s
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
        for r in 0..<rows {
            let x = inp + r &* c
            let d = dout + r &* c
            let m = mean[r], s = rstd[r]
            for i in 0..<c {
                dweight[i] += d[i] * (x[i] - m) * s
                dbias[i] += d[i]
            }
        }
    }
}
