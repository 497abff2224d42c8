import Foundation

/// Runs the built `scalefit` binary as a child process, the way a user does. Shared by the CLI tests
/// and the fuzz tests (each test target depends on the `scalefit` executable, so it is built first).
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// True when the process ended by a signal (a crash: SIGILL, SIGSEGV, SIGABRT) or was killed at the timeout.
    public var signaled: Bool = false
    public var timedOut: Bool = false

    public init(status: Int32, stdout: String, stderr: String, signaled: Bool = false, timedOut: Bool = false) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.signaled = signaled
        self.timedOut = timedOut
    }
}

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
        let p = Process()
        p.executableURL = executable ?? binary
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while p.isRunning && Date() < deadline { usleep(5_000) }
            if p.isRunning {
                timedOut = true
                p.terminate()
            }
        }
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self),
                         signaled: p.terminationReason == .uncaughtSignal, timedOut: timedOut)
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

