import Foundation

/// The exact best loss on finite windows of the quanta language.
///
/// A training or validation window is `seqLen + 1` bytes starting at a random byte of the stream;
/// the model predicts bytes 1...seqLen, each given the bytes before it in the window. The lowest
/// expected loss of any model is therefore `(H(X_0..X_T) - H(X_0)) / T` with T = seqLen: the block
/// entropy of the stationary stream minus the entropy of the first (given) byte. It is above the
/// entropy rate because a window starts inside an unknown phrase and its first phrase's remaining
/// letters cannot be read off a prefix the window does not show.
///
/// Block entropies, exactly. Because the space ends every phrase and occurs nowhere else, the bytes
/// of a window determine its segmentation. For a stream that starts at a phrase boundary, let
/// `G(m)` be the entropy of its first m bytes. Its first phrase either ends within them (then it is
/// revealed whole, and the rest is a fresh boundary stream of m - |c| bytes) or is cut (then only its
/// m-letter prefix is revealed):
///     G(m) = H(Y_m) + Σ_{k: |c_k| < m} p_k G(m - |c_k|),
/// with `Y_m` the phrase when |c| <= m and its m-prefix otherwise. A window at a random byte starts
/// at offset j of phrase k with probability p_k / ℓ̄ (for each j < |c_k|); its first segment is the
/// suffix c_k[j...] (cut to the window), after which a boundary stream follows:
///     H(X_0..X_{m-1}) = H(S_m) + Σ_{k, j: |c_k| - j < m} (p_k / ℓ̄) G(m - |c_k| + j).
/// Every term is a finite sum over phrases, prefixes and suffixes: no sampling.
extension QuantaLanguage {
    /// Lowest mean loss (nats per predicted byte) of any model on windows of `seqLen` predictions.
    public func optimalWindowLoss(seqLen: Int) -> Double {
        precondition(seqLen > 0)
        return (stationaryBlockEntropy(seqLen + 1) - byteEntropy) / Double(seqLen)
    }

    /// Entropy of the stationary byte marginal (nats): the loss of the best context-free model.
    public var byteEntropy: Double {
        var mass = [Double](repeating: 0, count: 256)
        for (s, p) in zip(spellings, probabilities) { for b in s { mass[Int(b)] += p } }
        return Self.entropy(mass.map { $0 / meanPhraseLength })
    }

    /// `H(X_0..X_{m-1})` of the stationary stream (entered at a uniformly random byte).
    public func stationaryBlockEntropy(_ m: Int) -> Double {
        guard m > 0 else { return 0 }
        let g = boundaryBlockEntropies(upTo: m)
        var segment = [ArraySlice<UInt8>: Double]()
        var rest = 0.0
        for (s, p) in zip(spellings, probabilities) where p > 0 {
            let w = p / meanPhraseLength
            for j in 0..<s.count {
                let suffix = s.count - j
                if suffix < m {
                    segment[s[j...], default: 0] += w
                    rest += w * g[m - suffix]
                } else {
                    segment[s[j..<(j + m)], default: 0] += w
                }
            }
        }
        return Self.entropy(Array(segment.values)) + rest
    }

    /// `G(0...m)`: entropies of the first bytes of a stream started at a phrase boundary.
    public func boundaryBlockEntropies(upTo m: Int) -> [Double] {
        let longest = spellings.map(\.count).max() ?? 0
        var g = [Double](repeating: 0, count: m + 1)
        guard m >= 1 else { return g }
        for n in 1...m {
            // H(Y_n): whole phrases that fit, prefixes of the ones that do not.
            var h = 0.0
            if n >= longest {
                h = phraseEntropy
            } else {
                var prefixes = [ArraySlice<UInt8>: Double]()
                for (s, p) in zip(spellings, probabilities) where p > 0 {
                    if s.count <= n { h -= p * log(p) } else { prefixes[s.prefix(n), default: 0] += p }
                }
                h += Self.entropy(Array(prefixes.values))
            }
            for (s, p) in zip(spellings, probabilities) where s.count < n { h += p * g[n - s.count] }
            g[n] = h
        }
        return g
    }

    static func entropy(_ masses: [Double]) -> Double {
        masses.reduce(0.0) { $1 > 0 ? $0 - $1 * log($1) : $0 }
    }
}
