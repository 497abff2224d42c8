import ChildProcess
import Foundation

/// SVG to PNG through the external `rsvg-convert` tool (Debian package librsvg2-bin): keeps the
/// plotting code dependency-free while still producing bitmaps for papers and chat.
public enum PNGExport {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case toolMissing
        case conversionFailed(status: Int32, message: String)

        public var description: String {
            switch self {
            case .toolMissing:
                return "rsvg-convert not found on PATH: install it with `apt-get install -y librsvg2-bin`"
            case .conversionFailed(let status, let message):
                return "rsvg-convert failed (exit \(status)): \(message)"
            }
        }
    }

    /// Converts the SVG file at `svgPath` to a PNG at `pngPath`.
    public static func convert(svgPath: String, pngPath: String) throws {
        let args = ["--format", "png", "--background-color", "white", "--output", pngPath, svgPath]
        guard let r = try ChildProcess.run(tool: "rsvg-convert", args) else { throw Failure.toolMissing }
        guard r.status == 0 else {
            let firstLine = r.stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw Failure.conversionFailed(status: r.status, message: firstLine)
        }
    }

    /// The first executable named `name` in the directories of PATH.
    static func findTool(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        ChildProcess.find(name, path: path)
    }
}
