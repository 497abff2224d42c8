import Foundation
import Testing
@testable import Trainer

/// Exact block entropy H(X_0..X_{m-1}) of a phrase stream by brute force: every byte string of
/// length m over the language's bytes, its probability by the forward algorithm over the hidden
/// state (phrase, offset), written independently of the closed forms it checks. `boundary`: the
/// stream starts at a phrase boundary instead of a uniformly random byte.
private func bruteForceBlockEntropy(_ lang: QuantaLanguage, _ m: Int, boundary: Bool = false) -> Double {
    let bytes = Array(Set(lang.spellings.joined())).sorted()
    var states: [(phrase: Int, offset: Int)] = []
    for (k, s) in lang.spellings.enumerated() { for j in 0..<s.count { states.append((k, j)) } }
    let start = states.map { st in
        boundary ? (st.offset == 0 ? lang.probabilities[st.phrase] : 0) : lang.probabilities[st.phrase] / lang.meanPhraseLength
    }
    var h = 0.0
    func visit(_ alpha: [Double], depth: Int) {
        for b in bytes {
            // Emit b, then (unless this is the last byte) move every state on.
            var a = alpha
            for (i, st) in states.enumerated() where lang.spellings[st.phrase][st.offset] != b { a[i] = 0 }
            let p = a.reduce(0, +)
            guard p > 0 else { continue }
            if depth + 1 == m { h -= p * log(p); continue }
            var next = [Double](repeating: 0, count: states.count)
            for (i, st) in states.enumerated() where a[i] > 0 {
                if st.offset + 1 < lang.spellings[st.phrase].count {
                    next[i + 1] += a[i]
                } else {
                    for (j, s2) in states.enumerated() where s2.offset == 0 { next[j] += a[i] * lang.probabilities[s2.phrase] }
                }
            }
            visit(next, depth: depth + 1)
        }
    }
    visit(start, depth: 0)
    return h
}

/// Three phrases over two letters, lengths 1 to 3 letters, unequal probabilities.
private let tiny = QuantaLanguage(seed: 0, parameters: .init(phrases: 3, exponent: 1, letters: 2, minLength: 1, maxLength: 3),
                                  spellings: [Array("a ".utf8), Array("ba ".utf8), Array("abb ".utf8)],
                                  probabilities: [0.5, 0.3, 0.2])

@Test func quantaBlockEntropiesMatchBruteForceOverAllSequences() {
    let g = tiny.boundaryBlockEntropies(upTo: 9)
    for m in 1...9 {
        let stationary = tiny.stationaryBlockEntropy(m), brute = bruteForceBlockEntropy(tiny, m)
        #expect(abs(stationary - brute) < 1e-12, "m=\(m): \(stationary) vs \(brute)")
        #expect(abs(g[m] - bruteForceBlockEntropy(tiny, m, boundary: true)) < 1e-12, "boundary m=\(m)")
    }
    // H(X_0) is the byte marginal's entropy, so the one-prediction window loss is H(X_1 | X_0).
    #expect(abs(tiny.stationaryBlockEntropy(1) - tiny.byteEntropy) < 1e-12)
}

@Test func quantaEntropyRateIsTheLimitOfTheBruteForceConditionalEntropy() {
    // H(X_m | X_0..X_{m-1}) = H_{m+1} - H_m falls to the entropy rate H(p)/mean length.
    let rate = (-(0.5 * log(0.5) + 0.3 * log(0.3) + 0.2 * log(0.2))) / (0.5 * 2 + 0.3 * 3 + 0.2 * 4)
    #expect(abs(tiny.entropyRate - rate) < 1e-15)
    // Early on the window has not seen a space yet and pays for the unknown phase; once every
    // continuation has passed a space the brute-force conditional entropy is the rate itself.
    let h1 = bruteForceBlockEntropy(tiny, 1), h2 = bruteForceBlockEntropy(tiny, 2)
    #expect(h2 - h1 > rate + 1e-3)
    var hm = bruteForceBlockEntropy(tiny, 10)
    for m in 10...12 {
        let next = bruteForceBlockEntropy(tiny, m + 1)
        #expect(abs((next - hm) - rate) < 1e-9, "m=\(m): conditional entropy \(next - hm) vs rate \(rate)")
        hm = next
    }
    // Far out (closed form, checked above against brute force) the conditional entropy is the rate.
    let far = tiny.stationaryBlockEntropy(201) - tiny.stationaryBlockEntropy(200)
    #expect(abs(far - rate) < 1e-9)
    // The window floor falls towards the rate like C/T.
    let w16 = tiny.optimalWindowLoss(seqLen: 16), w64 = tiny.optimalWindowLoss(seqLen: 64)
    #expect(w16 > w64 && w64 > rate && abs((w16 - rate) / (w64 - rate) - 4) < 0.1)
}

@Test func quantaLanguageIsDeterministicZipfAndDecodable() {
    let p = QuantaLanguage.Parameters(phrases: 512, exponent: 1.3, letters: 8, minLength: 3, maxLength: 6)
    let a = QuantaLanguage(seed: 0, parameters: p), b = QuantaLanguage(seed: 0, parameters: p)
    let c = QuantaLanguage(seed: 1, parameters: p)
    #expect(a.spellings == b.spellings && a.spellings != c.spellings)
    #expect(Set(a.spellings).count == 512)
    #expect(a.spellings.allSatisfy { (4...7).contains($0.count) && $0.last == UInt8(ascii: " ")
        && $0.dropLast().allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "h")).contains($0) } })
    #expect(abs(a.probabilities.reduce(0, +) - 1) < 1e-12)
    #expect(abs(a.probabilities[0] / a.probabilities[9] - pow(10, 1.3)) < 1e-9)
    // Empirical: split a long stream at spaces and score phrases by their probabilities.
    let bytes = a.generate(count: 400_000, seed: 5)
    #expect(bytes == b.generate(count: 400_000, seed: 5))
    var index = [[UInt8]: Int]()
    for (k, s) in a.spellings.enumerated() { index[s] = k }
    var nats = 0.0, scored = 0, current: [UInt8] = []
    for x in bytes {
        current.append(x)
        guard x == UInt8(ascii: " ") else { continue }
        let k = try! #require(index[current])
        nats -= log(a.probabilities[k])
        scored += current.count
        current = []
    }
    #expect(abs(nats / Double(scored) - a.entropyRate) / a.entropyRate < 0.01)
}

@Test func quantaCorpusHasAFixedValidationSetAndTheLanguagesRate() {
    let p = QuantaLanguage.Parameters(phrases: 256)
    let small = Corpus.quanta(seed: 0, parameters: p, trainTokens: 3000, validationTokens: 2000)
    let large = Corpus.quanta(seed: 0, parameters: p, trainTokens: 9000, validationTokens: 2000)
    #expect(small.validation == large.validation && Array(large.train.prefix(3000)) == small.train)
    #expect(small.entropyRate == QuantaLanguage(seed: 0, parameters: p).entropyRate)
}

@Test func recallTasksAreGradedByFrequencyAndTheTrueModelSolvesThem() throws {
    let lang = QuantaLanguage(seed: 0, parameters: .init(phrases: 4096, exponent: 1.2))
    let corpus = Corpus(name: "q", train: [], validation: lang.generate(count: 200_000, seed: 9))
    let tasks = DownstreamTask.recall(corpus: corpus, itemsPerTask: 50)
    #expect(tasks.map(\.name) == DownstreamTask.recallBands.map(\.name))
    var index = [[UInt8]: Int]()
    for (k, s) in lang.spellings.enumerated() { index[s] = k }
    for task in tasks {
        #expect(task.items.count == 50)
        for item in task.items {
            #expect(item.choices.count == 4 && Set(item.choices).count == 4)
            #expect(Set(item.choices.map(\.count)).count == 1)
        }
        // The exact model: a continuation scores log p of the phrase it completes (the word's
        // first half is the context's tail after its last space).
        let err = task.evaluate { context, continuation in
            let head = context.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).last ?? []
            guard let k = index[Array(head) + continuation] else { return -.infinity }
            return log(lang.probabilities[k])
        }
        #expect(err < 0.05, "\(task.name): \(err)")
        // A scorer that knows nothing ties everywhere: error 1.
        #expect(task.evaluate { _, _ in 0 } == 1)
    }
}
