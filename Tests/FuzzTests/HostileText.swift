import Trainer

/// Seeded choices among hostile inputs. SplitMix64 is the project's own generator (Trainer), so a
/// failing case is reproduced by its seed and index.
struct HostileText {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / Double(1 << 53) < p }

    /// Text that is no decimal number at all: words, special values, other bases and scripts,
    /// separators, a 5,000-digit number (infinite as a Double), and a 100 KB token.
    static let notNumbers = ["", " ", "abc", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "0x10", "0b101", "1_000",
                             "1,5", "١٢", "½", "∞", "1e", "e5", "--1", "1.2.3", "💥", "1e400", "-1e400", "0x1p3", "12abc",
                             "+-1", "1 2", "\u{202E}12", String(repeating: "9", count: 5_000),
                             String(repeating: "x", count: 100_000)]
    /// Zero and negative numbers, including -0 and the most negative Int64.
    static let nonPositive = ["0", "-0", "-1", "-5", "-0.5", "-1e300", "-9223372036854775808"]
    static let negative = ["-1", "-5", "-0.5", "-1e300", "-9223372036854775808", "-99999999999999999999"]
    /// Far beyond any cap, and past Int64.
    static let huge = ["1e300", "1e30", "9223372036854775807", "9223372036854775808", "99999999999999999999",
                       "1.7976931348623157e308"]
    static let fractional = ["0.5", "1.5", "2.0000001", "1e-9"]

    /// Hostile text for an integer flag whose smallest valid value is `min` (0 or 1).
    mutating func integer(min: Int) -> String {
        let low = min >= 1 ? Self.nonPositive : Self.negative
        return pick([Self.notNumbers, low, Self.huge, Self.fractional][below(4)])
    }

    /// Hostile text for a real-valued flag that must be > 0 (a huge value is valid there).
    mutating func positiveReal() -> String { pick(chance(0.5) ? Self.notNumbers : Self.nonPositive) }
}
