import Foundation
import Testing
@testable import Trainer

/// The default language, built once for all tests (construction takes ~0.5 s in debug builds).
let defaultLanguage = SyntheticLanguage(seed: 0)

/// Reference scorer, written independently of the generator: cuts bytes at terminators (space or
/// newline), looks each unit up by spelling and sums -log P(unit | previous unit). Returns the total
/// negative log-likelihood and the number of bytes of the complete units it scored.
private func trueNegativeLogLikelihood(_ bytes: [UInt8], under lang: SyntheticLanguage) -> (nats: Double, bytes: Int) {
    var unitOf = [[UInt8]: Int]()
    for (i, s) in lang.spellings.enumerated() { unitOf[s] = i }
    var prob = [Int: Double]()   // key: previous * unitCount + next
    for i in 0..<lang.unitCount {
        for (u, p) in lang.successors(of: i) { prob[i * lang.unitCount + u] = p }
    }
    var nats = 0.0, scored = 0, previous = -1
    var current = [UInt8]()
    for b in bytes {
        current.append(b)
        guard b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") else { continue }
        guard let unit = unitOf[current] else { return (.infinity, scored) }
        let p = previous < 0 ? lang.stationary[unit] : (prob[previous * lang.unitCount + unit] ?? 0)
        nats -= log(p)
        scored += current.count
        previous = unit
        current = []
    }
    return (nats, scored)
}

@Test func syntheticLanguageIsDeterministicBySeed() {
    let a = defaultLanguage, b = SyntheticLanguage(seed: 0), c = SyntheticLanguage(seed: 8)
    #expect(a.spellings == b.spellings)
    #expect(a.successorUnits == b.successorUnits && a.successorProbabilities == b.successorProbabilities)
    #expect(a.entropyRate == b.entropyRate)
    #expect(a.generate(count: 5000, seed: 3) == b.generate(count: 5000, seed: 3))
    #expect(a.spellings != c.spellings)
    #expect(a.generate(count: 5000, seed: 3) != c.generate(count: 5000, seed: 3))
    #expect(a.generate(count: 5000, seed: 3) != a.generate(count: 5000, seed: 4))
}

@Test func syntheticSpellingsAreDistinctLettersWithOneTerminator() {
    let lang = defaultLanguage
    #expect(Set(lang.spellings).count == lang.unitCount)
    #expect(lang.spellings[lang.sentenceEndUnit] == Array(".\n".utf8))
    for w in lang.spellings.prefix(lang.parameters.wordCount) {
        #expect((2...9).contains(w.count))
        #expect(w.last == UInt8(ascii: " "))
        #expect(w.dropLast().allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
    }
}

@Test func syntheticChainIsStochasticAndStationaryIsAFixedPoint() {
    let lang = defaultLanguage
    var next = [Double](repeating: 0, count: lang.unitCount)
    for i in 0..<lang.unitCount {
        let row = lang.successors(of: i)
        #expect(abs(row.reduce(0) { $0 + $1.probability } - 1) < 1e-12)
        #expect(Set(row.map(\.unit)).count == row.count)
        for (u, p) in row { next[u] += lang.stationary[i] * p }
    }
    #expect(abs(lang.stationary.reduce(0, +) - 1) < 1e-12)
    #expect(lang.stationary.allSatisfy { $0 > 0 })   // irreducible: every word occurs
    let residual = zip(next, lang.stationary).reduce(0.0) { $0 + abs($1.0 - $1.1) }
    #expect(residual < 1e-10)
}

@Test func sampleLogLikelihoodUnderTrueModelMatchesEntropyRate() {
    let lang = defaultLanguage
    let sample = lang.generate(count: 400_000, seed: 11)
    let (nats, bytes) = trueNegativeLogLikelihood(sample, under: lang)
    #expect(bytes > 399_980)
    let empirical = nats / Double(bytes)
    // Standard error here is ~0.1%; 1% catches any error in π, h or the mean length.
    #expect(abs(empirical - lang.entropyRate) / lang.entropyRate < 0.01,
            "empirical \(empirical) vs exact \(lang.entropyRate)")
}

@Test func entropyRateIsWellBelowUnigramEntropy() {
    let lang = defaultLanguage
    #expect(lang.entropyRate > 0.7 && lang.entropyRate < 1.8)
    #expect(lang.unigramEntropy > 2.5 && lang.unigramEntropy < log(27.0) + 0.1)
    #expect(lang.entropyRate < lang.unigramEntropy - 1)
    #expect(abs(lang.entropyRate - lang.unitEntropyRate / lang.meanUnitLength) < 1e-15)
    // The analytic byte marginal matches a long sample's histogram.
    let sample = lang.generate(count: 200_000, seed: 5)
    #expect(abs(Corpus.byteEntropy(sample) - lang.unigramEntropy) < 0.01)
}

@Test func optimalWindowLossFallsFromUnigramTowardsTheEntropyRate() {
    let lang = defaultLanguage
    // One prediction without context: the byte marginal is the best one can do.
    let first = lang.optimalWindowLoss(seqLen: 1, windows: 3000, seed: 1)
    #expect(abs(first - lang.unigramEntropy) < 0.1, "\(first) vs \(lang.unigramEntropy)")
    let short = lang.optimalWindowLoss(seqLen: 8, windows: 300, seed: 2)
    let long = lang.optimalWindowLoss(seqLen: 32, windows: 300, seed: 3)
    #expect(short > long + 0.2)
    // Above the rate by a window's excess entropy C/T with C of a few nats (~4.9 here), below unigram.
    #expect(long > lang.entropyRate + 1.0 / 32 && long < lang.entropyRate + 10.0 / 32, "\(long)")
}
