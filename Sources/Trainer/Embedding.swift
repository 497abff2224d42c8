/// Token plus learned position embedding: out[b, t] = wte[token[b, t]] + wpe[t].
enum Embedding {
    static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
                        wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>,
                        batch: Int, seqLen: Int, channels: Int) {
        let c = channels
        for b in 0..<batch {
            for t in 0..<seqLen {
                let bt = b &* seqLen &+ t
                let o = out + bt &* c
                let e = wte + Int(tokens[bt]) &* c
                let p = wpe + t &* c
                for i in 0..<c { o[i] = e[i] + p[i] }
            }
        }
    }

    /// Accumulates dout into the rows of dwte picked by the tokens and into dwpe. Serial, so repeated
    /// tokens always add in the same order.
    static func backward(dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>,
                         batch: Int, seqLen: Int, channels: Int) {
        let c = channels
        for b in 0..<batch {
            for t in 0..<seqLen {
                let bt = b &* seqLen &+ t
                let d = dout + bt &* c
                let e = dwte + Int(tokens[bt]) &* c
                let p = dwpe + t &* c
                for i in 0..<c {
                    e[i] += d[i]
                    p[i] += d[i]
                }
            }
        }
    }
}
