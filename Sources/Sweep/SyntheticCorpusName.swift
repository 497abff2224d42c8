import Foundation
import Trainer

/// The corpus name that selects the word-chain synthetic language, optionally with its knobs:
/// `synthetic` (the default language) or `synthetic:words=256,successors=16`.
///
/// Why knobs: how close a model of a given size can get to the entropy rate depends on how much
/// there is to learn (words to spell, transitions to memorise). A smaller language lets tiny models
/// approach the known irreducible loss within minutes; the default language is large enough to keep
/// bigger sweeps improving.
public struct SyntheticCorpusName: Sendable, Equatable {
    public var parameters: SyntheticLanguage.Parameters

    /// The knobs a name may set, as spelled in the name.
    public static let knobs = ["words", "successors", "pool_exponent", "successor_exponent"]

    /// Parses `name`; nil when it does not name the synthetic language at all (a file path).
    /// Throws `CorpusError` for a synthetic name with an unknown knob or a value out of range.
    public static func parse(_ name: String) throws -> SyntheticCorpusName? {
        guard let knobs = try CorpusKnobs(name, base: "synthetic") else { return nil }
        var p = SyntheticLanguage.Parameters()
        for (key, text) in knobs.items {
            switch key {
            case "words": p.wordCount = try knobs.integer(text, key: key, in: 2...65_536)
            case "successors": p.successorsPerWord = try knobs.integer(text, key: key, in: 1...65_536)
            case "pool_exponent": p.poolExponent = try knobs.real(text, key: key, in: 0...4)
            case "successor_exponent": p.successorExponent = try knobs.real(text, key: key, in: 0...4)
            default: throw knobs.unknown(key, known: Self.knobs)
            }
        }
        guard p.successorsPerWord <= p.wordCount else {
            throw CorpusError("corpus '\(name)': successors (\(p.successorsPerWord)) must not exceed words (\(p.wordCount))")
        }
        return SyntheticCorpusName(parameters: p)
    }

    /// Canonical spelling: `synthetic` for the defaults, else the knobs that differ, in a fixed order,
    /// so equal languages get equal labels in `runs.corpus`.
    public var canonical: String {
        let d = SyntheticLanguage.Parameters(), p = parameters
        var parts: [String] = []
        if p.wordCount != d.wordCount { parts.append("words=\(p.wordCount)") }
        if p.successorsPerWord != d.successorsPerWord { parts.append("successors=\(p.successorsPerWord)") }
        if p.poolExponent != d.poolExponent { parts.append("pool_exponent=\(p.poolExponent)") }
        if p.successorExponent != d.successorExponent { parts.append("successor_exponent=\(p.successorExponent)") }
        return parts.isEmpty ? "synthetic" : "synthetic:" + parts.joined(separator: ",")
    }
}
