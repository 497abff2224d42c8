import Foundation

/// Position-wise feed-forward sublayer (plus `residual` when given, which is added to out):
/// out = GELU(x W1^T + b1) W2^T + b2 with a
/// 4C hidden width (GPT-2). GELU uses the tanh approximation of Hendrycks & Gimpel (2016):
/// gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
enum MLP {
    static let geluScale: Float = (2 / Float.pi).squareRoot()

    /// Saves, each [rows, 4C], the hidden activation `fchGelu` and the GELU slope at the pre-activation,
    /// `fchSlope` (the sgemm writes the pre-activation there and the GELU pass overwrites it in place).
    /// The slope is all the backward pass needs of the pre-activation, so it reads one array instead of
    /// the pre-activation plus a saved gate, and the forward pass writes one array fewer.
    static func forward(out: UnsafeMutablePointer<Float>, fchSlope: UnsafeMutablePointer<Float>,
                        fchGelu: UnsafeMutablePointer<Float>,
                        inp: UnsafePointer<Float>,
                        fcw: UnsafePointer<Float>, fcb: UnsafePointer<Float>,
                        projw: UnsafePointer<Float>, projb: UnsafePointer<Float>,
                        rows: Int, channels: Int, residual: UnsafePointer<Float>? = nil) {
        let c = channels, h = 4 * channels
        // The hidden bias is added in the GELU pass, which reads and writes fch anyway.
        Linear.forward(out: fchSlope, inp: inp, weight: fcw, bias: nil, rows: rows, inC: c, outC: h)
        GELU.forward(out: fchGelu, slope: fchSlope, inp: fchSlope, bias: fcb, rows: rows, width: h)
        Linear.forward(out: out, inp: fchGelu, weight: projw, bias: projb, rows: rows, inC: h, outC: c,
                       residual: residual)
    }

    /// Accumulates into dinp (overwrites it when `accumulateInput` is false) and the parameter gradients; `dfch` [rows, 4C] is scratch.
    static func backward(dinp: UnsafeMutablePointer<Float>,
                         dfcw: UnsafeMutablePointer<Float>, dfcb: UnsafeMutablePointer<Float>,
                         dprojw: UnsafeMutablePointer<Float>, dprojb: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, fchSlope: UnsafePointer<Float>,
                         fchGelu: UnsafePointer<Float>,
                         inp: UnsafePointer<Float>,
                         fcw: UnsafePointer<Float>, projw: UnsafePointer<Float>,
                         dfch: UnsafeMutablePointer<Float>,
                         rows: Int, channels: Int, accumulateInput: Bool = true) {
        let c = channels, h = 4 * channels
        Linear.backward(dinp: dfch, dweight: dprojw, dbias: dprojb, dout: dout, inp: fchGelu, weight: projw,
                        rows: rows, inC: h, outC: c, accumulateInput: false)
        GELU.backward(dinp: dfch, slope: fchSlope, count: rows * h)
        Linear.backward(dinp: dinp, dweight: dfcw, dbias: dfcb, dout: dfch, inp: inp, weight: fcw,
                        rows: rows, inC: c, outC: h, accumulateInput: accumulateInput)
    }
}

/// The tanh-approximated GELU used by the MLP, evaluated through the identity
/// 0.5 (1 + tanh(u)) = sigmoid(2u), so gelu(x) = x * s with s = 1 / (1 + exp(-2u)) and
/// gelu'(x) = s + 2 x s (1 - s) du/dx, du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
/// Uses FastMath.exp so the loops vectorise. The forward pass computes the slope gelu'(x) while s is at
/// hand and stores it, so the backward pass is one multiply per element.
enum GELU {
    static let cubic: Float = 0.044715

    /// gelu'(x) from x and its gate s = sigmoid(2u).
    @inline(__always)
    static func derivative(_ x: Float, gate s: Float) -> Float {
        let du = MLP.geluScale * (1 + 3 * cubic * x * x)
        return s + 2 * x * s * (1 - s) * du
    }

    /// out = gelu(inp); slope = gelu'(inp), kept for the backward pass. `slope` may be `inp` (in place).
    static func forward(out: UnsafeMutablePointer<Float>, slope: UnsafeMutablePointer<Float>,
                        inp: UnsafePointer<Float>, count: Int) {
        let k = MLP.geluScale
        Parallel.bands(count, minimum: 4096) { start, n in
            let o = out + start, d = slope + start, x = inp + start
            for i in 0..<n {
                let xi = x[i]
                let s = 1 / (1 + FastMath.exp(-2 * k * (xi + cubic * xi * xi * xi)))
                o[i] = xi * s
                d[i] = derivative(xi, gate: s)
            }
        }
    }

    /// Row-wise variant that first adds `bias` [width] to every row of `inp` (the pre-activation is
    /// x W^T + b), then writes gelu and its slope as `forward(out:slope:inp:count:)` does.
    /// `slope` may be `inp`: each element is read before its slope overwrites it.
    static func forward(out: UnsafeMutablePointer<Float>, slope: UnsafeMutablePointer<Float>,
                        inp: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int) {
        let k = MLP.geluScale
        Parallel.bands(rows, minimum: 8) { start, count in
            for r in start..<(start &+ count) {
                let base = r &* width
                let o = out + base, d = slope + base, x = inp + base
                for i in 0..<width {
                    let xi = x[i] + bias[i]
                    let s = 1 / (1 + FastMath.exp(-2 * k * (xi + cubic * xi * xi * xi)))
                    o[i] = xi * s
                    d[i] = derivative(xi, gate: s)
                }
            }
        }
    }

    /// In place: dgrad[i] *= slope[i], where dgrad holds d loss / d gelu(x) on entry.
    static func backward(dinp dgrad: UnsafeMutablePointer<Float>, slope: UnsafePointer<Float>, count: Int) {
        Parallel.bands(count, minimum: 4096) { start, n in
            let d = dgrad + start, g = slope + start
            for i in 0..<n { d[i] *= g[i] }
        }
    }
}
