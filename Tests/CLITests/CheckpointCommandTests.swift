import Foundation
import Testing

/// `train --resume` with a missing or damaged checkpoint: one line, exit 2, nothing restarted.
@Suite struct CheckpointCommandTests {
    let tiny = ["--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "4",
                "--steps", "20", "--eval-every", "10", "--eval-windows", "2", "--downstream-items", "0"]

    /// A trained run marked unfinished again (as after a crash), with its checkpoint.
    func interruptedRun(_ s: Scratch) throws -> (db: String, checkpoint: URL)? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { return nil }
        let db = s.path("t.db")
        let r = try CLI.run(["train"] + tiny + ["--db", db, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let marked = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, "update runs set status = 'failed'"])
        #expect(marked.status == 0, "\(marked.stderr)")
        let dir = URL(fileURLWithPath: db + ".checkpoints")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".ckpt") }
        #expect(names.count == 1)
        return (db, dir.appendingPathComponent(names[0]))
    }

    func runCount(_ db: String) throws -> String? {
        try CLI.run(["query", "select count(*) from runs", "--db", db, "--format", "csv"]).stdout
            .split(separator: "\n").last.map(String.init)
    }

    @Test func resumeWithoutACheckpointSaysSo() throws {
        let s = Scratch()
        guard let (db, ck) = try interruptedRun(s) else { return }
        try FileManager.default.removeItem(at: ck)
        let r = try CLI.run(["train"] + tiny + ["--db", db, "--resume"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: --resume: run 1 has no checkpoint"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(try runCount(db) == "1")
    }

    @Test func resumeFromADamagedCheckpointNamesTheFile() throws {
        let s = Scratch()
        guard let (db, ck) = try interruptedRun(s) else { return }
        var bytes = try [UInt8](Data(contentsOf: ck))
        bytes[bytes.count - 100] ^= 0x01
        try Data(bytes).write(to: ck)
        let r = try CLI.run(["train"] + tiny + ["--db", db, "--resume"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: checkpoint \(ck.path) is corrupt (checksum mismatch)\n", "\(r.stderr)")
        #expect(try runCount(db) == "1")
        let tmp = try FileManager.default.contentsOfDirectory(atPath: ck.deletingLastPathComponent().path)
            .filter { $0.contains(".tmp-") }
        #expect(tmp.isEmpty)
    }

    @Test func anUnusableCheckpointFolderIsAnErrorBeforeAnyRunIsRecorded() throws {
        let s = Scratch()
        let db = s.path("c.db")
        let file = s.write("plain-file", "x")
        for dir in [file, file + "/sub", "/proc/version/x"] {
            let r = try CLI.run(["train"] + tiny + ["--db", db, "--checkpoint-dir", dir])
            #expect(r.status == 2, "\(dir): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: checkpoint I/O error: cannot create checkpoint folder"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        #expect(try runCount(db) == "0")
    }

    @Test func aDeviceOrFIFOIsNotADatabase() throws {
        let s = Scratch()
        let fifo = s.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in ["/dev/null", fifo] {
            let r = try CLI.run(["query", "select 1", "--db", path])
            #expect(r.status == 2 && r.stderr.contains("not a regular file"), "\(path): \(r.stderr)")
        }
    }
}
