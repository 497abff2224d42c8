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

    /// A number as a user wrote it: whole values without a fraction, others in Swift's shortest form.
    public static func shown(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
