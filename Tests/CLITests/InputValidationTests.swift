import Foundation
import Testing

/// The QA report's hostile flags and spec values (issue 10): each is one `error:` line, exit 2, and no
/// database file is even created (every check runs before the first write).
@Suite struct InputValidationTests {
    func expectRejected(_ args: [String], _ s: Scratch, contains: String? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let db = s.path("never.db")
        let r = try CLI.run(args + ["--db", db], cwd: s.url)
        let lines = r.stderr.split(separator: "\n")
        #expect(r.status == 2, "\(args): exit \(r.status), stderr \(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        if let contains { #expect(r.stderr.contains(contains), "\(args): \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(!FileManager.default.fileExists(atPath: db), "\(args) created the database", sourceLocation: sourceLocation)
    }

    @Test func hostileTrainFlags() throws {
        let s = Scratch()
        for (args, message) in [
            (["--d-model", "3000000000"], "more than this machine's"),
            (["--n-layer", "100000000"], "more than this machine's"),
            (["--batch", "100000000000"], "more than this machine's"),
            (["--d-model", "4294967296", "--n-head", "4294967296"], "more than this machine's"),
            (["--seed=-1"], "--seed must be >= 0 (got -1)"),
            (["--corpus-seed=-1"], "--corpus-seed must be >= 0"),
            (["--steps", "9223372036854775807"], "--steps must be <= 100000000"),
            (["--steps", "-5"], "--steps must be > 0 (got -5)"),
            (["--threads", "0"], "--threads must be > 0"),
            (["--threads=-3"], "--threads must be > 0"),
            (["--downstream-items=-1"], "--downstream-items must be >= 0"),
            (["--eval-windows", "0"], "--eval-windows must be > 0"),
            (["--lr", "nan"], "not a finite decimal number"),
            (["--lr", "0x10"], "not a finite decimal number"),
            (["--lr", "-1"], "--lr must be > 0"),
            (["--floor", "2"], "--floor must be <= 1"),
            (["--warmup", "600"], "--warmup must be <= 500"),
            (["--schedule", "cosine:steps=1000000000000", "--steps", "10"], "give one of them"),
            (["--schedule", "cosine:steps=1000000000000"], "<= 100000000"),
            (["--schedule", "wsd:lr=0.1", "--lr", "0.01"], "give one of them"),
            (["--steps", "100000000", "--seq-len", "1024"], "more than the cap of 1000000000000"),
            (["--corpus", s.url.path], "is a directory"),
        ] {
            try expectRejected(["train"] + args, s, contains: message)
        }
    }

    @Test func hostileSweepSpecsAndFlags() throws {
        let s = Scratch()
        try FileManager.default.createDirectory(atPath: s.path("adir"), withIntermediateDirectories: true)
        s.write("short.txt", "too short\n")
        try Data([0xff, 0xfe, 0x00, 0x80] + [UInt8](repeating: 0x41, count: 3000)).write(to: URL(fileURLWithPath: s.path("bin.dat")))
        func spec(top: String = "", models: String = "shapes = [\"1x32\"]", budgets: String = "tokens = [1e5]",
                  optim: String = "") -> String {
            s.write("s\(UUID().uuidString.prefix(8)).toml", "\(top)\n[models]\n\(models)\n[budgets]\n\(budgets)\n[optim]\n\(optim)\n")
        }
        let cases: [(String, String)] = [
            (spec(budgets: "tokens = [1e300]"), "'tokens': values must be <= 1000000000000"),
            (spec(top: "seq_len = 1e300"), "'seq_len': value must be <= "),
            (spec(optim: "seeds = [1e30]"), "'seeds': values must be <= "),
            (spec(optim: "seeds = [0.5, 0.7]"), "whole number (got 0.5)"),
            (spec(top: "corpus_seed = 1e30"), "'corpus_seed': value must be <= "),
            (spec(models: "params = [1e300]"), "'params': values must be <= "),
            (spec(budgets: "tokens = [1e12]"), "more than the cap of 100000000"),
            (spec(optim: "schedules = [\"cosine:steps=5\"]"), "budgets set the steps"),
            (spec(top: "corpus = \"adir\""), "is a directory"),
            (spec(top: "corpus = \"bin.dat\""), "not valid UTF-8"),
            (spec(top: "corpus = \"short.txt\""), "fewer than seq_len+1"),
        ]
        for (path, message) in cases {
            // --plan validates exactly as a run does; the run itself writes nothing.
            try expectRejected(["sweep", "--spec", path, "--plan"], s, contains: message)
            try expectRejected(["sweep", "--spec", path, "--jobs", "1"], s, contains: message)
        }
        let ok = spec()
        for (args, message) in [
            (["--jobs", "0"], "--jobs must be > 0"),
            (["--tokens-per-param", "1e300"], "--tokens-per-param must be <= 1000000000000"),
            (["--tokens-per-param", "-5"], "--tokens-per-param must be > 0"),
            (["--seeds", "0.5,0.7"], "whole number"),
            (["--seeds", "-1"], "--seeds must be >= 0"),
            (["--shapes", "2x64xfoo"], "--shapes"),
            (["--shard", "1/2/3"], "--shard"),
            (["--schedules", "cosine:steps=7"], "budgets set the steps"),
        ] {
            try expectRejected(["sweep", "--spec", ok, "--plan"] + args, s, contains: message)
        }
    }

    @Test func planPrintsExactCounts() throws {
        let s = Scratch()
        let path = s.write("s.toml", "batch = 1\nseq_len = 2\n[models]\nshapes = [\"1x32\"]\n[budgets]\ntokens = [1.9e8]\n")
        let r = try CLI.run(["sweep", "--spec", path, "--plan"], cwd: s.url)
        #expect(r.status == 0, "\(r.stderr)")
        // 1.9e8 tokens at 2 tokens per step: 95,000,000 steps, printed in full (a 32-bit %d printed such counts mod 2^32).
        #expect(r.stdout.contains("N=12768  steps=95000000"), "\(r.stdout)")
        #expect(r.stdout.contains("D=190.00M"), "\(r.stdout)")
    }
}
