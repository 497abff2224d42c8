import Foundation
import Trainer

/// Where a run's tokens come from: the built-in synthetic language or a text file.
public enum CorpusSource {
    /// Validation bytes generated for the synthetic language: enough for the evaluation windows
    /// and the downstream tasks, and independent of the training size.
    public static let syntheticValidationTokens = 262_144

    /// - Parameters:
    ///   - name: "synthetic", "synthetic:words=W,successors=S,..." (see `SyntheticCorpusName`) or a
    ///     path to a UTF-8 text file.
    ///   - trainTokens: training bytes to generate for the synthetic language (ignored for files).
    public static func load(_ name: String, seed: Int, trainTokens: Int) throws -> Corpus {
        if let synthetic = try SyntheticCorpusName.parse(name) {
            let n = min(max(trainTokens, 1 << 20), 64 << 20)
            var corpus = Corpus.synthetic(seed: UInt64(seed), parameters: synthetic.parameters, trainTokens: n,
                                          validationTokens: syntheticValidationTokens)
            corpus.name = label(name, seed: seed)
            return corpus
        }
        return try Corpus.text(path: name)
    }

    /// Checks a corpus without generating it: a synthetic name must parse; a file must be a readable,
    /// non-empty UTF-8 text file (not a directory) long enough for one window of `seqLen` tokens in
    /// both splits. What `sweep --plan` and `train` check before anything is written.
    public static func check(_ name: String, seqLen: Int) throws {
        if try SyntheticCorpusName.parse(name) != nil { return }
        try Corpus.text(path: name).validate(seqLen: seqLen)
    }

    /// The label stored in `runs.corpus`: `synthetic:SEED` for the default language,
    /// `synthetic:words=..,successors=..:SEED` for a custom one, the path for a file.
    public static func label(_ name: String, seed: Int) -> String {
        guard let synthetic = try? SyntheticCorpusName.parse(name) else { return name }
        return "\(synthetic.canonical):\(seed)"
    }

    /// The exact entropy rate (nats per token) of the synthetic language a `runs.corpus` label names
    /// (`synthetic:SEED` or `synthetic:KNOBS:SEED`); nil for files and unreadable labels.
    public static func entropyRate(label: String) -> Double? {
        guard let cut = label.lastIndex(of: ":"), let seed = UInt64(label[label.index(after: cut)...]),
              let name = try? SyntheticCorpusName.parse(String(label[..<cut])) else { return nil }
        return SyntheticLanguage(seed: seed, parameters: name.parameters).entropyRate
    }
}
