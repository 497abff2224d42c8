import Foundation
import Trainer

/// The corpus name that selects the quanta language (`QuantaLanguage`), optionally with its knobs:
/// `quanta` or `quanta:phrases=4096,exponent=1.5,letters=16,min_length=4,max_length=8`.
public struct QuantaCorpusName: Sendable, Equatable {
    public var parameters: QuantaLanguage.Parameters

    public static let knobs = ["phrases", "exponent", "letters", "min_length", "max_length"]

    /// nil when `name` is not a quanta name; throws `CorpusError` for a bad knob.
    public static func parse(_ name: String) throws -> QuantaCorpusName? {
        guard let knobs = try CorpusKnobs(name, base: "quanta") else { return nil }
        var p = QuantaLanguage.Parameters()
        for (key, text) in knobs.items {
            switch key {
            case "phrases": p.phrases = try knobs.integer(text, key: key, in: 1...1_048_576)
            case "exponent": p.exponent = try knobs.real(text, key: key, in: 0...8)
            case "letters": p.letters = try knobs.integer(text, key: key, in: 2...26)
            case "min_length": p.minLength = try knobs.integer(text, key: key, in: 1...24)
            case "max_length": p.maxLength = try knobs.integer(text, key: key, in: 1...24)
            default: throw knobs.unknown(key, known: Self.knobs)
            }
        }
        if let problem = p.problem { throw CorpusError("corpus '\(name)': \(problem)") }
        return QuantaCorpusName(parameters: p)
    }

    /// `quanta` for the defaults, else the knobs that differ in a fixed order.
    public var canonical: String {
        let d = QuantaLanguage.Parameters(), p = parameters
        var parts: [String] = []
        if p.phrases != d.phrases { parts.append("phrases=\(p.phrases)") }
        if p.exponent != d.exponent { parts.append("exponent=\(knobText(p.exponent))") }
        if p.letters != d.letters { parts.append("letters=\(p.letters)") }
        if p.minLength != d.minLength { parts.append("min_length=\(p.minLength)") }
        if p.maxLength != d.maxLength { parts.append("max_length=\(p.maxLength)") }
        return parts.isEmpty ? "quanta" : "quanta:" + parts.joined(separator: ",")
    }
}
