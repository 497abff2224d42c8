// The process harness (CLI, CLIResult, Scratch) lives in CLITestSupport, shared with the fuzz tests.
@_exported import ChildProcess
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

/// Starts scalefit with `args` and kills it with SIGKILL the first time `ready` holds (polled every
/// 20 ms for up to `timeout` seconds). True when it was killed, false when it ended first.
func killWhen(_ args: [String], timeout: TimeInterval = 300, _ ready: () -> Bool) throws -> Bool {
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(timeout)
    var killed = false
    while Date() < deadline && p.isRunning {
        if ready() {
            kill(p.processIdentifier, SIGKILL)
            killed = true
            break
        }
        usleep(20_000)
    }
    p.waitUntilExit()
    return killed
}
