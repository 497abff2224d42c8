import Foundation

/// Runs the built `scalefit` binary as a child process, the way a user does.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary SwiftPM built for this test run (the test target depends on it).
    static var binary: URL {
        if let p = ProcessInfo.processInfo.environment["SCALEFIT_BIN"] { return URL(fileURLWithPath: p) }
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("scalefit"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("scalefit"),
            packageRoot.appendingPathComponent(".build/debug/scalefit"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    @discardableResult
    static func run(_ args: [String], cwd: URL? = nil, executable: URL? = nil) throws -> CLIResult {
        let p = Process()
        p.executableURL = executable ?? binary
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        // Output goes to files: no pipe buffer can fill up and stall the child.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("sf-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("sf-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}

final class Scratch {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        try! text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }
    func bytes(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }
}

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
