import Validation

/// A problem in a data file (points, curves, LR traces), in the one style every reader uses:
/// `FILE:LINE: message` (the physical line, counting the lines inside quoted fields), or
/// `FILE: message` for the file as a whole. The CLI prints it after `error: `.
public struct TableFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    /// 1-based physical line (0: the file as a whole).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }

    /// A cell's text for an error message: quoted, on one line, and cut short the way every
    /// echo is (`InputEcho`), so a 100 KB cell is not echoed back in a 100 KB line.
    public static func quote(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return "'\(InputEcho.shown(flat))'"
    }
}
