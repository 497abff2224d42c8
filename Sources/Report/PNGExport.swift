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
        guard let tool = findTool("rsvg-convert") else { throw Failure.toolMissing }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--background-color", "white", "--output", pngPath, svgPath]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errorData = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errorData, as: UTF8.self)
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw Failure.conversionFailed(status: process.terminationStatus, message: firstLine)
        }
    }

    /// The first executable named `name` in the directories of PATH.
    static func findTool(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
