import CLITestSupport
import Foundation
import Testing
import Validation

/// Hostile inputs for the options added after the first fuzz pass (issue 12's curve options, spec
/// files toml++ cannot take), under the fuzz contract: exit 2, one `error:` line, no signal, the
/// database unchanged. Each group is one class of defect the QA pass found.
@Suite(.serialized) struct NewOptionFuzzTests {
    let f = FuzzFixture.shared

    func check(_ cases: [FuzzCase]) {
        let failures = FuzzRunner.run(cases, fixture: f)
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases broke the contract:\n\(failures.joined(separator: "\n"))")
    }

    /// Text toml++ 3.4 asserts on instead of reporting (a debug build aborts): a table header that
    /// does not start with a key, and a date with a `T` and no time. A JSON file given as a spec is
    /// the everyday way to hit the first.
    @Test func specTextTOMLWouldAssertOn() {
        let texts = ["[{\"step\": 1, \"lr\": 0.001}]\n", "[[[[\n", "[.a]\nx = 1\n", "[\n", "[ {\n", "[[{a}]]\n", "[ +\n",
                     "name = \"x\"\n[\r\n", "a = 1979-05-27T:\n", "seq_len = 16\nx = [1979-05-27t:]\n", "y = { z = 2001-01-01Tq: }\n",
                     FuzzFixture.specText() + "[\t\u{7F}]\n"]
        check(texts.enumerated().map { i, t in
            FuzzCase("toml hazard #\(i)", ["sweep", "--spec", f.file(i % 2 == 0 ? "json" : "toml", t), "--plan", "--db", "{DB}"])
        })
    }

    /// --curve-lr and the column flags must apply to a curve file of the command: on a size law, with
    /// only --run curves, naming a file that was not given, twice for one file, or on a points import
    /// they would be ignored silently.
    @Test func curveFileOptionsThatWouldBeIgnored() {
        let curve = f.file("csv", FuzzFixture.csv("step,lr,loss", FuzzFixture.curveRows))
        let other = f.file("csv", FuzzFixture.csv("step,lr,loss", FuzzFixture.curveRows))
        let lrs = f.file("csv", FuzzFixture.csv("step,lr", (0..<700).map { ["\($0)", "0.001"] }))
        let points = f.file("csv", FuzzFixture.csv("N,D,loss", FuzzFixture.pointRows.map { Array($0.prefix(3)) }))
        let fit = ["fit", "--bootstrap", "0", "--db", "{DB}"]
        let cases: [[String]] = [
            fit + ["--law", "chinchilla", "--source", "good", "--curve-lr", "\(curve)=\(lrs)"],
            fit + ["--law", "downstream", "--source", "good", "--step-col", "step"],
            fit + ["--law", "overtrain", "--source", "good", "--loss-col", "loss"],
            fit + ["--law", "annealing", "--curve", curve, "--curve-lr", "\(other)=\(lrs)"],
            fit + ["--law", "annealing", "--curve", curve, "--curve-lr", "\(curve)=\(lrs)", "--curve-lr", "\(curve)=\(lrs)"],
            fit + ["--law", "annealing,multipower", "--curve", curve, "--curve-lr", "\(other)=\(lrs)"],
            fit + ["--law", "annealing", "--run", "1", "--lr-col", "lr"],
            fit + ["--law", "annealing", "--run", "1", "--curve-lr", "\(curve)=\(lrs)"],
            ["import", points, "--source", "p", "--curve-lr", "\(curve)=\(lrs)", "--db", "{DB}"],
            ["import", curve, "--curve", "--curve-lr", "\(other)=\(lrs)", "--db", "{DB}"],
        ]
        check(cases.enumerated().map { FuzzCase("curve file option #\($0)", $1) })
    }

    /// Corpus knobs: a knob given twice (the last silently won), hexadecimal or empty values, empty
    /// items and a bare `quanta:` are errors in train, sweep and spec files alike.
    @Test func corpusKnobs() {
        let names = ["quanta:phrases=10,phrases=20", "quanta:exponent=1.2,exponent=1.3", "quanta:exponent=0x1p3", "quanta:exponent=nan",
                     "quanta:exponent=inf", "quanta:phrases=1e18", "quanta:phrases=0", "quanta:phrases=-1", "quanta:phrases", "quanta:phrases=",
                     "quanta:=5", "quanta:", "quanta:,", "quanta:phrases=5,,letters=3", "quanta::phrases=5", "synthetic:words=64,words=32",
                     "synthetic:pool_exponent=0x1p1", "synthetic:"]
        let tiny = ["--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "2", "--steps", "2",
                    "--downstream-items", "0", "--db", "{DB}"]
        let spec = f.file("toml", FuzzFixture.specText())
        var cases: [FuzzCase] = []
        for (i, n) in names.enumerated() {
            switch i % 3 {
            case 0: cases.append(FuzzCase("train corpus \(n)", ["train", "--corpus", n] + tiny))
            case 1: cases.append(FuzzCase("sweep corpus \(n)", ["sweep", "--spec", spec, "--corpus", n, "--plan", "--db", "{DB}"]))
            default:
                let file = f.file("toml", FuzzFixture.specText(replacing: "corpus", with: "\"\(n)\""))
                cases.append(FuzzCase("spec corpus \(n)", ["sweep", "--spec", file, "--db", "{DB}"]))
            }
        }
        check(cases)
    }

    /// Learning rates no optimiser uses (1e308 overflowed the sums of rates; the fit searched for a
    /// minute) are refused in every file that carries rates.
    @Test func learningRatesBeyondTheCap() {
        let curve = f.file("csv", "step,lr,loss\n" + (1...50).map { "\($0),1e308,\(3.0 - Double($0) / 100)" }.joined(separator: "\n"))
        let lrs = f.file("csv", "step,lr\n" + (0...700).map { "\($0),\($0 == 9 ? "2000" : "0.001")" }.joined(separator: "\n"))
        check([
            FuzzCase("fit curve lr 1e308", ["fit", "--law", "annealing", "--curve", curve, "--bootstrap", "0", "--db", "{DB}"]),
            FuzzCase("import curve lr 1e308", ["import", curve, "--curve", "--db", "{DB}"]),
            FuzzCase("predict lr-file 2000", ["predict", "--fit", "\(f.annealingFit)", "--lr-file", lrs, "--db", "{DB}"]),
        ])
    }

    /// A curve of 10^8 steps from a fit is refused up front with its memory estimate (each replicate
    /// is a curve of its own), not attempted. Only where the estimate is above half the machine's memory.
    @Test func predictedCurveTooLargeForMemory() throws {
        let steps = 100_000_000
        guard Double(steps) * (8 * 3 + 160) > MachineMemory.totalBytes / 2 else { return }
        check([FuzzCase("predict 1e8 steps", ["predict", "--fit", "\(f.annealingFit)", "--schedule", "cosine", "--steps", "\(steps)",
                                               "--db", "{DB}"])])
    }

    /// An echoed value with a line break or a control character stays on the one error line, escaped,
    /// with the rest of the message after it (it used to be cut at the line break).
    @Test func controlCharactersInEchoedValues() throws {
        let db = f.scratch.path("echo-\(UUID().uuidString).db")
        try FileManager.default.copyItem(atPath: f.database, toPath: db)
        let cases: [([String], String)] = [
            (["fit", "--law", "kaplan\nchinchilla", "--db", db], "'kaplan\\nchinchilla' (expected one of"),
            (["fit", "--law", "annealing", "--curve", "a.csv", "--objective", "lsq\nx", "--db", db], "'lsq\\nx' is invalid"),
            (["train", "--corpus", "quanta:phrases=\u{1B}[31m5", "--db", db], "\\u{1B}[31m5"),
            (["fit", "--law", "chinchilla\r", "--db", db], "'chinchilla\\r' (expected"),
        ]
        for (args, expected) in cases {
            let r = try CLI.run(args)
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(r.status == 2, "\(args): exit \(r.status)")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(args): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr) lacks \(expected)")
            #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x0D }, "\(args): raw control character")
        }
    }

    /// 6ND of two huge inputs overflows: the note says so instead of printing "C = inf".
    @Test func extrapolationNoteOfOverflowingCompute() throws {
        let r = try CLI.run(["predict", "--fit", "\(f.chinchillaFit)", "--N", "1e300", "--D", "1e300", "--db", f.database])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.lowercased().contains("inf") && !r.stdout.lowercased().contains("nan"), "\(r.stdout)")
        #expect(r.stdout.contains("overflows"), "\(r.stdout)")
    }

    /// A single-valued option given twice kept its last value, dropping the first (however invalid)
    /// without a word; and `query --timeout` read hexadecimal and denormal numbers.
    @Test func repeatedOptionsAndQueryTimeout() {
        let fit = "\(f.chinchillaFit)"
        check([
            FuzzCase("N twice", ["predict", "--fit", fit, "--N", "0", "--D", "1e10", "--N", "1e9", "--db", "{DB}"]),
            FuzzCase("N= twice", ["predict", "--fit", fit, "--N=-1", "--D", "1e10", "--N=1e9", "--db", "{DB}"]),
            FuzzCase("steps twice", ["train", "--steps", "-5", "--steps", "2", "--db", "{DB}"]),
            FuzzCase("law twice", ["fit", "--law", "kaplan", "--law", "chinchilla", "--source", "good", "--db", "{DB}"]),
            FuzzCase("db twice", ["runs", "--db", "{DB}", "--db", "{DB}"]),
            FuzzCase("merge -o twice", ["merge", "{DB}", "-o", f.scratch.path("m1.db"), "-o", f.scratch.path("m2.db")]),
            FuzzCase("timeout hex", ["query", "select 1", "--timeout", "0x10", "--db", "{DB}"]),
            FuzzCase("timeout denormal", ["query", "select 1", "--timeout", "1e-320", "--db", "{DB}"]),
            FuzzCase("timeout nan", ["query", "select 1", "--timeout", "nan", "--db", "{DB}"]),
        ])
    }

    /// Learning rates no optimiser trains at: the width rule turning a sane axis value into 4e57 or
    /// an overflow, an lr axis or flag of 1e300 (each trained a diverged run), and schedule specs with
    /// a key twice or an empty option (the last value or the default was taken without a word).
    @Test func learningRatesAndScheduleSpecs() {
        let two = FuzzFixture.specText().replacingOccurrences(of: "shapes = [\"1x32\"]", with: "shapes = [\"1x32\", \"1x64\"]")
        func spec(_ optim: String) -> String { f.file("toml", two.replacingOccurrences(of: "[optim]\n", with: "[optim]\n" + optim + "\n")) }
        let tiny = ["--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "2", "--steps", "2",
                    "--downstream-items", "0", "--db", "{DB}"]
        var cases = [
            FuzzCase("width exponent 100", ["sweep", "--spec", spec("lr_width_exponent = 100"), "--db", "{DB}"]),
            FuzzCase("width exponent 1e308", ["sweep", "--spec", spec("lr_width_exponent = 1e308"), "--plan", "--db", "{DB}"]),
            FuzzCase("base width 1e308", ["sweep", "--spec", spec("lr_width_exponent = 1\nlr_base_width = 1e308"), "--db", "{DB}"]),
            FuzzCase("lr axis 1e300", ["sweep", "--spec", FuzzFixture.specText(replacing: "lr", with: "[1e300]").asFile(f), "--db", "{DB}"]),
            FuzzCase("--lrs 1e4", ["sweep", "--spec", spec(""), "--lrs", "1e4", "--db", "{DB}"]),
            FuzzCase("train --lr 1e300", ["train", "--lr", "1e300"] + tiny),
            FuzzCase("predict lr= 1e9", ["predict", "--fit", "\(f.annealingFit)", "--schedule", "cosine:lr=1e9", "--steps", "10", "--db", "{DB}"]),
        ]
        for sched in ["cosine:warmup=1,warmup=2", "wsd:decay=0.2,decay=0.3", "cosine:lr=0.1,peak=0.2", "cosine:", "cosine:,",
                      "cosine:warmup=1,,floor=0", "wsd:decay=", "wsd:=0.2"] {
            cases.append(FuzzCase("train schedule \(sched)", ["train", "--schedule", sched] + tiny))
            cases.append(FuzzCase("predict schedule \(sched)", ["predict", "--fit", "\(f.annealingFit)", "--schedule", sched, "--steps", "10",
                                                                "--db", "{DB}"]))
        }
        check(cases)
    }

    /// A grid of 10^6 runs is refused before it is expanded (planning it took minutes), with its size;
    /// the axes' product is formed in Doubles, so no count overflows.
    @Test func sweepGridBeyondTheRunCap() {
        let seeds = "[" + (0..<1000).map(String.init).joined(separator: ", ") + "]"
        let lrs = "[" + (1...1000).map { "\($0)e-6" }.joined(separator: ", ") + "]"
        let grid = FuzzFixture.specText(replacing: "seeds", with: seeds).replacingOccurrences(of: "lr = [3e-3]", with: "lr = \(lrs)")
        check([
            FuzzCase("grid 1e6 plan", ["sweep", "--spec", f.file("toml", grid), "--plan", "--db", "{DB}"]),
            FuzzCase("grid 1e6", ["sweep", "--spec", f.file("toml", grid), "--db", "{DB}"]),
            FuzzCase("grid --seeds", ["sweep", "--spec", f.file("toml", FuzzFixture.specText(replacing: "lr", with: lrs)),
                                      "--seeds", (0..<1000).map(String.init).joined(separator: ","), "--db", "{DB}"]),
            // One load slot per shard was allocated up front: 8 GB for 10^9 shards, a trap for Int.max.
            FuzzCase("shard 1/1e9", ["sweep", "--spec", f.file("toml", FuzzFixture.specText()), "--shard", "1/1000000000", "--plan", "--db", "{DB}"]),
            FuzzCase("shard 1/Int.max", ["sweep", "--spec", f.file("toml", FuzzFixture.specText()), "--shard", "1/9223372036854775807",
                                         "--plan", "--db", "{DB}"]),
        ])
    }
}

private extension String {
    func asFile(_ f: FuzzFixture) -> String { f.file("toml", self) }
}
