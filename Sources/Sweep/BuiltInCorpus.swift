import Foundation
import Trainer

/// A built-in generated corpus named by a corpus string: the quanta language (`quanta[:knobs]`,
/// the presets' default) or the word-chain language (`synthetic[:knobs]`). Everything that reads a
/// corpus name (specs, `sweep --corpus`, `train --corpus`, labels in `runs.corpus`) goes through here.
public enum BuiltInCorpus: Sendable, Equatable {
    case synthetic(SyntheticLanguage.Parameters)
    case quanta(QuantaLanguage.Parameters)

    /// nil when `name` is a file path; throws `CorpusError` for a built-in name with bad knobs.
    public static func parse(_ name: String) throws -> BuiltInCorpus? {
        if let s = try SyntheticCorpusName.parse(name) { return .synthetic(s.parameters) }
        if let q = try QuantaCorpusName.parse(name) { return .quanta(q.parameters) }
        return nil
    }

    /// The canonical name (default knobs left out).
    public var canonical: String {
        switch self {
        case .synthetic(let p): SyntheticCorpusName(parameters: p).canonical
        case .quanta(let p): QuantaCorpusName(parameters: p).canonical
        }
    }

    public func corpus(seed: UInt64, trainTokens: Int, validationTokens: Int) -> Corpus {
        switch self {
        case .synthetic(let p):
            Corpus.synthetic(seed: seed, parameters: p, trainTokens: trainTokens, validationTokens: validationTokens)
        case .quanta(let p):
            Corpus.quanta(seed: seed, parameters: p, trainTokens: trainTokens, validationTokens: validationTokens)
        }
    }

    public func entropyRate(seed: UInt64) -> Double {
        switch self {
        case .synthetic(let p): SyntheticLanguage(seed: seed, parameters: p).entropyRate
        case .quanta(let p): QuantaLanguage(seed: seed, parameters: p).entropyRate
        }
    }

    /// The lowest loss any model reaches on windows of `seqLen` predictions: exact for quanta, a
    /// Monte-Carlo estimate of the exact filter (400 windows) for the word-chain language.
    public func optimalWindowLoss(seed: UInt64, seqLen: Int) -> Double {
        switch self {
        case .synthetic(let p):
            SyntheticLanguage(seed: seed, parameters: p).optimalWindowLoss(seqLen: seqLen, windows: 400)
        case .quanta(let p): QuantaLanguage(seed: seed, parameters: p).optimalWindowLoss(seqLen: seqLen)
        }
    }
}
