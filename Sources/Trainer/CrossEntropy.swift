import Foundation

/// Softmax cross-entropy over the vocabulary. Forward turns logits into probabilities (stable:
/// the row maximum is subtracted before exp; `probs` may alias `logits`) and per-position losses -log p[target]; the batch loss
/// is their mean. Backward writes d(mean loss)/d logits = (p - onehot(target)) * dloss / rows.
enum CrossEntropy {
    static func forward(probs: UnsafeMutablePointer<Float>, losses: UnsafeMutablePointer<Float>,
                        logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                        rows: Int, vocab: Int) {
        Parallel.bands(rows, minimum: 16) { start, count in
            for r in start..<(start &+ count) {
                let z = logits + r &* vocab
                let p = probs + r &* vocab
                let tgt = Int(targets[r])
                let zt = z[tgt]  // read before the row is overwritten (probs may alias logits)
                let maxv = FastMath.max(z, count: vocab)
                if p != UnsafeMutablePointer(mutating: z) { p.update(from: z, count: vocab) }
                let sum = FastMath.expShiftedSum(p, count: vocab, shift: maxv)
                let inv = 1 / sum
                for i in 0..<vocab { p[i] *= inv }
                // -log p[target] from the logits directly, so a tiny probability does not underflow to -inf.
                losses[r] = logf(sum) - (zt - maxv)
            }
        }
    }

    /// `dlogits` may alias `probs` (the model reuses the logits buffer); overwritten, not accumulated.
    /// `meanOver` is the number of positions the loss is averaged over (default `rows`; more when these
    /// rows are one part of a batch split between workers).
    static func backward(dlogits: UnsafeMutablePointer<Float>, dloss: Float,
                         probs: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                         rows: Int, vocab: Int, meanOver: Int? = nil) {
        let scale = dloss / Float(meanOver ?? rows)
        Parallel.bands(rows, minimum: 16) { start, count in
            for r in start..<(start &+ count) {
                let p = probs + r &* vocab
                let d = dlogits + r &* vocab
                for i in 0..<vocab { d[i] = p[i] * scale }
                d[Int(targets[r])] -= scale
            }
        }
    }
}
