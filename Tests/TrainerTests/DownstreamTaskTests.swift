import Foundation
import Testing
@testable import Trainer

private let corpus = Corpus.synthetic(seed: 0, trainTokens: 2000, validationTokens: 60_000)

private func oracle(_ task: DownstreamTask) -> (_ context: [UInt8], _ continuation: [UInt8]) -> Double {
    var truth = Set<[UInt8]>()
    for item in task.items { truth.insert(item.context + [0xFF] + item.choices[item.answer]) }
    return { ctx, cont in truth.contains(ctx + [0xFF] + cont) ? 1 : 0 }
}

private let validationData = Data(corpus.validation)

@Test func builtInTasksHaveWellFormedItems() {
    let tasks = DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 120)
    #expect(tasks.map(\.name) == ["next-word-4", "word-order-3"])
    for (task, k) in zip(tasks, [4, 3]) {
        #expect(task.items.count == 120)
        #expect(!task.description.isEmpty)
        for item in task.items {
            #expect(item.choices.count == k)
            #expect(Set(item.choices).count == k)
            #expect(item.choices.indices.contains(item.answer))
            #expect(!item.context.isEmpty && item.context.count <= DownstreamTask.contextBytes)
        }
    }
    let answers = tasks[0].items.map(\.answer)
    #expect(Set(answers).count == 4)   // the true choice is not always in the same slot
}

@Test func itemsAreHeldOutText() {
    for task in DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 40) {
        for item in task.items {
            #expect(validationData.range(of: Data(item.context + item.choices[item.answer])) != nil)
        }
    }
    // Train and validation with disjoint alphabets: every byte of every item must come from validation.
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    var rng = SplitMix64(seed: 5)
    let text = (0..<2000).map { _ in words[rng.nextInt(below: words.count)] }.joined(separator: " ")
    let split = Corpus(name: "disjoint", train: Array(text.uppercased().utf8), validation: Array(text.utf8))
    let tasks = DownstreamTask.builtIn(corpus: split, itemsPerTask: 50)
    #expect(tasks.count == 2)
    let allowed = Set(split.validation)
    for task in tasks {
        for item in task.items {
            #expect(Set(item.context).isSubset(of: allowed))
            for c in item.choices { #expect(Set(c).isSubset(of: allowed)) }
        }
    }
}

@Test func oracleConstantAndRandomScorersGiveExpectedErrors() {
    for task in DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 200) {
        #expect(task.evaluate(score: oracle(task)) == 0)
        #expect(task.evaluate { _, _ in 0 } == 1)        // ties count as wrong
        #expect(task.evaluate { _, _ in .nan } == 1)
        var rng = SplitMix64(seed: 17)
        let k = Double(task.items[0].choices.count)
        let err = task.evaluate { _, _ in rng.nextUniform() }
        #expect(abs(err - (1 - 1 / k)) < 0.1, "\(task.name): random error \(err)")
    }
}

@Test func wordOrderDefeatsBagOfBytesModels() throws {
    let task = try #require(DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 100).first { $0.name == "word-order-3" })
    for item in task.items {
        let sorted = item.choices.map { $0.sorted() }
        #expect(Set(sorted).count == 1)
    }
    // A unigram scorer (sum of per-byte log frequencies) cannot separate the orders: error 1. The
    // log-probabilities are rounded to multiples of 1/1024 so sums are exact in any order (otherwise
    // rounding noise in the summation would break the ties at random).
    var counts = [Double](repeating: 1, count: 256)
    for b in corpus.train { counts[Int(b)] += 1 }
    let total = counts.reduce(0, +)
    let logp = counts.map { (log($0 / total) * 1024).rounded() / 1024 }
    #expect(task.evaluate { _, cont in cont.reduce(0) { $0 + logp[Int($1)] } } == 1)
}

@Test func trueModelBeatsChanceOnBothTasks() {
    let lang = defaultLanguage
    var unitOf = [[UInt8]: Int]()
    for (i, s) in lang.spellings.enumerated() { unitOf[s] = i }
    func units(_ bytes: [UInt8]) -> [Int] {
        var out = [Int](), cur = [UInt8]()
        for b in bytes {
            cur.append(b)
            if b == 0x20 || b == 0x0A { out.append(unitOf[cur] ?? -1); cur = [] }
        }
        return out
    }
    let score: ([UInt8], [UInt8]) -> Double = { ctx, cont in
        var prev = units(ctx).last ?? -1, total = 0.0
        for u in units(cont) {
            guard prev >= 0, u >= 0, let p = lang.successors(of: prev).first(where: { $0.unit == u })?.probability
            else { return -.infinity }
            total += log(p)
            prev = u
        }
        return total
    }
    let tasks = DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 200)
    #expect(tasks[0].evaluate(score: score) < 0.4)    // chance 0.75
    #expect(tasks[1].evaluate(score: score) < 0.15)   // chance 0.67
}

@Test func tasksAreDeterministicBySeed() {
    let a = DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 30, seed: 1)
    let b = DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 30, seed: 1)
    let c = DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 30, seed: 2)
    #expect(a.map(\.items) == b.map(\.items))
    #expect(a.map(\.items) != c.map(\.items))
}

@Test func tooLittleTextYieldsNoTasks() {
    let tiny = Corpus(name: "tiny", train: Array("abc def".utf8), validation: Array("one two".utf8))
    #expect(DownstreamTask.builtIn(corpus: tiny).isEmpty)
    #expect(DownstreamTask(name: "empty", description: "", items: []).evaluate { _, _ in 0 }.isNaN)
}

@Test func batchedLogLikelihoodsEqualOneSequenceAtATime() {
    // A model whose weights are random (seeded), maxBatch 4: pairs of mixed lengths, among them an
    // empty context, an empty continuation and one longer than the window, in batches of 4 and a rest.
    let config = ModelConfig(nLayer: 1, dModel: 16, nHead: 2, seqLen: 16, vocabSize: 256)
    let model = Model(config: config, seed: 3, maxBatch: 4)
    var rng = SplitMix64(seed: 5)
    func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(rng.next() % 256) } }
    var pairs: [(context: [UInt8], continuation: [UInt8])] = [([], bytes(5)), (bytes(4), []), (bytes(30), bytes(6))]
    for _ in 0..<8 { pairs.append((bytes(1 + Int(rng.next() % 10)), bytes(1 + Int(rng.next() % 6)))) }
    let single = pairs.map { model.logLikelihood(context: $0.context, continuation: $0.continuation) }
    let batched = model.logLikelihoods(pairs)
    #expect(batched.count == pairs.count)
    for (a, b) in zip(single, batched) { #expect(abs(a - b) <= 1e-5 * max(1, abs(a)), "\(a) vs \(b)") }
    #expect(single[1] == 0 && batched[1] == 0)  // nothing to score
    #expect(single.allSatisfy { $0.isFinite && $0 <= 0 })
    // A task scored through the batched call gives the error the one-pair scorer gives.
    for task in DownstreamTask.builtIn(corpus: corpus, itemsPerTask: 30) {
        let scorer = oracle(task)
        #expect(task.evaluate(scoreAll: { $0.map { scorer($0.context, $0.continuation) } }) == task.evaluate(score: scorer))
    }
}
