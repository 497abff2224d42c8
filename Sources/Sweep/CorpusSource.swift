import Foundation
import Trainer

/// Where a run's tokens come from: a built-in generated language (`BuiltInCorpus`) or a text file.
public enum CorpusSource {
    /// Validation bytes generated for a built-in language: enough for the evaluation windows
    /// and the downstream tasks, and independent of the training size.
    public static let syntheticValidationTokens = 262_144

    /// - Parameters:
    ///   - name: a built-in name ("quanta", "synthetic", with knobs, see `BuiltInCorpus`) or a
    ///     path to a UTF-8 text file.
    ///   - trainTokens: training bytes to generate for a built-in language (ignored for files).
    public static func load(_ name: String, seed: Int, trainTokens: Int) throws -> Corpus {
        if let builtIn = try BuiltInCorpus.parse(name) {
            let n = min(max(trainTokens, 1 << 20), 64 << 20)
            var corpus = builtIn.corpus(seed: UInt64(seed), trainTokens: n, validationTokens: syntheticValidationTokens)
            corpus.name = label(name, seed: seed)
            return corpus
        }
        return try Corpus.text(path: name)
    }

    /// Checks a corpus without generating it: a built-in name must parse; a file must be a readable,
    /// non-empty UTF-8 text file (not a directory) long enough for one window of `seqLen` tokens in
    /// both splits. What `sweep --plan` and `train` check before anything is written.
    public static func check(_ name: String, seqLen: Int) throws {
        if try BuiltInCorpus.parse(name) != nil { return }
        try Corpus.text(path: name).validate(seqLen: seqLen)
    }

    /// The label stored in `runs.corpus`: `NAME:SEED` for a built-in language (`synthetic:0`,
    /// `quanta:0`, `synthetic:words=..,successors=..:SEED`), the path for a file.
    public static func label(_ name: String, seed: Int) -> String {
        guard let builtIn = try? BuiltInCorpus.parse(name) else { return name }
        return "\(builtIn.canonical):\(seed)"
    }

    /// The built-in language and seed a `runs.corpus` label names; nil for files and unreadable labels.
    public static func builtIn(label: String) -> (corpus: BuiltInCorpus, seed: UInt64)? {
        guard let cut = label.lastIndex(of: ":"), let seed = UInt64(label[label.index(after: cut)...]),
              let parsed = try? BuiltInCorpus.parse(String(label[..<cut])) else { return nil }
        return (parsed, seed)
    }

    /// The exact entropy rate (nats per token) of the built-in language a label names.
    public static func entropyRate(label: String) -> Double? {
        builtIn(label: label).map { $0.corpus.entropyRate(seed: $0.seed) }
    }
}

extension CorpusSource {
    /// The built-in downstream tasks for a corpus name: graded recall tasks for the quanta language
    /// (its words are phrases to be memorised), next-word and word-order tasks otherwise.
    public static func tasks(for name: String, corpus: Corpus, itemsPerTask: Int) -> [DownstreamTask] {
        guard itemsPerTask > 0 else { return [] }
        if case .quanta = try? BuiltInCorpus.parse(name) {
            return DownstreamTask.recall(corpus: corpus, itemsPerTask: itemsPerTask)
        }
        return DownstreamTask.builtIn(corpus: corpus, itemsPerTask: itemsPerTask)
    }
}
