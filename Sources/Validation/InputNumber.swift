/// The one place where numbers from flags, spec files and data files are checked before use.
///
/// Every check takes the value as it was read (Double, Int64 or text) and returns it only when it is
/// finite, whole where a count is expected, and inside the range the caller states; the error names
/// the value's origin and says what was expected, e.g. "--steps must be > 0 (got -5)".
public enum InputNumber {
    /// A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
    /// Rejects what `Double(String)` would also take but a user never means in a scaling-law file:
    /// hexadecimal (`0x10`), `nan`, `inf`, `infinity`, surrounding spaces, and values that overflow
    /// to infinity (`1e400`).
    public static func parse(_ text: some StringProtocol) -> Double? {
        var sawDigit = false, sawExponentDigit = false
        var state = 0  // 0 sign/int, 1 int, 2 fraction, 3 exponent sign, 4 exponent digits
        for (i, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if state == 0 && i == 0 { state = 1 } else if state == 3 { state = 4 } else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if state == 0 { state = 1 }
                if state == 3 { state = 4 }
                if state == 4 { sawExponentDigit = true } else { sawDigit = true }
            case UInt8(ascii: "."):
                guard state <= 1 else { return nil }
                state = 2
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, state <= 2 else { return nil }
                state = 3
            default:
                return nil
            }
        }
        guard sawDigit, state < 3 || sawExponentDigit, let d = Double(String(text)), d.isFinite else { return nil }
        return d
    }

    /// A whole number in `range`, from a Double (spec files, CSV cells, JSON).
    public static func integer(_ value: Double, _ name: String, in range: ClosedRange<Int>) throws -> Int {
        guard value.isFinite else { throw InputError("\(name) must be a finite number (got \(value))") }
        // Compared as Doubles first: Int(value) traps outside Int64 and truncates fractions.
        if value < Double(range.lowerBound) { throw InputError(belowMessage(name, range.lowerBound, InputEcho.shown(value))) }
        if value > Double(range.upperBound) { throw InputError(aboveMessage(name, range.upperBound, InputEcho.shown(value))) }
        guard value == value.rounded() else { throw InputError("\(name) must be a whole number (got \(value))") }
        // Double(Int.max) rounds up to 2^63, which Int() cannot hold.
        guard value.magnitude < 9.2e18 else { throw InputError(aboveMessage(name, range.upperBound, InputEcho.shown(value))) }
        let i = Int(value)
        return try integer(i, name, in: range)
    }

    /// A whole number in `range`, from an Int64 (flags parsed by the argument parser).
    public static func integer(_ value: Int, _ name: String, in range: ClosedRange<Int>) throws -> Int {
        if value < range.lowerBound { throw InputError(belowMessage(name, range.lowerBound, String(value))) }
        if value > range.upperBound { throw InputError(aboveMessage(name, range.upperBound, String(value))) }
        return value
    }

    /// A whole number in `range`, from text (a flag or a cell): decimal, possibly in exponent form (`1e6`).
    public static func integer(text: some StringProtocol, _ name: String, in range: ClosedRange<Int>) throws -> Int {
        if let i = Int(text) { return try integer(i, name, in: range) }
        guard let d = parse(text) else { throw InputError("\(name) is not a number: '\(InputEcho.shown(text))'") }
        return try integer(d, name, in: range)
    }

    /// A finite real number with optional bounds: `min` (inclusive, or exclusive with `minExclusive`)
    /// and `max` (inclusive).
    public static func real(_ value: Double, _ name: String, min: Double = -.greatestFiniteMagnitude,
                            minExclusive: Bool = false, max: Double = .greatestFiniteMagnitude) throws -> Double {
        guard value.isFinite else { throw InputError("\(name) must be a finite number (got \(value))") }
        let shown = InputEcho.shown(value)
        if minExclusive ? !(value > min) : !(value >= min) {
            throw InputError("\(name) must be \(minExclusive ? ">" : ">=") \(InputEcho.shown(min)) (got \(shown))")
        }
        if value > max { throw InputError("\(name) must be <= \(InputEcho.shown(max)) (got \(shown))") }
        return value
    }

    /// A finite real number from text, bounded as in `real(_:_:min:minExclusive:max:)`.
    public static func real(text: some StringProtocol, _ name: String, min: Double = -.greatestFiniteMagnitude,
                            minExclusive: Bool = false, max: Double = .greatestFiniteMagnitude) throws -> Double {
        guard let d = parse(text) else { throw InputError("\(name) is not a finite number: '\(InputEcho.shown(text))'") }
        return try real(d, name, min: min, minExclusive: minExclusive, max: max)
    }

    static func belowMessage(_ name: String, _ lower: Int, _ got: String) -> String {
        lower == 1 ? "\(name) must be > 0 (got \(got))" : "\(name) must be >= \(lower) (got \(got))"
    }

    static func aboveMessage(_ name: String, _ upper: Int, _ got: String) -> String {
        "\(name) must be <= \(upper) (got \(got))"
    }
}
