import Foundation

/// The built-in "quanta" language: a stream of independent phrases with Zipf-distributed
/// frequencies, each phrase a fixed random spelling that a model can only predict once it has
/// memorised it. Its loss falls smoothly with model size and data, and its entropy rate and the
/// best loss reachable on finite windows are both computed exactly.
///
/// Why this design. Michaud et al. (2023, "The Quantization Model of Neural Scaling") explain
/// power-law scaling as the sum of many discrete pieces of knowledge ("quanta") used with Zipf
/// frequencies p_k ∝ k^-s: a model that has learned the n most frequent quanta still pays for the
/// rest, a mass of Σ_{k>n} p_k ∝ n^-(s-1). If capacity limits n (n ∝ N) the loss falls like
/// N^-(s-1); if data limits it (quantum k is learned after it has been seen a fixed number of times,
/// n ∝ D^(1/s)) like D^-(s-1)/s. Here a quantum is one phrase: its first letters are uncertain (that
/// is the entropy of the Zipf law, which no model can remove), its remaining letters are determined
/// by them, but only for a model that has stored the phrase. With thousands of phrases the steps of
/// learning each one are small and spread over many scales, so their sum is a smooth power law in N
/// and D, unlike the word-chain `SyntheticLanguage`, whose transitions are learned all at once.
///
/// The process. `phrases` spellings, each `minLength...maxLength` letters drawn uniformly from the
/// first `letters` letters of the alphabet, all distinct, followed by a space. Phrase k (0-based
/// rank) has probability p_k = (k+1)^-s / Σ_j (j+1)^-s. The stream is i.i.d. phrases, spelled.
///
/// Entropy rate. The space occurs only at the end of a spelling, so the byte stream determines the
/// phrase sequence and vice versa; the phrases are i.i.d., so `H(U_1..U_m) = m H(p)`, and by the
/// renewal theorem a stream of n bytes holds n/ℓ̄ phrases (ℓ̄ = Σ p_k |c_k|, space included) up to a
/// bounded partial phrase. Hence the entropy rate is exactly `H(p) / ℓ̄` nats per byte. The loss a
/// model can reach on windows of finite length is `optimalWindowLoss(seqLen:)`, also exact.
public struct QuantaLanguage: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Number of phrases (quanta).
        public var phrases: Int
        /// Zipf exponent s of the phrase frequencies (> 1 for a power law with a finite tail).
        public var exponent: Double
        /// Alphabet size: phrases use the letters a, b, ... (at most 26).
        public var letters: Int
        /// Letters per phrase, before the space.
        public var minLength: Int
        public var maxLength: Int

        public init(phrases: Int = 16_384, exponent: Double = 1.3, letters: Int = 16, minLength: Int = 4,
                    maxLength: Int = 8) {
            self.phrases = phrases
            self.exponent = exponent
            self.letters = letters
            self.minLength = minLength
            self.maxLength = maxLength
        }

        /// nil when the knobs are consistent, else what is wrong (the corpus name reports it).
        public var problem: String? {
            if phrases < 1 { return "phrases must be >= 1" }
            if !(exponent >= 0 && exponent <= 8) { return "exponent must be in 0...8" }
            if letters < 2 || letters > 26 { return "letters must be in 2...26" }
            if minLength < 1 || maxLength < minLength || maxLength > 24 { return "need 1 <= min_length <= max_length <= 24" }
            // Distinct spellings must exist: count the strings of the allowed lengths.
            var available = 0.0
            for l in minLength...maxLength { available += pow(Double(letters), Double(l)) }
            if available < 2 * Double(phrases) { return "too few distinct spellings of \(minLength)...\(maxLength) of \(letters) letters for \(phrases) phrases" }
            return nil
        }
    }

    public static let terminator = UInt8(ascii: " ")

    public let seed: UInt64
    public let parameters: Parameters
    /// Spelling of each phrase by rank, space included.
    public let spellings: [[UInt8]]
    /// Probability of each phrase by rank.
    public let probabilities: [Double]
    /// `H(p)`: entropy of one phrase (nats).
    public let phraseEntropy: Double
    /// `ℓ̄`: mean spelled length of a phrase (bytes, space included).
    public let meanPhraseLength: Double
    /// Exact entropy rate of the byte stream, `H(p) / ℓ̄` (nats per byte).
    public let entropyRate: Double
    private let cumulative: [Double]

    public init(seed: UInt64 = 0, parameters: Parameters = Parameters()) {
        precondition(parameters.problem == nil, "bad QuantaLanguage parameters: \(parameters.problem ?? "")")
        var rng = SplitMix64(seed: seed ^ 0x9A4E_7A5E_ED00_0013)
        let weights = (0..<parameters.phrases).map { pow(Double($0 + 1), -parameters.exponent) }
        let total = weights.reduce(0, +)
        self.init(seed: seed, parameters: parameters,
                  spellings: Self.makeSpellings(parameters, rng: &rng), probabilities: weights.map { $0 / total })
    }

    /// A language with given spellings (each ending in the one space it contains) and phrase
    /// probabilities: for tests that check the exact formulas against brute force on tiny instances.
    init(seed: UInt64, parameters: Parameters, spellings: [[UInt8]], probabilities: [Double]) {
        precondition(spellings.count == probabilities.count && !spellings.isEmpty)
        precondition(spellings.allSatisfy { $0.last == Self.terminator && !$0.dropLast().contains(Self.terminator) })
        self.seed = seed
        self.parameters = parameters
        self.spellings = spellings
        self.probabilities = probabilities
        var h = 0.0, len = 0.0, run = 0.0
        var cum = [Double]()
        cum.reserveCapacity(probabilities.count)
        for (p, s) in zip(probabilities, spellings) {
            if p > 0 { h -= p * log(p) }
            len += p * Double(s.count)
            run += p
            cum.append(run)
        }
        phraseEntropy = h
        meanPhraseLength = len
        entropyRate = h / len
        cumulative = cum
    }

    public var phraseCount: Int { spellings.count }

    /// Draws a phrase rank.
    public func samplePhrase(_ rng: inout SplitMix64) -> Int {
        let u = rng.nextUniform() * cumulative[cumulative.count - 1]
        var a = 0, b = cumulative.count - 1
        while a < b {
            let m = (a + b) >> 1
            if cumulative[m] > u { b = m } else { a = m + 1 }
        }
        return a
    }

    /// `count` bytes of the stream, starting at a phrase boundary; the last phrase may be cut off.
    public func generate(count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(count + parameters.maxLength + 1)
        while out.count < count { out.append(contentsOf: spellings[samplePhrase(&rng)]) }
        out.removeLast(out.count - count)
        return out
    }

    /// Distinct random spellings, lengths uniform in the range, letters uniform.
    static func makeSpellings(_ p: Parameters, rng: inout SplitMix64) -> [[UInt8]] {
        var seen = Set<[UInt8]>()
        var out = [[UInt8]]()
        out.reserveCapacity(p.phrases)
        while out.count < p.phrases {
            let length = p.minLength + rng.nextInt(below: p.maxLength - p.minLength + 1)
            let w = (0..<length).map { _ in UInt8(ascii: "a") + UInt8(rng.nextInt(below: p.letters)) }
            if seen.insert(w).inserted { out.append(w + [terminator]) }
        }
        return out
    }
}
