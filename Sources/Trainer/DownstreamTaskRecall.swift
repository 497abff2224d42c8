/// Graded recall tasks: complete a held-out word (a phrase of the quanta language) from its first
/// half, one task per frequency band, so the tasks come off chance one after another as a model
/// learns rarer words (Michaud et al. 2023: quanta are learned in order of frequency).
extension DownstreamTask {
    /// Frequency bands by rank of the word in the held-out text (0 = most frequent).
    public static let recallBands: [(name: String, ranks: Range<Int>)] = [
        ("recall-top16", 0..<16), ("recall-16-128", 16..<128), ("recall-128-1k", 128..<1024),
        ("recall-1k-8k", 1024..<8192),
    ]

    /// One task per band with at least 4 distinct words: the context is up to `contextBytes` bytes
    /// before a held-out word plus its first half (rounded up); choose the true rest of the word
    /// (with the space after it) among 4 rests of other words of the band with the same length, so
    /// neither length nor band frequency gives the answer away. Random baseline: error 0.75 (ties
    /// count as wrong, see `evaluate`). A model that knows the word reads its rest off the first
    /// half; the exact model of the quanta language almost never errs.
    public static func recall(corpus: Corpus, itemsPerTask: Int = 100, seed: UInt64 = 1) -> [DownstreamTask] {
        let w = HeldOutWords(corpus.validation)
        let space = UInt8(ascii: " ")
        var counts = [[UInt8]: Int]()
        let eligible = w.indices.filter { w.start[$0] >= 16 && w.end[$0] < w.bytes.count && w.bytes[w.end[$0]] == space
            && w.end[$0] - w.start[$0] >= 2 }
        for k in eligible { counts[w.word(k), default: 0] += 1 }
        // Rank by count, ties by spelling, so the bands are deterministic.
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
        var rank = [[UInt8]: Int]()
        for (i, e) in ranked.enumerated() { rank[e.key] = i }
        var rng = SplitMix64(seed: seed ^ 0x2EC4_11A5_7A5C)
        var tasks: [DownstreamTask] = []
        for band in recallBands {
            let occurrences = eligible.filter { band.ranks.contains(rank[w.word($0)]!) }
            // Rests of the band's words, by length, to draw distractors from.
            var rests = [Int: [[UInt8]]]()
            for word in Set(occurrences.map { w.word($0) }) {
                let rest = Array(word[((word.count + 1) / 2)...]) + [space]
                rests[rest.count, default: []].append(rest)
            }
            for key in rests.keys { rests[key]!.sort { $0.lexicographicallyPrecedes($1) } }
            var items: [MultipleChoiceItem] = []
            var used = Set<Int>()
            for _ in 0..<(itemsPerTask * 20) where items.count < itemsPerTask && !occurrences.isEmpty {
                let k = occurrences[rng.nextInt(below: occurrences.count)]
                guard used.insert(k).inserted else { continue }
                let word = w.word(k)
                let half = (word.count + 1) / 2
                let truth = Array(word[half...]) + [space]
                let pool = rests[truth.count] ?? []
                guard Set(pool).count >= 4 else { continue }
                var choices = [truth]
                while choices.count < 4 {
                    let d = pool[rng.nextInt(below: pool.count)]
                    if !choices.contains(d) { choices.append(d) }
                }
                items.append(shuffled(context: w.context(before: w.start[k]) + word[..<half], choices: choices, rng: &rng))
            }
            guard !items.isEmpty else { continue }
            tasks.append(DownstreamTask(
                name: band.name,
                description: "complete a held-out word of frequency rank \(band.ranks.lowerBound)..<\(band.ranks.upperBound) from its first half, 4 same-length choices (chance error 0.75)",
                items: items))
        }
        return tasks
    }
}
