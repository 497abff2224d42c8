// The process harness (CLI, CLIResult, Scratch) lives in CLITestSupport, shared with the fuzz tests.
@_exported import CLITestSupport
import Foundation

func referencePath(_ file: String) -> String? {
    var dir = CLI.packageRoot
    for _ in 0..<3 {
        let c = dir.appendingPathComponent("shared/reference/\(file)")
        if FileManager.default.fileExists(atPath: c.path) { return c.path }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// The last line of stdout parsed as a JSON object (the contract of --json).
func lastJSON(_ r: CLIResult) -> [String: Any]? {
    guard let line = r.stdout.split(separator: "\n").last,
          let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
    return obj
}
