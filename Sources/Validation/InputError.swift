/// A value from a flag, a spec file or a data file that is out of range, not a number, or not
/// whole where a count is expected. One line that names the value's origin (flag, key, column).
public struct InputError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// How input text is echoed back in error messages: short enough for one readable line (a 100 KB
/// number in a file must not become a 100 KB error line).
public enum InputEcho {
    /// Longest echoed text; longer text keeps its start and end around an ellipsis with the full length.
    public static let maxLength = 40

    public static func shown(_ text: some StringProtocol) -> String {
        let s = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })  // stays on one line
        guard s.count > maxLength else { return s }
        return "\(s.prefix(24))...\(s.suffix(8)) (\(s.utf8.count) bytes)"
    }

    /// `text` on one line with its control characters visible: line breaks as `\n` / `\r`, tabs as a
    /// space, any other control character (NUL, ESC, DEL, C1) as `\u{XX}`. An error message echoes
    /// values from flags and files; a newline in one must not end the message early or start a
    /// second line, and an escape sequence must not reach the terminal.
    public static func oneLine(_ text: some StringProtocol) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += " "
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029: out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A number as a user wrote it: whole values without a fraction, others in Swift's shortest form.
    public static func shown(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
