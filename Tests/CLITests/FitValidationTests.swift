import Foundation
import Testing

/// Degenerate data, capped curves and conflicting options (issue 10): one `error:` line, exit 2, no fit
/// or run stored.
@Suite struct FitValidationTests {
    func expectError(_ args: [String], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLI.run(args)
        #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(expected), "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(args): \(r.stderr)", sourceLocation: sourceLocation)
    }

    func count(_ table: String, _ db: String) throws -> String {
        let r = try CLI.run(["query", "select count(*) from \(table)", "--db", db, "--format", "csv"])
        return String(r.stdout.split(separator: "\n").last ?? "")
    }

    /// A loss curve of the annealing law itself (Tissue et al. 2024) for a constant LR with warmup.
    func lawCurve(steps: Int = 600, every: Int = 5) -> String {
        let (l0, a, alpha) = (2.0, 0.6, 0.5)
        var s1 = 0.0
        var rows = ["step,lr,loss"]
        for i in 0..<steps {
            let eta = i < 20 ? 1e-3 * Double(i + 1) / 20 : 1e-3
            s1 += eta
            if i % every == 0 { rows.append("\(i + 1),\(eta),\(l0 + a * pow(s1, -alpha))") }
        }
        return rows.joined(separator: "\n")
    }

    @Test func degenerateDataIsAnErrorAndNoFitIsStored() throws {
        let s = Scratch()
        let db = s.path("r.db")
        var identical = "N,D,loss\n", repeated = "N,D,loss\n", constant = "N,D,loss\n", grid = "N,D,loss\n"
        for i in 0..<20 {
            identical += "1e6,2e7,3.1\n"
            repeated += "1e6,2e7,\(3.1 + 0.01 * Double(i % 3))\n"  // seeds of one configuration
        }
        for n in [1e5, 1e6, 1e7] { for d in [1e6, 1e7, 1e8] { constant += "\(n),\(d),3.0\n" } }
        for (n, d) in [(1e5, 1e6), (1e6, 1e7), (1e7, 1e8), (1e8, 1e9), (1e9, 1e10)] {
            grid += "\(n),\(d),\(1.7 + 400 / pow(n, 0.34) + 400 / pow(d, 0.28))\n"
        }
        for (name, text) in [("same", identical), ("repeated", repeated), ("flat", constant), ("five", grid)] {
            #expect(try CLI.run(["import", s.write("\(name).csv", text), "--source", name, "--db", db]).status == 0)
        }
        try expectError(["fit", "--law", "overtrain", "--source", "same", "--db", db], "all 20 losses are equal")
        try expectError(["fit", "--law", "overtrain", "--source", "repeated", "--db", db], "only 1 distinct")
        try expectError(["fit", "--law", "chinchilla", "--source", "repeated", "--db", db], "only 1 distinct")
        try expectError(["fit", "--law", "chinchilla", "--source", "flat", "--db", db], "all 9 losses are equal")
        try expectError(["fit", "--law", "isoflop", "--source", "flat", "--db", db], "are equal")
        try expectError(["fit", "--law", "chinchilla", "--source", "five", "--db", db],
                        "5 points for the 5 parameters of the chinchilla law (at least 6 needed)")
        let flat = s.write("flat-curve.csv", "step,lr,loss\n" + (1...200).map { "\($0),0.001,2.5" }.joined(separator: "\n"))
        try expectError(["fit", "--law", "annealing", "--curve", flat, "--bootstrap", "0", "--db", db], "flat curve")
        #expect(try count("fits", db) == "0")
    }

    @Test func curveAndScheduleStepsAreCapped() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let huge = s.write("huge.csv", "step,lr,loss\n1,0.001,3.0\n99999999999999,0.001,2.0\n")
        let negative = s.write("neg.csv", "step,lr,loss\n1,0.001,3.0\n2,0.001,-2.0\n")
        let zeroLR = s.write("zero.csv", "step,lr,loss\n1,0,3.0\n2,0,2.9\n")
        try expectError(["fit", "--law", "annealing", "--curve", huge, "--db", db], "cap of 100000000 steps")
        for file in [huge, negative, zeroLR] {
            try expectError(["import", file, "--curve", "--db", db], file)
        }
        let runs = FileManager.default.fileExists(atPath: db) ? try count("runs", db) : "0"
        #expect(runs == "0")
        // A fit to predict from: the law's own curve.
        let good = s.write("good.csv", lawCurve())
        let fit = try CLI.run(["fit", "--law", "annealing", "--curve", good, "--warmup-as-peak", "off", "--bootstrap", "0",
                               "--db", db, "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let id = "\(try #require(lastJSON(fit)?["fit_id"] as? Int))"
        let lrHuge = s.write("lr.csv", "step,lr\n1,0.001\n99999999999999,0.0001\n")
        try expectError(["predict", "--fit", id, "--lr-file", lrHuge, "--db", db], "cap of 100000000 steps")
        try expectError(["predict", "--fit", id, "--schedule", "cosine", "--steps", "100000000000", "--db", db],
                        "--steps must be <= 100000000")
        try expectError(["predict", "--fit", id, "--schedule", "cosine:steps=100000000000", "--db", db], "<= 100000000")
        try expectError(["predict", "--fit", id, "--schedule", "cosine:steps=1000", "--steps", "10", "--db", db],
                        "give one of them")
        try expectError(["predict", "--fit", id, "--schedule", "cosine", "--steps", "-5", "--db", db], "--steps must be > 0")
        // Valid forms still predict.
        let ok = try CLI.run(["predict", "--fit", id, "--schedule", "cosine:steps=300", "--db", db, "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(lastJSON(ok)?["steps"] as? Int == 300)
    }

    @Test func conflictingOptionsAreErrors() throws {
        let s = Scratch()
        let db = s.path("r.db")
        var grid = "N,D,loss\n"
        for n in [1e5, 1e6, 1e7] { for d in [1e6, 1e7, 1e8] { grid += "\(n),\(d),\(1.7 + 400 / pow(n, 0.34) + 400 / pow(d, 0.28))\n" } }
        #expect(try CLI.run(["import", s.write("g.csv", grid), "--source", "g", "--db", db]).status == 0)
        let fit = try CLI.run(["fit", "--law", "chinchilla", "--source", "g", "--starts", "50", "--bootstrap", "0", "--db", db, "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let id = "\(try #require(lastJSON(fit)?["fit_id"] as? Int))"
        let lr = s.write("lr.csv", "step,lr\n1,0.001\n100,0.0001\n")
        for (args, expected) in [
            (["--N", "1e9", "--D", "2e10", "--M", "20"], "got --N --D --M"),
            (["--compute", "1e21", "--N", "1e9"], "got --N --compute"),
            (["--compute", "1e21", "--D", "1e9"], "got --D --compute"),
            (["--N", "1e9"], "got --N)"),
            (["--N", "1e9", "--D", "2e10", "--loss", "3"], "got --N --D --loss"),
            (["--N", "1e9", "--D", "2e10", "--lr-file", lr], "--lr-file"),
            (["--N", "-1e9", "--D", "2e10"], "--N must be > 0"),
            (["--N", "inf", "--D", "2e10"], "not a finite decimal number"),
            ([String](), "got no options"),
        ] {
            try expectError(["predict", "--fit", id, "--db", db] + args, expected)
        }
        let good = try CLI.run(["predict", "--fit", id, "--N", "1e9", "--D", "2e10", "--db", db, "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        for (args, expected) in [
            (["--law", "chinchilla", "--source", "g", "--lambda", "0.99"], "--lambda is only used by annealing fits"),
            (["--law", "chinchilla", "--source", "g", "--from-step", "10"], "--from-step is only used by curve-law fits"),
            (["--law", "chinchilla", "--source", "g", "--sweep", "1"], "--sweep selects runs, but --source"),
            (["--law", "overtrain", "--source", "g", "--huber-delta", "0.1"], "--huber-delta is only used by chinchilla"),
            (["--law", "chinchilla", "--source", "g", "--check-curve", lr], "--check-curve is only used by curve-law fits"),
            (["--law", "multipower", "--curve", lr, "--lambda", "0.99"], "--lambda is only used by annealing fits"),
            (["--law", "annealing,chinchilla", "--curve", lr], "only curve laws (annealing, multipower) can be compared"),
            (["--law", "annealing,annealing", "--curve", lr], "--law lists a law twice"),
            (["--law", "multipower,nope", "--curve", lr], "unknown law 'nope'"),
            (["--law", "downstream", "--source", "g", "--holdout", "size"], "--holdout is only used by"),
            (["--law", "annealing", "--curve", lr, "--source", "g"], "--source is not used by curve-law fits"),
            (["--law", "chinchilla", "--source", "g", "--bootstrap", "-1"], "--bootstrap must be >= 0"),
            (["--law", "chinchilla", "--source", "g", "--seed", "-1"], "-1"),
        ] {
            try expectError(["fit", "--db", db] + args, expected)
        }
        #expect(try count("fits", db) == "1")
    }
}
