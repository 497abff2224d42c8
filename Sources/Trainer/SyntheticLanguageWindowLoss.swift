import Foundation

extension SyntheticLanguage {
    /// Monte-Carlo estimate of the lowest mean loss (nats per predicted byte) any model can reach on
    /// training windows of `seqLen` predictions that start at a random byte offset, as `BatchSampler`
    /// draws them.
    ///
    /// Why it differs from `entropyRate`: a window's first bytes are predicted with little or no
    /// context (the first one from the byte marginal, i.e. at `unigramEntropy`), and the unit the
    /// window starts in is ambiguous until its spelling ends. The window's total entropy is
    /// `H(X_1..X_T) ≈ T·entropyRate + C` with `C` the excess entropy of the process, so the mean loss
    /// over a window is `entropyRate + C/T + o(1/T)`. A model trained on such windows approaches this
    /// value, not `entropyRate`; a fitted irreducible loss should be compared with it.
    ///
    /// Each sampled window is scored by the exact Bayes filter over the hidden state
    /// (unit, byte offset in its spelling), started from the stationary state law `π_i / ℓ̄`.
    public func optimalWindowLoss(seqLen: Int, windows: Int, seed: UInt64 = 0) -> Double {
        precondition(seqLen > 0 && windows > 0)
        var rng = SplitMix64(seed: seed)
        // The initial belief, split by the byte each state emits (so the first step is a lookup).
        var initial = [[Int: Double]](repeating: [:], count: 256)
        for i in 0..<unitCount {
            for (j, b) in spellings[i].enumerated() { initial[Int(b)][i << 4 | j] = stationary[i] / meanUnitLength }
        }
        var total = 0.0
        for _ in 0..<windows {
            // A stationary stream entered at a uniformly random byte: the unit under that byte is
            // drawn size-biased (π_i·len_i/ℓ̄, by rejection), the offset uniformly within it.
            let longest = spellings.map(\.count).max()!
            var unit = sampleStationary(&rng)
            while rng.nextInt(below: longest) >= spellings[unit].count { unit = sampleStationary(&rng) }
            var window = Array(spellings[unit][rng.nextInt(below: spellings[unit].count)...])
            while window.count < seqLen {
                unit = sampleSuccessor(of: unit, &rng)
                window += spellings[unit]
            }
            total += filterLoss(window.prefix(seqLen), initial: initial)
        }
        return total / Double(windows * seqLen)
    }

    /// Sum over positions of -log P(byte_t | bytes before it in `window`), by the exact forward filter
    /// over states (unit, offset) keyed `unit << 4 | offset`; `initial[b]` holds the stationary states
    /// that emit byte `b` (offset uniform within a size-biased unit).
    func filterLoss(_ window: ArraySlice<UInt8>, initial: [[Int: Double]]) -> Double {
        var belief = [Int: Double]()
        var startMass = [Double](repeating: 0, count: unitCount)   // dense: units entered next byte
        var nats = 0.0
        for (t, byte) in window.enumerated() {
            var matched = [(state: Int, p: Double)]()
            var mass = 0.0
            if t == 0 {
                for (state, p) in initial[Int(byte)] { matched.append((state, p)); mass += p }
            } else {
                for (state, p) in belief where spellings[state >> 4][state & 15] == byte {
                    matched.append((state, p))
                    mass += p
                }
            }
            nats -= log(mass)
            guard t + 1 < window.count else { break }
            belief.removeAll(keepingCapacity: true)
            var finished = false
            for (state, p) in matched {
                let unit = state >> 4, offset = state & 15
                if offset + 1 < spellings[unit].count {
                    belief[state + 1] = p / mass   // distinct states stay distinct
                } else {
                    finished = true
                    let w = p / mass
                    for k in successorStart[unit]..<successorStart[unit + 1] {
                        startMass[Int(successorUnits[k])] += w * successorProbabilities[k]
                    }
                }
            }
            if finished {
                for u in 0..<unitCount where startMass[u] > 0 {
                    belief[u << 4] = startMass[u]
                    startMass[u] = 0
                }
            }
        }
        return nats
    }
}
