import Foundation

/// How a `SyntheticLanguage` is built from its seed: vocabulary, successor table, stationary law.
extension SyntheticLanguage {
    /// Letters from most to least frequent; weights fall off Zipf-like so the byte marginal is skewed
    /// the way English letters are (a flat alphabet would make the unigram baseline unrealistically high).
    private static let alphabet = Array("etaoinshrdlcumwfgypbvkjxqz".utf8)

    /// `count` distinct words, each spelled as letters + a space, listed by frequency rank. Rank `r`
    /// gets length about `1 + 0.35 log2(r+2)` plus 0-1 letters of noise, clamped to 1...8, so frequent
    /// words are short, as in natural language (Zipf's law of abbreviation).
    static func makeVocabulary(count: Int, rng: inout SplitMix64) -> [[UInt8]] {
        var letterCum = [Double]()
        var run = 0.0
        for r in 0..<alphabet.count { run += pow(Double(r + 1), -0.9); letterCum.append(run) }
        func letter(_ rng: inout SplitMix64) -> UInt8 {
            let u = rng.nextUniform() * run
            return alphabet[letterCum.firstIndex { $0 > u } ?? (alphabet.count - 1)]
        }
        var seen = Set<[UInt8]>()
        var words = [[UInt8]]()
        for r in 0..<count {
            var length = min(8, 1 + Int(0.35 * log2(Double(r + 2))) + rng.nextInt(below: 2))
            var failures = 0
            while true {
                let w = (0..<length).map { _ in letter(&rng) }
                if seen.insert(w).inserted { words.append(w + [UInt8(ascii: " ")]); break }
                failures += 1
                if failures % 40 == 0 { length = min(8, length + 1) }
                precondition(failures < 100_000, "cannot find \(count) distinct words of at most 8 letters")
            }
        }
        return words
    }

    /// The compressed successor table over `wordCount + 1` units (the last one is the sentence end).
    static func makeSuccessors(parameters p: Parameters, rng: inout SplitMix64)
        -> (start: [Int], units: [Int32], probabilities: [Double]) {
        let w = p.wordCount, end = w
        var poolCum = [Double]()
        var run = 0.0
        for r in 0..<w { run += pow(Double(r + 1), -p.poolExponent); poolCum.append(run) }
        func drawWord(_ rng: inout SplitMix64) -> Int {
            let u = rng.nextUniform() * run
            var a = 0, b = w - 1
            while a < b { let m = (a + b) >> 1; if poolCum[m] > u { b = m } else { a = m + 1 } }
            return a
        }
        // A random Hamiltonian cycle over the words: every word is some word's successor and can reach
        // every other word, so the chain is irreducible and π is unique and positive.
        var order = Array(0..<w)
        order.seededShuffle(&rng)
        var cycleNext = [Int](repeating: 0, count: w)
        for k in 0..<w { cycleNext[order[k]] = order[(k + 1) % w] }

        // Zipf weights over a word's successor ranks (the same for every word; the ranking is random).
        let weights = (0..<p.successorsPerWord).map { pow(Double($0 + 1), -p.successorExponent) }
        let total = weights.reduce(0, +)
        var start = [0], units = [Int32](), probs = [Double]()
        var inSet = [Bool](repeating: false, count: w)
        for i in 0...w {
            var chosen = i < w ? [cycleNext[i]] : []
            for j in chosen { inSet[j] = true }
            while chosen.count < p.successorsPerWord {
                let j = drawWord(&rng)
                if !inSet[j] { inSet[j] = true; chosen.append(j) }
            }
            for j in chosen { inSet[j] = false }
            chosen.seededShuffle(&rng)
            let pEnd = i < w
                ? p.sentenceEnd.lowerBound + (p.sentenceEnd.upperBound - p.sentenceEnd.lowerBound) * rng.nextUniform()
                : 0
            for (j, wt) in zip(chosen, weights) {
                units.append(Int32(j))
                probs.append((1 - pEnd) * wt / total)
            }
            if pEnd > 0 { units.append(Int32(end)); probs.append(pEnd) }
            start.append(units.count)
        }
        return (start, units, probs)
    }

    /// Stationary distribution by power iteration on the lazy chain `(I + P)/2`, to L1 change < 1e-13.
    static func stationaryDistribution(start: [Int], units: [Int32], probabilities: [Double]) -> [Double] {
        let n = start.count - 1
        var pi = [Double](repeating: 1 / Double(n), count: n)
        var next = pi
        for _ in 0..<1_000_000 {
            units.withUnsafeBufferPointer { u in
                probabilities.withUnsafeBufferPointer { p in
                    for i in 0..<n { next[i] = 0.5 * pi[i] }
                    for i in 0..<n {
                        let mass = 0.5 * pi[i]
                        for k in start[i]..<start[i + 1] { next[Int(u[k])] += mass * p[k] }
                    }
                }
            }
            let total = next.reduce(0, +)
            var change = 0.0
            for i in 0..<n { next[i] /= total; change += abs(next[i] - pi[i]) }
            swap(&pi, &next)
            if change < 1e-13 { break }
        }
        return pi
    }
}

extension Array {
    /// Fisher-Yates shuffle driven only by `SplitMix64.nextInt(below:)`, so the corpus and the tasks
    /// stay byte-identical even if the standard library changes how `shuffle(using:)` draws numbers.
    mutating func seededShuffle(_ rng: inout SplitMix64) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            swapAt(i, rng.nextInt(below: i + 1))
        }
    }

    func seededShuffled(_ rng: inout SplitMix64) -> [Element] {
        var copy = self
        copy.seededShuffle(&rng)
        return copy
    }
}
