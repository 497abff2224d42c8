import Foundation
import Trainer

/// Where a run's tokens come from: the built-in synthetic language or a text file.
public enum CorpusSource {
    /// Validation bytes generated for the synthetic language: enough for the evaluation windows
    /// and the downstream tasks, and independent of the training size.
    public static let syntheticValidationTokens = 262_144

    /// - Parameters:
    ///   - name: "synthetic" or a path to a UTF-8 text file.
    ///   - trainTokens: training bytes to generate for the synthetic language (ignored for files).
    public static func load(_ name: String, seed: Int, trainTokens: Int) throws -> Corpus {
        if name == "synthetic" {
            let n = min(max(trainTokens, 1 << 20), 64 << 20)
            return Corpus.synthetic(seed: UInt64(seed), trainTokens: n, validationTokens: syntheticValidationTokens)
        }
        return try Corpus.text(path: name)
    }

    /// The label stored in `runs.corpus`.
    public static func label(_ name: String, seed: Int) -> String {
        name == "synthetic" ? "synthetic:\(seed)" : name
    }
}
