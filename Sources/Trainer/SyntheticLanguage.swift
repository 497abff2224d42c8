import Foundation

/// The built-in default corpus: a seeded first-order Markov chain over a made-up vocabulary,
/// spelled out in bytes, whose entropy rate is known EXACTLY.
///
/// Why: a scaling-law fit `L(N, D) = E + A/N^α + B/D^β` (Hoffmann et al. 2022, Eq. 2) estimates an
/// irreducible loss `E`. On real text `E` is unknown; here it is computed analytically, so a fit's
/// `E` can be checked against the truth.
///
/// The process. A vocabulary of `wordCount` distinct words (1-8 letters, frequent words shorter,
/// letters drawn from a skewed alphabet) plus one sentence-end unit. A unit is spelled with its
/// terminator: a word as its letters followed by a space `" "`, the sentence end as `".\n"`.
/// Each word has `successorsPerWord` successor words (drawn from a Zipf pool, one of them its
/// neighbour on a random Hamiltonian cycle so the chain is irreducible) with Zipf weights over a
/// random ranking, plus the sentence end with a word-specific probability; the sentence end is
/// followed by words only. A stream starts at a unit drawn from the stationary distribution `π`,
/// so the unit process `U_1, U_2, ...` is stationary and ergodic.
///
/// Entropy rate derivation. Every spelling ends in a terminator byte (space or newline) that occurs
/// nowhere else in it, and words consist of letters only, so the set of spellings is prefix-free and
/// the byte stream `X = c(U_1) c(U_2) ...` determines the unit sequence (and vice versa). For the
/// unit chain, `H(U_1..U_m) = H(U_1) + (m-1) h` with the conditional entropy rate
/// `h = Σ_i π_i H(U_2 | U_1 = i)` (nats per unit). The first `n` bytes contain `N(n)` whole units plus
/// at most one partial unit (at most 9 bytes, so bounded extra entropy), and by the ergodic theorem
/// `N(n)/n → 1/ℓ̄` with `ℓ̄ = Σ_i π_i |c(i)|` (bytes per unit, terminator included). Hence
/// `lim H(X_1..X_n)/n = h / ℓ̄` nats per byte, which is `entropyRate`: the lowest per-byte
/// cross-entropy any model of the byte stream can reach. `π` is computed by power iteration on the
/// lazy chain `(I + P)/2` (same fixed point, always aperiodic) until the L1 change is below 1e-13.
public struct SyntheticLanguage: Sendable {
    /// Knobs of the generator. The defaults are what `Corpus.synthetic` uses.
    public struct Parameters: Sendable, Equatable {
        /// Number of words (the sentence end is one extra unit).
        public var wordCount: Int
        /// Successor words per word (before the sentence end).
        public var successorsPerWord: Int
        /// Zipf exponent of the pool successor sets are drawn from (drives word frequencies).
        public var poolExponent: Double
        /// Zipf exponent over a word's (randomly ranked) successors.
        public var successorExponent: Double
        /// Each word ends a sentence with a probability drawn uniformly from this range.
        public var sentenceEnd: ClosedRange<Double>

        public init(wordCount: Int = 1024, successorsPerWord: Int = 128, poolExponent: Double = 1.0,
                    successorExponent: Double = 0.8, sentenceEnd: ClosedRange<Double> = 0.02...0.12) {
            self.wordCount = wordCount
            self.successorsPerWord = successorsPerWord
            self.poolExponent = poolExponent
            self.successorExponent = successorExponent
            self.sentenceEnd = sentenceEnd
        }
    }

    public let seed: UInt64
    public let parameters: Parameters
    /// Spelling of each unit, terminator included. Units `0..<wordCount` are words (letters + space);
    /// unit `sentenceEndUnit` is `".\n"`.
    public let spellings: [[UInt8]]
    /// Successor table in compressed rows: unit `i`'s successors are
    /// `successorUnits[successorStart[i]..<successorStart[i+1]]` with matching `successorProbabilities`.
    public let successorStart: [Int]
    public let successorUnits: [Int32]
    public let successorProbabilities: [Double]
    /// Stationary distribution of the unit chain.
    public let stationary: [Double]
    /// `h`: entropy of the next unit given the current one, averaged over `π` (nats per unit).
    public let unitEntropyRate: Double
    /// `ℓ̄`: mean spelled length of a unit under `π` (bytes, terminator included).
    public let meanUnitLength: Double
    /// Exact entropy rate of the byte stream, `h / ℓ̄` (nats per byte): the infinite-context limit.
    /// Training windows of finite length sit slightly above it; see `optimalWindowLoss(seqLen:windows:seed:)`.
    public let entropyRate: Double
    /// Exact entropy of the stationary byte marginal (nats per byte): the loss of the best model that
    /// ignores context, for reference against `entropyRate`.
    public let unigramEntropy: Double

    private let cumulative: [Double]
    private let stationaryCumulative: [Double]

    public var unitCount: Int { spellings.count }
    public var sentenceEndUnit: Int { parameters.wordCount }

    public init(seed: UInt64 = 0, parameters: Parameters = Parameters()) {
        precondition(parameters.wordCount >= 2 && parameters.successorsPerWord >= 1
                     && parameters.successorsPerWord <= parameters.wordCount, "bad SyntheticLanguage parameters")
        self.seed = seed
        self.parameters = parameters
        var rng = SplitMix64(seed: seed ^ 0x5EED_1A46_0A6E_0001)
        let table = Self.makeSuccessors(parameters: parameters, rng: &rng)
        successorStart = table.start
        successorUnits = table.units
        successorProbabilities = table.probabilities
        cumulative = Self.rowCumulative(start: table.start, probabilities: table.probabilities)
        let pi = Self.stationaryDistribution(start: table.start, units: table.units,
                                             probabilities: table.probabilities)
        stationary = pi
        // Spellings are handed out by stationary rank (frequent words get the short ones); the chain
        // itself does not depend on spelling.
        let byRank = Self.makeVocabulary(count: parameters.wordCount, rng: &rng)
        var words = [[UInt8]](repeating: [], count: parameters.wordCount)
        let ranked = (0..<parameters.wordCount).sorted { (pi[$0], $1) > (pi[$1], $0) }
        for (rank, unit) in ranked.enumerated() { words[unit] = byRank[rank] }
        spellings = words + [Array(".\n".utf8)]
        var run = 0.0
        stationaryCumulative = stationary.map { run += $0; return run }

        var h = 0.0, len = 0.0
        var byteMass = [Double](repeating: 0, count: 256)
        for i in 0..<spellings.count {
            var hi = 0.0
            for k in table.start[i]..<table.start[i + 1] {
                let p = table.probabilities[k]
                if p > 0 { hi -= p * log(p) }
            }
            h += stationary[i] * hi
            len += stationary[i] * Double(spellings[i].count)
            for b in spellings[i] { byteMass[Int(b)] += stationary[i] }
        }
        unitEntropyRate = h
        meanUnitLength = len
        entropyRate = h / len
        unigramEntropy = byteMass.reduce(0.0) { acc, m in
            let p = m / len
            return p > 0 ? acc - p * log(p) : acc
        }
    }

    /// Unit `i`'s successors and their probabilities.
    public func successors(of unit: Int) -> [(unit: Int, probability: Double)] {
        (successorStart[unit]..<successorStart[unit + 1]).map {
            (Int(successorUnits[$0]), successorProbabilities[$0])
        }
    }

    /// Draws a unit from the stationary distribution.
    public func sampleStationary(_ rng: inout SplitMix64) -> Int {
        Self.search(stationaryCumulative, 0, stationaryCumulative.count, rng.nextUniform())
    }

    /// Draws the unit following `unit`.
    public func sampleSuccessor(of unit: Int, _ rng: inout SplitMix64) -> Int {
        let lo = successorStart[unit], hi = successorStart[unit + 1]
        return Int(successorUnits[Self.search(cumulative, lo, hi, rng.nextUniform())])
    }

    /// `count` bytes of the stationary process: starts at a unit boundary with a unit drawn from `π`,
    /// then follows the chain; the last unit may be cut off.
    public func generate(count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(count + 16)
        var unit = sampleStationary(&rng)
        while out.count < count {
            out.append(contentsOf: spellings[unit])
            unit = sampleSuccessor(of: unit, &rng)
        }
        out.removeLast(out.count - count)
        return out
    }

    /// First index in `lo..<hi` whose cumulative value exceeds `u` (the last one if rounding leaves none).
    private static func search(_ cum: [Double], _ lo: Int, _ hi: Int, _ u: Double) -> Int {
        var a = lo, b = hi - 1
        while a < b {
            let m = (a + b) >> 1
            if cum[m] > u { b = m } else { a = m + 1 }
        }
        return a
    }

    private static func rowCumulative(start: [Int], probabilities: [Double]) -> [Double] {
        var cum = [Double](repeating: 0, count: probabilities.count)
        for i in 0..<(start.count - 1) {
            var run = 0.0
            for k in start[i]..<start[i + 1] { run += probabilities[k]; cum[k] = run }
        }
        return cum
    }
}
