/// The built-in tasks, derived from a corpus's HELD-OUT bytes only (its `validation` split), so no
/// item's text was trained on. Words are maximal runs of non-whitespace bytes, which works for the
/// synthetic language and for ordinary text files alike.
extension DownstreamTask {
    /// Bytes of context before each item's continuation (fewer near the start of the data).
    public static let contextBytes = 64

    /// Builds the tasks below from `corpus.validation`, deterministically from `seed`. A task the data
    /// cannot support (too few words) is left out; each task has at most `itemsPerTask` items.
    ///
    /// - `next-word-4`: the context ends at a word boundary; choose the true next word (with its trailing
    ///   space) among 4: distractors are other held-out words of similar length (±1 byte) drawn by
    ///   token frequency, so a model that only knows word frequencies is near chance (error ≈ 3/4).
    ///   Only one word transition decides, so even the true model errs sometimes (synthetic seed 0:
    ///   Bayes error ≈ 0.2).
    /// - `word-order-3`: choose the true order of the next three words among 3 orders of the same words
    ///   (separators kept in place). Every choice has the same bytes, so any bag-of-bytes model ties
    ///   (error 1) and a model must learn word-to-word transitions before it beats chance; three
    ///   transitions decide, so the true model almost never errs (synthetic seed 0: ≈ 0.03). The two
    ///   tasks thus differ in shape: word-order starts worse and ends better.
    public static func builtIn(corpus: Corpus, itemsPerTask: Int = 200, seed: UInt64 = 1) -> [DownstreamTask] {
        let words = HeldOutWords(corpus.validation)
        var tasks = [DownstreamTask]()
        var rng = SplitMix64(seed: seed ^ 0xD0_3557_7A5C)
        let nextWord = nextWordItems(words, count: itemsPerTask, rng: &rng)
        if !nextWord.isEmpty {
            tasks.append(DownstreamTask(
                name: "next-word-4",
                description: "pick the true next word among 4 held-out words of similar length (chance error 0.75)",
                items: nextWord))
        }
        let order = wordOrderItems(words, count: itemsPerTask, rng: &rng)
        if !order.isEmpty {
            tasks.append(DownstreamTask(
                name: "word-order-3",
                description: "pick the true order of the next 3 words among 3 orders of the same words (chance error 0.67; bag-of-bytes models tie: error 1)",
                items: order))
        }
        return tasks
    }

    private static func nextWordItems(_ w: HeldOutWords, count: Int, rng: inout SplitMix64) -> [MultipleChoiceItem] {
        let space = UInt8(ascii: " ")
        // Eligible: a word with some context before it and a space after it.
        let eligible = w.indices.filter { w.start[$0] >= 16 && w.end[$0] < w.bytes.count && w.bytes[w.end[$0]] == space }
        guard !eligible.isEmpty, w.count >= 4 else { return [] }
        var items = [MultipleChoiceItem]()
        var used = Set<Int>()
        for _ in 0..<(count * 20) where items.count < count {
            let k = eligible[rng.nextInt(below: eligible.count)]
            guard used.insert(k).inserted else { continue }
            let truth = w.word(k)
            var choices = [truth + [space]]
            // Distractors by token frequency among words that do occur before a space (so the trailing
            // space gives nothing away), similar length first, then any length.
            for tolerance in [1, Int.max] {
                for _ in 0..<400 where choices.count < 4 {
                    let d = w.word(eligible[rng.nextInt(below: eligible.count)])
                    guard abs(d.count - truth.count) <= tolerance else { continue }
                    let candidate = d + [space]
                    if !choices.contains(candidate) { choices.append(candidate) }
                }
            }
            guard choices.count == 4 else { continue }
            items.append(shuffled(context: w.context(before: w.start[k]), choices: choices, rng: &rng))
        }
        return items
    }

    private static func wordOrderItems(_ w: HeldOutWords, count: Int, rng: inout SplitMix64) -> [MultipleChoiceItem] {
        let eligible = w.count >= 3 ? (0..<(w.count - 2)).filter { w.start[$0] >= 16 && w.end[$0 + 2] < w.bytes.count } : []
        guard !eligible.isEmpty else { return [] }
        let orders = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var items = [MultipleChoiceItem]()
        var used = Set<Int>()
        for _ in 0..<(count * 20) where items.count < count {
            let k = eligible[rng.nextInt(below: eligible.count)]
            guard used.insert(k).inserted else { continue }
            let parts = (0..<3).map { w.word(k + $0) }
            // The bytes after each word up to the next word (or one byte after the last word) stay put.
            let separators = (0..<3).map { i in
                Array(w.bytes[w.end[k + i]..<(i < 2 ? w.start[k + i + 1] : w.end[k + 2] + 1)])
            }
            func spell(_ order: [Int]) -> [UInt8] { (0..<3).flatMap { parts[order[$0]] + separators[$0] } }
            var choices = [spell([0, 1, 2])]
            for order in orders.seededShuffled(&rng) where choices.count < 3 {
                let c = spell(order)
                if !choices.contains(c) { choices.append(c) }
            }
            guard choices.count == 3 else { continue }
            items.append(shuffled(context: w.context(before: w.start[k]), choices: choices, rng: &rng))
        }
        return items
    }

    /// An item whose true choice (given first) is moved to a random position.
    static func shuffled(context: [UInt8], choices: [[UInt8]], rng: inout SplitMix64) -> MultipleChoiceItem {
        var order = Array(choices.indices)
        order.seededShuffle(&rng)
        return MultipleChoiceItem(context: context, choices: order.map { choices[$0] },
                                  answer: order.firstIndex(of: 0)!)
    }
}

/// Word tokens of a byte array: maximal runs of non-whitespace bytes, as start/end offsets.
struct HeldOutWords {
    let bytes: [UInt8]
    private(set) var start: [Int] = []
    private(set) var end: [Int] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var i = 0
        while i < bytes.count {
            if Self.isSpace(bytes[i]) { i += 1; continue }
            let s = i
            while i < bytes.count, !Self.isSpace(bytes[i]) { i += 1 }
            start.append(s)
            end.append(i)
        }
    }

    var count: Int { start.count }
    var indices: Range<Int> { 0..<count }
    func word(_ k: Int) -> [UInt8] { Array(bytes[start[k]..<end[k]]) }
    func context(before offset: Int) -> [UInt8] {
        Array(bytes[max(0, offset - DownstreamTask.contextBytes)..<offset])
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
}
