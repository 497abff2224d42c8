/// Strict decimal numbers for data files: `[+-]digits[.digits][e[+-]digits]` (or `.5`, `5.`),
/// finite. `Double("0x10")` is 16 and `Double("inf")`, `Double("nan")` are accepted by Swift;
/// a data file that says `0x10` or `nan` is far more likely broken than meant, so they are not
/// numbers here.
public enum DecimalNumber {
    /// The value of `text` (surrounding spaces ignored), or nil when it is not a finite decimal.
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        let t = Array(text.utf8)
        var i = 0
        var end = t.count
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        while i < end, isSpace(t[i]) { i += 1 }
        while end > i, isSpace(t[end - 1]) { end -= 1 }
        guard i < end else { return nil }
        var j = i
        func digits() -> Int {
            var n = 0
            while j < end, t[j] >= 0x30, t[j] <= 0x39 { j += 1; n += 1 }
            return n
        }
        if t[j] == UInt8(ascii: "+") || t[j] == UInt8(ascii: "-") { j += 1 }
        var mantissa = digits()
        if j < end, t[j] == UInt8(ascii: ".") {
            j += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if j < end, t[j] == UInt8(ascii: "e") || t[j] == UInt8(ascii: "E") {
            j += 1
            if j < end, t[j] == UInt8(ascii: "+") || t[j] == UInt8(ascii: "-") { j += 1 }
            guard digits() > 0 else { return nil }
        }
        guard j == end, let v = Double(String(decoding: t[i..<end], as: UTF8.self)), v.isFinite else { return nil }
        return v
    }
}
