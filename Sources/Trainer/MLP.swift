import Foundation

/// Position-wise feed-forward sublayer, without the residual: out = GELU(x W1^T + b1) W2^T + b2 with a
/// 4C hidden width (GPT-2). GELU uses the tanh approximation of Hendrycks & Gimpel (2016):
/// gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
enum MLP {
    static let geluScale: Float = (2 / Float.pi).squareRoot()

    static func forward(out: UnsafeMutablePointer<Float>, fch: UnsafeMutablePointer<Float>,
                        fchGelu: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                        fcw: UnsafePointer<Float>, fcb: UnsafePointer<Float>,
                        projw: UnsafePointer<Float>, projb: UnsafePointer<Float>,
                        rows: Int, channels: Int) {
        let c = channels, h = 4 * channels
        Linear.forward(out: fch, inp: inp, weight: fcw, bias: fcb, rows: rows, inC: c, outC: h)
        GELU.forward(out: fchGelu, inp: fch, count: rows * h)
        Linear.forward(out: out, inp: fchGelu, weight: projw, bias: projb, rows: rows, inC: h, outC: c)
    }

    /// Accumulates into dinp and the parameter gradients; `dfch` [rows, 4C] is scratch.
    static func backward(dinp: UnsafeMutablePointer<Float>,
                         dfcw: UnsafeMutablePointer<Float>, dfcb: UnsafeMutablePointer<Float>,
                         dprojw: UnsafeMutablePointer<Float>, dprojb: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, fch: UnsafePointer<Float>,
                         fchGelu: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                         fcw: UnsafePointer<Float>, projw: UnsafePointer<Float>,
                         dfch: UnsafeMutablePointer<Float>,
                         rows: Int, channels: Int) {
        let c = channels, h = 4 * channels
        Linear.backward(dinp: dfch, dweight: dprojw, dbias: dprojb, dout: dout, inp: fchGelu, weight: projw,
                        rows: rows, inC: h, outC: c, accumulateInput: false)
        GELU.backward(dinp: dfch, inp: fch, count: rows * h)
        Linear.backward(dinp: dinp, dweight: dfcw, dbias: dfcb, dout: dfch, inp: inp, weight: fcw,
                        rows: rows, inC: c, outC: h)
    }
}

/// The tanh-approximated GELU used by the MLP, evaluated through the identity
/// 0.5 (1 + tanh(u)) = sigmoid(2u), so gelu(x) = x * s with s = 1 / (1 + exp(-2u)) and
/// gelu'(x) = s + 2 x s (1 - s) du/dx, du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
/// Uses FastMath.exp so the loops vectorise.
enum GELU {
    static let cubic: Float = 0.044715

    @inline(__always)
    static func sigmoid2u(_ x: Float) -> Float {
        let u = MLP.geluScale * (x + cubic * x * x * x)
        return 1 / (1 + FastMath.exp(-2 * u))
    }

    @inline(__always)
    static func derivative(_ x: Float) -> Float {
        let s = sigmoid2u(x)
        let du = MLP.geluScale * (1 + 3 * cubic * x * x)
        return s + 2 * x * s * (1 - s) * du
    }

    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        Parallel.bands(count, minimum: 4096) { start, n in
            let o = out + start, x = inp + start
            for i in 0..<n { o[i] = x[i] * sigmoid2u(x[i]) }
        }
    }

    /// In place: dgrad[i] = dgrad[i] * gelu'(inp[i]), where dgrad holds d loss / d gelu(x) on entry.
    static func backward(dinp dgrad: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        Parallel.bands(count, minimum: 4096) { start, n in
            let d = dgrad + start, x = inp + start
            for i in 0..<n { d[i] *= derivative(x[i]) }
        }
    }
}
