import Foundation

/// AdamW (Loshchilov & Hutter 2019, Algorithm 2) over the model's flat parameter buffer:
/// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; mhat = m/(1-b1^t); vhat = v/(1-b2^t);
/// p -= lr * (mhat / (sqrt(vhat) + eps) + wd * p).
/// The decay is decoupled from the gradient and scaled by the step's lr (PyTorch's convention), and is
/// applied only to linear-layer weight matrices: not to LayerNorm scales/shifts, biases, or the position
/// and token embeddings. The token embedding doubles as the tied unembedding; it is treated as an
/// embedding and NOT decayed (decaying it would shrink the input embedding too).
/// Defaults follow GPT-3 / nanoGPT: b1 0.9, b2 0.95, eps 1e-8, weight decay 0.1.
public struct AdamW: Sendable, Equatable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// Updates taken so far (the bias-correction exponent t of the next update is `step + 1`).
    public var step: Int
    /// First and second moments, same layout as the parameters.
    public var m: [Float]
    public var v: [Float]
    /// Parameter index ranges that receive weight decay.
    public let decayRanges: [Range<Int>]

    public init(layout: ParameterLayout, beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8,
                weightDecay: Float = 0.1) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        step = 0
        m = Array(repeating: 0, count: layout.total)
        v = Array(repeating: 0, count: layout.total)
        decayRanges = layout.tensors.filter(\.isLinearWeight).map { $0.offset..<($0.offset + $0.count) }
    }

    /// One update of `model.parameters` from `model.gradients` with learning rate `lr`.
    public mutating func update(_ model: Model, lr: Float) {
        precondition(model.parameters.count == m.count, "optimizer state does not match the model")
        step += 1
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        let p = model.parameters.base, g = UnsafePointer(model.gradients.base)
        let n = m.count
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let decay = decayMask(count: n)
        m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in
                let mp = mb.baseAddress!, vp = vb.baseAddress!
                for (range, wd) in decay {
                    Parallel.bands(range.count, minimum: 1 << 15) { start, count in
                        let lo = range.lowerBound &+ start
                        AdamW.update(p + lo, g + lo, mp + lo, vp + lo, count: count,
                                     b1: b1, b2: b2, eps: eps, lr: lr, wd: wd, c1: c1, c2: c2)
                    }
                }
            }
        }
    }

    /// The update of `count` consecutive parameters, 8 at a time with SIMD8 (the four arrays defeat the
    /// auto-vectoriser's alias checks, so the plain loop ran scalar), then a scalar tail. Both evaluate
    /// the same expression per element in the same order, so the result does not depend on the split.
    @inline(__always)
    private static func update(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                               _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                               b1: Float, b2: Float, eps: Float, lr: Float, wd: Float, c1: Float, c2: Float) {
        typealias V = SIMD8<Float>
        var i = 0
        while i &+ 8 <= count {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * gi
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * gi * gi
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            let mhat = mi / c1, vhat = vi / c2
            let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
            let step = lr * (mhat / (vhat.squareRoot() + eps) + wd * pi)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pi - step, as: V.self)
            i &+= 8
        }
        while i < count {
            let gi = g[i]
            let mi = b1 * m[i] + (1 - b1) * gi
            let vi = b2 * v[i] + (1 - b2) * gi * gi
            m[i] = mi
            v[i] = vi
            let mhat = mi / c1, vhat = vi / c2
            p[i] -= lr * (mhat / (vhat.squareRoot() + eps) + wd * p[i])
            i &+= 1
        }
    }

    /// The whole index range split into consecutive (range, decay) pieces.
    private func decayMask(count: Int) -> [(Range<Int>, Float)] {
        var pieces: [(Range<Int>, Float)] = []
        var cursor = 0
        for r in decayRanges {
            if r.lowerBound > cursor { pieces.append((cursor..<r.lowerBound, 0)) }
            pieces.append((r, weightDecay))
            cursor = r.upperBound
        }
        if cursor < count { pieces.append((cursor..<count, 0)) }
        return pieces
    }
}

extension Model {
    /// Global-norm gradient clipping (Pascanu et al. 2013): if ||g||_2 > maxNorm, scales all gradients
    /// by maxNorm / ||g||. Returns the norm before clipping (accumulated in Double), which a
    /// non-finite value flags as divergence.
    @discardableResult
    public func clipGradients(maxNorm: Float) -> Float {
        let g = gradients.base, total = gradients.count
        // One Double partial per chunk of 2^15 gradients, added in chunk order: the chunks do not depend
        // on the worker count, so neither does the norm (nor the losses after a clipped step).
        let parts = max(1, (total + (1 << 15) - 1) >> 15)
        var partials = [Double](repeating: 0, count: parts)
        partials.withUnsafeMutableBufferPointer { pb in
            Parallel.forEach(parts) { part in
                var sum = 0.0
                for i in (total * part / parts)..<(total * (part + 1) / parts) { sum += Double(g[i]) * Double(g[i]) }
                pb[part] = sum
            }
        }
        var sum = 0.0
        for part in partials { sum += part }
        let norm = Float(sum.squareRoot())
        if norm.isFinite, norm > maxNorm {
            let scale = maxNorm / norm
            Parallel.bands(total, minimum: 1 << 15) { start, n in
                for i in start..<(start &+ n) { g[i] *= scale }
            }
        }
        return norm
    }
}
