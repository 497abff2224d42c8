import Foundation
import Trainer

/// The `key=value,...` knobs after a built-in corpus's name (`synthetic:words=256`,
/// `quanta:phrases=4096,exponent=1.5`), read with errors that name the corpus and the knob.
struct CorpusKnobs {
    let name: String
    let base: String
    let items: [(key: String, text: String)]

    /// nil when `name` is neither `base` nor `base:...`.
    init?(_ name: String, base: String) throws {
        guard name == base || name.hasPrefix(base + ":") else { return nil }
        self.name = name
        self.base = base
        var items: [(String, String)] = []
        for item in name.dropFirst(base.count).drop(while: { $0 == ":" }).split(separator: ",", omittingEmptySubsequences: true) {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { throw CorpusError("corpus '\(name)': expected key=value, got '\(item)'") }
            items.append((kv[0], kv[1]))
        }
        self.items = items
    }

    func unknown(_ key: String, known: [String]) -> CorpusError {
        CorpusError("corpus '\(name)': unknown \(base)-language knob '\(key)' (known: \(known.joined(separator: ", ")))")
    }

    func integer(_ text: String, key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(text), range.contains(v) else {
            throw CorpusError("corpus '\(name)': \(key) must be an integer in \(range.lowerBound)...\(range.upperBound) (got '\(text)')")
        }
        return v
    }

    func real(_ text: String, key: String, in range: ClosedRange<Double>) throws -> Double {
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw CorpusError("corpus '\(name)': \(key) must be a number in \(range.lowerBound)...\(range.upperBound) (got '\(text)')")
        }
        return v
    }
}

/// A number as a corpus name spells it: integers without a decimal point.
func knobText(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
}
