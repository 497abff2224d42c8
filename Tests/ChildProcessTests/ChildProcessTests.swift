import ChildProcess
import Foundation
import Testing

/// The runner every external program goes through: exit status, both streams, crashes and timeouts.
@Suite struct ChildProcessTests {
    let sh = URL(fileURLWithPath: "/bin/sh")

    @Test func capturesBothStreamsAndTheStatus() throws {
        let r = try ChildProcess.run(sh, ["-c", "echo out; echo err >&2; exit 3"])
        #expect(r.status == 3 && r.stdout == "out\n" && r.stderr == "err\n")
        #expect(!r.signaled && !r.timedOut)
    }

    /// More than a pipe buffer on both streams at once must not stall the child.
    @Test func largeOutputOnBothStreamsDoesNotBlock() throws {
        let r = try ChildProcess.run(sh, ["-c", "head -c 300000 /dev/zero | tr '\\0' a; head -c 300000 /dev/zero | tr '\\0' b >&2"],
                                     timeout: 60)
        #expect(!r.timedOut && r.status == 0)
        #expect(r.stdout.utf8.count == 300_000 && r.stderr.utf8.count == 300_000)
    }

    @Test func aCrashIsReportedAsASignal() throws {
        let r = try ChildProcess.run(sh, ["-c", "kill -SEGV $$"])
        #expect(r.signaled && r.status == SIGSEGV)
    }

    @Test func aChildStillRunningAtTheTimeoutIsTerminated() throws {
        let start = Date()
        let r = try ChildProcess.run(sh, ["-c", "exec sleep 30"], timeout: 0.3)
        #expect(r.timedOut && r.signaled)
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func environmentAndWorkingDirectoryReachTheChild() throws {
        let dir = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
        let r = try ChildProcess.run(sh, ["-c", "echo \"$SCALEFIT_PROBE\"; pwd"], cwd: dir,
                                     environment: ["SCALEFIT_PROBE": "x y"])
        #expect(r.stdout == "x y\n\(dir.path)\n")
    }

    @Test func toolsAreFoundOnThePathOrNotAtAll() throws {
        #expect(ChildProcess.find("sh", path: "/usr/bin:/bin") != nil)
        #expect(ChildProcess.find("sh", path: "/nonexistent-dir") == nil)
        #expect(ChildProcess.find("/bin/sh") == "/bin/sh")
        #expect(try ChildProcess.run(tool: "scalefit-no-such-tool", []) == nil)
    }
}
