import Foundation
import Testing

@Suite struct TrainCommandTests {
    let tiny = ["--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "4",
                "--eval-windows", "4", "--downstream-items", "4"]

    @Test func trainsRecordsAndSummarises() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let r = try CLI.run(["train"] + tiny + ["--steps", "30", "--eval-every", "10", "--db", db, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(lastJSON(r))
        for key in ["run_id", "val_loss", "train_loss", "tokens", "params_total", "params_nonembedding", "flops",
                    "tokens_per_s", "status"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        #expect(o["status"] as? String == "finished")
        #expect(o["tokens"] as? Int == 30 * 4 * 16)
        let steps = try CLI.run(["query", "select count(*), count(distinct lr) > 1 from steps", "--db", db, "--format", "csv"])
        #expect(steps.stdout.split(separator: "\n").last == "30,1")
        let evals = try CLI.run(["query", "select count(*) from evals where val_loss is not null and downstream_error is not null",
                                 "--db", db, "--format", "csv"])
        #expect(evals.stdout.split(separator: "\n").last == "3")
        // Same flags and seed: the same loss curve, bit for bit.
        let again = try CLI.run(["train"] + tiny + ["--steps", "30", "--eval-every", "10", "--db", db, "--json"])
        #expect(again.status == 0)
        let same = try CLI.run(["query", "select count(*) from steps a join steps b on a.step = b.step and a.run_id = 1 and b.run_id = 2 where a.train_loss = b.train_loss",
                                "--db", db, "--format", "csv"])
        #expect(same.stdout.split(separator: "\n").last == "30")
        // Training dynamics were recorded.
        let dyn = try CLI.run(["analyze", "--run", "1", "--db", db, "--json"])
        #expect(dyn.status == 0)
        let erank = try #require((lastJSON(dyn)?["effective_rank"] as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(erank.count == 3)
    }

    @Test func badConfigsAreRejectedAndWriteNothing() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let cases: [([String], String)] = [
            (["--d-model", "30", "--n-head", "4"], "not divisible by n_head"),
            (["--n-layer", "0"], "--n-layer must be > 0"),
            (["--lr=-1"], "must be > 0"),
            (["--schedule", "triangle"], "unknown schedule 'triangle'"),
            (["--corpus", s.path("missing.txt")], "missing.txt"),
            (["--corpus", s.write("empty.txt", "")], "empty"),
            (["--corpus", s.write("short.txt", "tiny text"), "--seq-len", "64"], "short"),
        ]
        for (args, expected) in cases {
            let r = try CLI.run(["train", "--steps", "5", "--db", db] + args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func divergenceIsMarkedWithItsStep() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let r = try CLI.run(["train"] + tiny + ["--steps", "200", "--lr", "1000", "--warmup", "0", "--grad-clip", "0",
                                                "--eval-every", "100", "--db", db, "--json"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("diverged"))
        let row = try CLI.run(["query", "select status, diverged_step is not null, diverged_step < 200 from runs", "--db", db, "--format", "csv"])
        #expect(row.stdout.split(separator: "\n").last == "diverged,1,1")
    }
}
