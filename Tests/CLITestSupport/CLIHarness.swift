import ChildProcess
import Foundation

/// What a `scalefit` run left behind (status, stdout, stderr, and whether it crashed or timed out).
public typealias CLIResult = ChildProcess.Result

/// Runs the built `scalefit` binary as a child process, the way a user does. Shared by the CLI tests
/// and the fuzz tests (each test target depends on the `scalefit` executable, so it is built first).
public enum CLI {
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary SwiftPM built for this test run (the test target depends on it).
    public static var binary: URL {
        if let p = ProcessInfo.processInfo.environment["SCALEFIT_BIN"] { return URL(fileURLWithPath: p) }
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("scalefit"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("scalefit"),
            packageRoot.appendingPathComponent(".build/debug/scalefit"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// Runs scalefit with `args`; with a `timeout` (seconds) a process still running then is killed
    /// and reported as `timedOut`; `executable` replaces the scalefit binary; `environment` adds to (or overrides) the test's environment.
    @discardableResult
    public static func run(_ args: [String], cwd: URL? = nil, executable: URL? = nil, timeout: TimeInterval? = nil,
                           environment: [String: String] = [:]) throws -> CLIResult {
        try ChildProcess.run(executable ?? binary, args, cwd: cwd, environment: environment, timeout: timeout)
    }
}

/// A temporary directory removed when the value goes away.
public final class Scratch: @unchecked Sendable {
    public let url: URL
    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scalefit-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        try! text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }
    public func bytes(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }
}

