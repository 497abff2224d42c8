import Foundation
import Trainer
import Validation

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
        let shown = InputEcho.oneLine(name)
        let rest = name.dropFirst(base.count + (name == base ? 0 : 1))
        // `quanta:`, `quanta:,` or `quanta:a=1,,b=2` is a typo, not the defaults; a knob given twice
        // would silently take its last value.
        if name != base, rest.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CorpusError("corpus '\(shown)': no knobs after '\(base):' (write '\(base)' for the defaults)")
        }
        for item in name == base ? [] : rest.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw CorpusError("corpus '\(shown)': expected key=value, got '\(InputEcho.shown(item))'")
            }
            guard !items.contains(where: { $0.0 == kv[0] }) else {
                throw CorpusError("corpus '\(shown)': knob '\(InputEcho.shown(kv[0]))' is given twice")
            }
            items.append((kv[0], kv[1]))
        }
        self.items = items
    }

    func unknown(_ key: String, known: [String]) -> CorpusError {
        CorpusError("corpus '\(InputEcho.oneLine(name))': unknown \(base)-language knob '\(key)' (known: \(known.joined(separator: ", ")))")
    }

    func integer(_ text: String, key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(text), range.contains(v) else {
            throw CorpusError("corpus '\(InputEcho.oneLine(name))': \(key) must be an integer in \(range.lowerBound)...\(range.upperBound) (got '\(InputEcho.shown(text))')")
        }
        return v
    }

    func real(_ text: String, key: String, in range: ClosedRange<Double>) throws -> Double {
        // Plain decimals only: `Double` would also read hexadecimal (`0x1p3`), `nan` and `inf`.
        guard let v = InputNumber.parse(text), range.contains(v) else {
            throw CorpusError("corpus '\(InputEcho.oneLine(name))': \(key) must be a number in \(range.lowerBound)...\(range.upperBound) (got '\(InputEcho.shown(text))')")
        }
        return v
    }
}

/// A number as a corpus name spells it: integers without a decimal point.
func knobText(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
}
