import Foundation
import Testing

/// Hostile numeric flags for train, sweep, predict and fit, and predict's option combinations. Each
/// case is a valid tiny command with one flag replaced, so a value the checks let through would run
/// (and fail the case by writing to the database or by its exit code).
@Suite(.serialized) struct FlagFuzzTests {
    let f = FuzzFixture.shared

    func check(_ cases: [FuzzCase]) {
        let failures = FuzzRunner.run(cases, fixture: f)
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases broke the contract:\n\(failures.joined(separator: "\n"))")
    }

    /// A valid command as (flag, value) pairs with `flag` set to `value`, sometimes as `--flag=value`.
    static func command(_ base: [(String, String)], _ flag: String, _ value: String, equals: Bool) -> [String] {
        var args: [String] = []
        for (k, v) in base where k != flag { args += [k, v] }
        return args + (equals ? ["\(flag)=\(value)"] : [flag, value])
    }

    @Test func trainFlags() {
        var h = HostileText(seed: 0x2001)
        let base = [("--n-layer", "1"), ("--d-model", "32"), ("--n-head", "1"), ("--seq-len", "16"), ("--batch", "2"),
                    ("--steps", "2"), ("--eval-windows", "2"), ("--downstream-items", "0"), ("--db", "{DB}")]
        // (flag, smallest valid value or nil for a real that must be > 0)
        let flags: [(String, Int?)] = [("--n-layer", 1), ("--d-model", 1), ("--n-head", 1), ("--seq-len", 1), ("--batch", 1),
                                       ("--steps", 1), ("--warmup", 0), ("--corpus-seed", 0), ("--seed", 0), ("--eval-every", 0),
                                       ("--eval-windows", 1), ("--downstream-items", 0), ("--threads", 1), ("--lr", nil)]
        let cases = (0..<48).map { i -> FuzzCase in
            let (flag, min) = h.pick(flags)
            var value = min.map { h.integer(min: $0) } ?? h.positiveReal()
            if flag == "--warmup", value.hasPrefix("1e-") || value == "0.5" { value = "3" }  // > --steps 2
            return FuzzCase("train \(flag) #\(i)", ["train"] + Self.command(base, flag, value, equals: h.chance(0.4)))
        }
        let others = [["--floor", "1.5"], ["--floor", "nan"], ["--weight-decay", "-1"], ["--grad-clip", "inf"],
                      ["--schedule", "bogus"], ["--schedule", "wsd:decay=1e400"], ["--schedule", "cosine:steps=1e12"],
                      ["--corpus", "synthetic:words=-1"], ["--corpus", f.directory], ["--corpus", f.binaryFile],
                      ["--corpus", f.shortText], ["--corpus", "missing-corpus.txt"]]
        check(cases + others.enumerated().map { FuzzCase("train other #\($0)", ["train"] + Self.command(base, $1[0], $1[1], equals: false)) })
    }

    @Test func sweepFlags() {
        var h = HostileText(seed: 0x2002)
        let spec = f.file("toml", FuzzFixture.specText())
        let base = [("--spec", spec), ("--plan", ""), ("--db", "{DB}")]
        var cases: [FuzzCase] = []
        for i in 0..<30 {
            let (flag, value): (String, String) = h.pick([
                ("--jobs", h.integer(min: 1)),
                ("--tokens-per-param", h.pick(HostileText.notNumbers + HostileText.nonPositive + ["1e300", "1e13", "5,,10", "5,"])),
                ("--lrs", h.pick(HostileText.notNumbers + HostileText.nonPositive + ["1e-3,", ",1e-3"])),
                ("--seeds", h.pick(HostileText.notNumbers + HostileText.negative + HostileText.fractional + ["1e30", "0,0.5", "0,"])),
                ("--shapes", h.pick(["0x32", "1x0", "axb", "1x33", "99999999999x32", "1x32x2", "", "x", "-1x32", "1x32,", "100000x4096"])),
                ("--shard", h.pick(["0/2", "3/2", "1/0", "a/b", "1/2/3", "", "-1/2", "1/-2", "99999999999999999999/1", "1/", "/2"])),
                ("--schedules", h.pick(["bogus", "cosine:steps=5", "cosine;", ";", "wsd:decay=-1", "cosine:lr=1"])),
                ("--corpus", h.pick([f.directory, f.binaryFile, f.shortText, "missing.txt", "synthetic:words=0"])),
            ])
            var args = ["sweep"]
            for (k, v) in base where k != flag { args += v.isEmpty ? [k] : [k, v] }
            args += h.chance(0.3) && !value.isEmpty ? ["\(flag)=\(value)"] : [flag, value]
            cases.append(FuzzCase("sweep \(flag) #\(i)", args))
        }
        check(cases)
    }

    @Test func predictFlagsAndCombinations() {
        var h = HostileText(seed: 0x2003)
        let lrFile = f.file("csv", FuzzFixture.csv("step,lr", FuzzFixture.curveRows.map { Array($0.prefix(2)) }))
        let valid: [String: String] = ["--N": "1e9", "--D": "2e10", "--M": "20", "--compute": "1e21", "--loss": "2.5",
                                       "--schedule": "cosine", "--steps": "200", "--lr": "0.001", "--lr-file": lrFile]
        let allowed: [Int: [Set<String>]] = [
            f.chinchillaFit: [["--N", "--D"], ["--N", "--M"], ["--compute"]],
            f.annealingFit: [["--schedule"], ["--schedule", "--steps"], ["--schedule", "--lr"], ["--schedule", "--steps", "--lr"],
                             ["--lr-file"], ["--lr-file", "--steps"]],
        ]
        var cases: [FuzzCase] = []
        // Option sets the law does not predict from: every one must be refused, none silently ignored.
        while cases.count < 24 {
            let fit = h.chance(0.5) ? f.chinchillaFit : f.annealingFit
            var set = Set<String>()
            for _ in 0..<(1 + h.below(4)) { set.insert(h.pick(Array(valid.keys).sorted())) }
            if allowed[fit]!.contains(set) { continue }
            let args = set.sorted().flatMap { [$0, valid[$0]!] }
            cases.append(FuzzCase("predict combination #\(cases.count)", ["predict", "--fit", "\(fit)", "--db", "{DB}"] + args))
        }
        // Valid combinations with one value broken.
        for i in 0..<16 {
            if h.chance(0.5) {
                let (a, b) = h.pick([("--N", "--D"), ("--N", "--M")])
                let bad = h.chance(0.5) ? a : b
                let args = [a, b].flatMap { [$0, $0 == bad ? h.positiveReal() : valid[$0]!] }
                cases.append(FuzzCase("predict value #\(i)", ["predict", "--fit", "\(f.chinchillaFit)", "--db", "{DB}"] + args))
            } else {
                let args = h.chance(0.5) ? ["--schedule", "cosine", "--steps", h.integer(min: 1)]
                    : ["--schedule", h.pick(["bogus", "cosine:steps=100000000000", "wsd:decay=nan", "cosine:warmup=1e300", ""]),
                       "--steps", "100"]
                cases.append(FuzzCase("predict schedule #\(i)", ["predict", "--fit", "\(f.annealingFit)", "--db", "{DB}"] + args))
            }
        }
        cases.append(FuzzCase("predict missing fit", ["predict", "--fit", "999999", "--N", "1e9", "--D", "1e10", "--db", "{DB}"]))
        cases.append(FuzzCase("predict fit id", ["predict", "--fit", h.integer(min: 1), "--N", "1e9", "--D", "1e10", "--db", "{DB}"]))
        check(cases)
    }

    @Test func fitFlags() {
        var h = HostileText(seed: 0x2004)
        let curve = f.file("csv", FuzzFixture.csv("step,lr,loss", FuzzFixture.curveRows))
        let size = [("--law", "chinchilla"), ("--source", "good"), ("--starts", "10"), ("--bootstrap", "0"), ("--db", "{DB}")]
        let annealing = [("--law", "annealing"), ("--curve", curve), ("--bootstrap", "0"), ("--db", "{DB}")]
        var cases: [FuzzCase] = []
        for i in 0..<30 {
            let (useAnnealing, flag, value): (Bool, String, String) = h.pick([
                (false, "--bootstrap", h.pick(HostileText.notNumbers + HostileText.negative + HostileText.huge + HostileText.fractional)),
                (false, "--starts", h.integer(min: 1)),
                (false, "--seed", h.pick(HostileText.notNumbers + HostileText.negative + HostileText.fractional + ["18446744073709551616"])),
                (false, "--huber-delta", h.positiveReal()),
                (true, "--train-windows", h.integer(min: 1)),
                (true, "--from-step", h.pick(HostileText.notNumbers + HostileText.negative + HostileText.huge + HostileText.fractional)),
                (true, "--lambda", h.pick(HostileText.notNumbers.filter { $0 != "" } + ["0", "1", "-0.5", "2", "1e300", "fitted"])),
                (true, "--warmup-as-peak", h.pick(HostileText.notNumbers + HostileText.negative + HostileText.huge + ["Auto", "on"])),
                (true, "--loss", h.pick(["", "smoothed", "VAL", "1"])),
                (false, "--params", h.pick(["", "all", "TOTAL", "embedding"])),
                (false, "--law", h.pick(["", "kaplan", "Chinchilla", "chinchilla;", "💥"])),
            ])
            let base = useAnnealing ? annealing : size
            cases.append(FuzzCase("fit \(flag) #\(i)", ["fit"] + Self.command(base, flag, value, equals: h.chance(0.3))))
        }
        let conflicts = [
            ["--law", "chinchilla", "--source", "good", "--lambda", "0.99"], ["--law", "chinchilla", "--source", "good", "--sweep", "1"],
            ["--law", "overtrain", "--source", "good", "--huber-delta", "0.5"], ["--law", "downstream", "--source", "good", "--holdout"],
            ["--law", "annealing", "--curve", curve, "--source", "good"], ["--law", "annealing", "--curve", curve, "--where", "1"],
            ["--law", "isoflop", "--source", "good", "--curve", curve], ["--law", "chinchilla", "--source", "good", "--run", "1"],
            ["--law", "annealing", "--curve", curve, "--check-run", "99999"], ["--law", "annealing", "--run", "99999"],
            ["--law", "chinchilla", "--source", "no-such-source"], ["--law", "annealing", "--curve", f.directory],
            ["--law", "annealing", "--curve", "missing-curve.csv"],
        ]
        cases += conflicts.enumerated().map { FuzzCase("fit conflict #\($0)", ["fit", "--db", "{DB}", "--bootstrap", "0"] + $1) }
        check(cases)
    }
}
