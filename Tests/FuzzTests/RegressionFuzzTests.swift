import Foundation
import Testing

/// The hostile inputs quoted in issue 10, replayed as fixed cases under the fuzz contract (exit 2, one
/// `error:` line, no signal, database unchanged), plus missing files and directories for every reader.
@Suite(.serialized) struct RegressionFuzzTests {
    let f = FuzzFixture.shared

    @Test func issueTenCases() {
        let spec = { (key: String, value: String) in self.f.file("toml", FuzzFixture.specText(replacing: key, with: value)) }
        let hugeCurve = f.file("csv", "step,lr,loss\n1,0.001,3.0\n99999999999999,0.001,2.0\n")
        let hugeLR = f.file("csv", "step,lr\n1,0.001\n99999999999999,0.0001\n")
        let flat = f.file("csv", "step,lr,loss\n" + (1...200).map { "\($0),0.001,2.5" }.joined(separator: "\n"))
        let tiny = ["--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "2", "--steps", "2",
                    "--downstream-items", "0", "--db", "{DB}"]
        let cases: [FuzzCase] = [
            FuzzCase("d-model 3e9", ["train", "--d-model", "3000000000", "--db", "{DB}"]),
            FuzzCase("n-layer 1e8", ["train", "--n-layer", "100000000", "--db", "{DB}"]),
            FuzzCase("batch 1e11", ["train", "--batch", "100000000000", "--db", "{DB}"]),
            FuzzCase("d-model = n-head = 2^32", ["train", "--d-model", "4294967296", "--n-head", "4294967296", "--db", "{DB}"]),
            FuzzCase("seed -1", ["train", "--seed=-1"] + tiny), FuzzCase("corpus-seed -1", ["train", "--corpus-seed=-1"] + tiny),
            FuzzCase("steps Int64.max", ["train", "--steps", "9223372036854775807", "--db", "{DB}"]),
            FuzzCase("steps -5", ["train", "--steps", "-5", "--db", "{DB}"]),
            FuzzCase("threads 0", ["train", "--threads", "0"] + tiny), FuzzCase("threads -3", ["train", "--threads=-3"] + tiny),
            FuzzCase("eval-windows 0", ["train", "--eval-windows", "0"] + tiny),
            FuzzCase("downstream-items -1", ["train", "--downstream-items=-1", "--db", "{DB}"]),
            FuzzCase("schedule steps vs --steps", ["train", "--schedule", "cosine:steps=1000000000000", "--steps", "10", "--db", "{DB}"]),
            FuzzCase("jobs 0", ["sweep", "--spec", spec("seq_len", "16"), "--jobs", "0", "--db", "{DB}"]),
            FuzzCase("tokens-per-param 1e300", ["sweep", "--preset", "demo", "--tokens-per-param", "1e300", "--db", "{DB}"]),
            FuzzCase("tokens 1e300", ["sweep", "--spec", spec("tokens", "[1e300]"), "--db", "{DB}"]),
            FuzzCase("seq_len 1e300", ["sweep", "--spec", spec("seq_len", "1e300"), "--db", "{DB}"]),
            FuzzCase("seeds 1e30", ["sweep", "--spec", spec("seeds", "[1e30]"), "--db", "{DB}"]),
            FuzzCase("seeds 0.5 0.7", ["sweep", "--spec", spec("seeds", "[0.5, 0.7]"), "--db", "{DB}"]),
            FuzzCase("corpus_seed 1e30", ["sweep", "--spec", spec("corpus_seed", "1e30"), "--db", "{DB}"]),
            FuzzCase("params 1e300", ["sweep", "--spec", f.file("toml", FuzzFixture.specText().replacingOccurrences(
                of: "shapes = [\"1x32\"]", with: "params = [1e300]")), "--db", "{DB}"]),
            FuzzCase("corpus directory", ["sweep", "--spec", spec("corpus", "\"\(f.directory)\""), "--db", "{DB}"]),
            FuzzCase("corpus directory plan", ["sweep", "--spec", spec("corpus", "\"\(f.directory)\""), "--plan", "--db", "{DB}"]),
            FuzzCase("corpus binary", ["sweep", "--spec", spec("corpus", "\"\(f.binaryFile)\""), "--db", "{DB}"]),
            FuzzCase("corpus too short", ["sweep", "--spec", spec("corpus", "\"\(f.shortText)\""), "--db", "{DB}"]),
            FuzzCase("curve 1e14 fit", ["fit", "--law", "annealing", "--curve", hugeCurve, "--db", "{DB}"]),
            FuzzCase("curve 1e14 import", ["import", hugeCurve, "--curve", "--db", "{DB}"]),
            FuzzCase("lr-file 1e14", ["predict", "--fit", "\(f.annealingFit)", "--lr-file", hugeLR, "--db", "{DB}"]),
            FuzzCase("schedule 1e11 steps", ["predict", "--fit", "\(f.annealingFit)", "--schedule", "cosine", "--steps", "100000000000", "--db", "{DB}"]),
            FuzzCase("schedule steps= vs --steps", ["predict", "--fit", "\(f.annealingFit)", "--schedule", "cosine:steps=1000000000000", "--steps", "10", "--db", "{DB}"]),
            FuzzCase("predict N D M", ["predict", "--fit", "\(f.chinchillaFit)", "--N", "1e9", "--D", "2e10", "--M", "20", "--db", "{DB}"]),
            FuzzCase("predict compute N", ["predict", "--fit", "\(f.chinchillaFit)", "--compute", "1e21", "--N", "1e9", "--db", "{DB}"]),
            FuzzCase("predict lr-file schedule", ["predict", "--fit", "\(f.annealingFit)", "--lr-file", hugeLR, "--schedule", "cosine", "--db", "{DB}"]),
            FuzzCase("20 identical overtrain", ["fit", "--law", "overtrain", "--source", "same", "--db", "{DB}"]),
            FuzzCase("constant loss chinchilla", ["fit", "--law", "chinchilla", "--source", "flat", "--db", "{DB}"]),
            FuzzCase("flat annealing", ["fit", "--law", "annealing", "--curve", flat, "--bootstrap", "0", "--db", "{DB}"]),
            FuzzCase("five points chinchilla", ["fit", "--law", "chinchilla", "--source", "good", "--where", "n < 2e6 and d < 2e8 and not (n > 5e5 and d > 5e7)",
                                                "--db", "{DB}"]),
            FuzzCase("downstream_error 7", ["import", f.file("csv", "N,D,loss,downstream_error\n1e6,1e7,3,7\n"), "--source", "e", "--db", "{DB}"]),
            FuzzCase("downstream_error -0.5", ["import", f.file("csv", "N,D,loss,downstream_error\n1e6,1e7,3,-0.5\n"), "--source", "e", "--db", "{DB}"]),
            FuzzCase("repeated column", ["import", f.file("csv", "N,N,D,loss\n1e6,1e6,1e7,3\n"), "--source", "r", "--db", "{DB}"]),
            FuzzCase("hex number", ["import", f.file("csv", "N,D,loss\n0x10,1e7,3\n"), "--source", "h", "--db", "{DB}"]),
            FuzzCase("curve negative loss", ["import", f.file("csv", "step,lr,loss\n1,0.001,-3\n2,0.001,-2\n"), "--curve", "--db", "{DB}"]),
            FuzzCase("curve zero lr", ["import", f.file("csv", "step,lr,loss\n1,0,3\n2,0,2\n"), "--curve", "--db", "{DB}"]),
            FuzzCase("db empty", ["import", f.file("csv", "N,D,loss\n1e6,1e7,3\n"), "--source", "x", "--db", ""]),
            FuzzCase("db memory", ["import", f.file("csv", "N,D,loss\n1e6,1e7,3\n"), "--source", "x", "--db", ":memory:"]),
            FuzzCase("100 KB number", ["predict", "--fit", "\(f.chinchillaFit)", "--N", String(repeating: "9", count: 100_000), "--D", "1e9", "--db", "{DB}"]),
        ]
        // Missing files and directories, for every command that reads a file.
        let missing = f.scratch.path("no-such-file.csv")
        var more: [FuzzCase] = []
        for path in [missing, f.directory] {
            more += [
                FuzzCase("import \(path)", ["import", path, "--source", "m", "--db", "{DB}"]),
                FuzzCase("import json \(path)", ["import", path + ".json", "--source", "m", "--db", "{DB}"]),
                FuzzCase("import curve \(path)", ["import", path, "--curve", "--db", "{DB}"]),
                FuzzCase("fit curve \(path)", ["fit", "--law", "annealing", "--curve", path, "--db", "{DB}"]),
                FuzzCase("lr-file \(path)", ["predict", "--fit", "\(f.annealingFit)", "--lr-file", path, "--db", "{DB}"]),
                FuzzCase("spec \(path)", ["sweep", "--spec", path, "--plan", "--db", "{DB}"]),
                FuzzCase("train corpus \(path)", ["train", "--corpus", path] + tiny),
            ]
        }
        // The remaining commands: export, analyze, report, merge, and output options.
        more += [
            FuzzCase("export unknown table", ["export", "--table", "nope", "--db", "{DB}"]),
            FuzzCase("export sqlite_master", ["export", "--table", "sqlite_master", "--db", "{DB}"]),
            FuzzCase("export to directory", ["export", "--table", "points", "--out", f.directory, "--db", "{DB}"]),
            FuzzCase("export to missing dir", ["export", "--table", "points", "--out", missing + "/x.csv", "--db", "{DB}"]),
            FuzzCase("analyze missing run", ["analyze", "--run", "999999", "--db", "{DB}"]),
            FuzzCase("analyze -1", ["analyze", "--run", "-1", "--db", "{DB}"]),
            FuzzCase("analyze abc", ["analyze", "--run", "abc", "--db", "{DB}"]),
            FuzzCase("report to file", ["report", "--out", f.shortText, "--db", "{DB}"]),
            FuzzCase("merge missing input", ["merge", missing, "-o", "{DB}"]),
            FuzzCase("merge directory input", ["merge", f.directory, "-o", "{DB}"]),
            FuzzCase("merge text input", ["merge", f.shortText, "-o", "{DB}"]),
            FuzzCase("json and csv", ["runs", "--json", "--format", "csv", "--db", "{DB}"]),
            FuzzCase("format xml", ["query", "select 1", "--format", "xml", "--db", "{DB}"]),
            FuzzCase("unknown command", ["frobnicate", "--db", "{DB}"]),
            FuzzCase("db is a directory", ["runs", "--db", f.directory]),
            FuzzCase("db is text", ["runs", "--db", f.shortText]),
            FuzzCase("db is binary", ["query", "select 1", "--db", f.binaryFile]),
        ]
        let all = cases + more
        let failures = FuzzRunner.run(all, fixture: f)
        #expect(failures.isEmpty, "\(failures.count) of \(all.count) cases broke the contract:\n\(failures.joined(separator: "\n"))")
    }
}
