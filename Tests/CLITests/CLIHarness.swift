// The process harness (CLI, CLIResult, Scratch) lives in CLITestSupport, shared with the fuzz tests.
@_exported import CLITestSupport
import Foundation

/// A file of the package's `Data/reference` directory (copies with provenance, see its README).
func referencePath(_ file: String) -> String? {
    let path = CLI.packageRoot.appendingPathComponent("Data/reference/\(file)").path
    return FileManager.default.fileExists(atPath: path) ? path : nil
}

/// The last line of stdout parsed as a JSON object (the contract of --json).
func lastJSON(_ r: CLIResult) -> [String: Any]? {
    guard let line = r.stdout.split(separator: "\n").last,
          let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
    return obj
}
