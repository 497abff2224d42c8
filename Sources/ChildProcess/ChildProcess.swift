import Foundation

/// Runs an external program to completion and returns what it printed. The one place that starts a
/// child process: Slurm's tools (`sbatch`, `squeue`), `rsvg-convert` for PNG figures, and the test
/// harness that runs the `scalefit` binary the way a user does.
///
/// Output goes to temporary files rather than pipes: a pipe's buffer (64 KiB on Linux) fills when
/// nobody reads it, and a child writing more than that to both streams would block forever while the
/// parent waits for it to exit.
public enum ChildProcess {
    /// What a finished child left behind.
    public struct Result: Sendable, Equatable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the child ended by a signal (a crash: SIGILL, SIGSEGV, SIGABRT; or killed at the timeout).
        public var signaled: Bool
        /// True when the child was still running at the timeout and was terminated.
        public var timedOut: Bool

        public init(status: Int32, stdout: String, stderr: String, signaled: Bool = false, timedOut: Bool = false) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.signaled = signaled
            self.timedOut = timedOut
        }
    }

    /// The first executable file named `tool` in the directories of `path` (PATH by default); nil
    /// when none is, so a caller can say which package to install instead of failing in `exec`.
    public static func find(_ tool: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` (stdin is /dev/null) and waits for it. `environment` adds to
    /// (or overrides) this process's environment; with a `timeout` in seconds a child still running
    /// then is killed (SIGKILL) and reported as `timedOut`. Only the child is killed: a grandchild it
    /// started lives on, and Foundation's wait returns only when it ends too (measured with
    /// `sh -c "sleep 30"`), so run programs directly rather than through a shell when a timeout matters.
    public static func run(_ executable: URL, _ arguments: [String], cwd: URL? = nil,
                           environment: [String: String] = [:], timeout: TimeInterval? = nil) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = cwd }
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let tmp = FileManager.default.temporaryDirectory
        let outURL = tmp.appendingPathComponent("scalefit-child-\(UUID().uuidString).out")
        let errURL = tmp.appendingPathComponent("scalefit-child-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var timedOut = false
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while p.isRunning && Date() < deadline { usleep(5_000) }
            if p.isRunning {
                // SIGKILL, not `terminate()`'s SIGTERM, which a hung child may catch, block or ignore.
                timedOut = true
                kill(p.processIdentifier, SIGKILL)
            }
        }
        p.waitUntilExit()
        let text = { (url: URL) in String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self) }
        return Result(status: p.terminationStatus, stdout: text(outURL), stderr: text(errURL),
                      signaled: p.terminationReason == .uncaughtSignal, timedOut: timedOut)
    }

    /// `run` for a tool looked up on PATH; nil when the tool is not installed.
    public static func run(tool: String, _ arguments: [String], timeout: TimeInterval? = nil) throws -> Result? {
        guard let exe = find(tool) else { return nil }
        return try run(URL(fileURLWithPath: exe), arguments, timeout: timeout)
    }
}
