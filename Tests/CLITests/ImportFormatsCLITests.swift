import Foundation
import Testing

/// Real-world inputs end to end, as a user runs them: TOML specs in every form, (loss, error)
/// pairs without N and D, and curves exported from loggers.
@Suite struct ImportFormatsCLITests {
    static let plainSpec = """
    name = "forms"
    seq_len = 16
    batch = 2
    [models]
    shapes = ["1x32", "2x32"]
    [budgets]
    tokens = [640, 1280]
    [optim]
    lr = [3e-3]
    schedules = ["cosine"]
    """

    @Test func everyValidTOMLFormPlansTheSameGrid() throws {
        let s = Scratch()
        let forms = [
            Self.plainSpec,
            "name = 'forms'\nseq_len = 16\nbatch = 2\nmodels = { shapes = ['1x32', '2x32'] }\nbudgets = { tokens = [640, 1_280] }\noptim = { lr = 3e-3, schedules = 'cosine' }\n",
            "name = \"forms\" # dotted keys\r\nseq_len = 16\r\nbatch = 2\r\nmodels.shapes = [\r\n  \"1x32\", # one\r\n  \"2x32\",\r\n]\r\nbudgets.tokens = [640, 1280]\r\noptim.lr = 0.003\r\noptim.schedules = [\"cosine\"]\r\n",
        ]
        var plans: [String] = []
        for (i, text) in forms.enumerated() {
            let r = try CLI.run(["sweep", "--spec", s.write("forms\(i).toml", text), "--plan", "--db", s.path("r.db")])
            #expect(r.status == 0, "form \(i): \(r.stderr)")
            plans.append(r.stdout)
        }
        #expect(plans[0].contains("1x32") && plans.allSatisfy { $0 == plans[0] }, "\(plans)")
        let bad: [(String, String)] = [
            ("name = 'x'\nmodels = { shapes = ['1x32'], depth = 2 }\n", "forms.toml line 2: unknown key 'depth' in [models]"),
            (Self.plainSpec.replacingOccurrences(of: "batch = 2", with: "batch = 'two'"), "forms.toml line 3: 'batch': expected a number"),
            (Self.plainSpec.replacingOccurrences(of: "tokens = [640, 1280]", with: "tokens = [640, 1280]\nrate.x = 1"), "forms.toml line 8: unknown key 'rate' in [budgets]"),
        ]
        for (text, expected) in bad {
            let r = try CLI.run(["sweep", "--spec", s.write("forms.toml", text), "--plan", "--db", s.path("r.db")])
            #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.contains(expected), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }

    /// Gadre et al. 2024's Err(L) = eps - k exp(-gamma L), sampled: `import` takes the pairs with
    /// no N or D and `fit --law downstream --source` recovers the law.
    @Test func lossErrorPairsImportAndFitTheDownstreamLaw() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let (eps, k, gamma) = (0.8, 2.0, 1.0)
        var csv = "Loss,Error\n"
        for i in 0..<24 {
            let l = 1.5 + 2.5 * Double(i) / 23
            let wobble = 0.004 * sin(Double(i) * 2.3)
            csv += "\(l),\(eps - k * exp(-gamma * l) + wobble)\n"
        }
        let imp = try CLI.run(["import", s.write("evals.csv", csv), "--source", "evals", "--db", db])
        #expect(imp.status == 0, "\(imp.stderr)")
        let fit = try CLI.run(["fit", "--law", "downstream", "--source", "evals", "--bootstrap", "0", "--db", db, "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        let params = try #require(lastJSON(fit)?["params"] as? [String: Any])
        let e = try #require((params["eps"] as? NSNumber)?.doubleValue)
        let g = try #require((params["gamma"] as? NSNumber)?.doubleValue)
        #expect(abs(e - eps) < 0.03 && abs(g - gamma) < 0.15, "\(params)")
        // The pairs have no N and D: a size law on them says so and stores nothing.
        let chin = try CLI.run(["fit", "--law", "chinchilla", "--source", "evals", "--db", db])
        #expect(chin.status == 2 && chin.stderr.contains("have no N and D"), "\(chin.stderr)")
        // Out-of-range errors and hex numbers are refused, and the database keeps its 24 pairs.
        for (name, text) in [("neg.csv", "loss,error\n3,-0.5\n"), ("big.csv", "loss,downstream_error\n3,7\n"), ("hex.csv", "N,D,loss\n0x10,2,3\n")] {
            let r = try CLI.run(["import", s.write(name, text), "--source", "bad", "--db", db])
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(s.path(name)):2: "), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        let q = try CLI.run(["query", "select count(*) as n from points", "--db", db, "--json"])
        #expect(((lastJSON(q)?["rows"] as? [[String: Any]])?.first?["n"] as? NSNumber)?.intValue == 24)
    }

    /// A W&B-style export imports with no flags (rows where other metrics were logged are
    /// skipped, with a note); other names need --step-col/--lr-col/--loss-col.
    @Test func loggerExportsImportAsCurves() throws {
        let s = Scratch()
        let db = s.path("r.db")
        var wandb = "Step,train/loss,lr\n"
        var other = "iteration,eta,objective\n"
        for step in 1...40 {
            let lr = 1e-3 * (1 - Double(step) / 50)
            let loss = 2 + 3 / Double(step).squareRoot()
            wandb += step % 4 == 0 ? "\(step),,\(lr)\n" : "\(step),\(loss),\(lr)\n"
            other += "\(step),\(lr),\(loss)\n"
        }
        let w = try CLI.run(["import", s.write("wandb.csv", wandb), "--curve", "--db", db, "--json"])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stderr.contains("note: \(s.path("wandb.csv")): 10 rows with an empty train/loss skipped"), "\(w.stderr)")
        #expect((lastJSON(w)?["rows"] as? NSNumber)?.intValue == 30)
        let plain = try CLI.run(["import", s.write("other.csv", other), "--curve", "--db", db])
        #expect(plain.status == 2 && plain.stderr.contains("no step column") && plain.stderr.contains("--step-col"), "\(plain.stderr)")
        let named = try CLI.run(["import", s.path("other.csv"), "--curve", "--step-col", "iteration", "--lr-col", "eta",
                                 "--loss-col", "objective", "--db", db, "--json"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect((lastJSON(named)?["rows"] as? NSNumber)?.intValue == 40)
        // JSON Lines, W&B history style.
        let jsonl = (1...20).map { "{\"_step\": \($0), \"train/loss\": \(2 + 1 / Double($0)), \"learning_rate\": 0.001}" }.joined(separator: "\n")
        let j = try CLI.run(["import", s.write("history.jsonl", jsonl), "--curve", "--db", db, "--json"])
        #expect(j.status == 0 && (lastJSON(j)?["rows"] as? NSNumber)?.intValue == 20, "\(j.stderr)")
        // Bad curves: negative loss, all-zero LR. One line, exit 2.
        for (name, text) in [("neg.csv", "step,lr,loss\n1,0.1,-2\n"), ("zero.csv", "step,lr,loss\n1,0,2\n2,0,1.9\n")] {
            let r = try CLI.run(["import", s.write(name, text), "--curve", "--db", db])
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(s.path(name))") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        // fit --curve reads the same files with the same flags (a cosine curve from the law itself).
        var cosine = "it,eta,objective\n"
        var s1 = 0.0
        for step in 1...300 {
            let lr = 1e-3 * (0.55 + 0.45 * cos(Double.pi * Double(step) / 300))
            s1 += lr
            cosine += "\(step),\(lr),\(2 + 0.5 * pow(s1 * 1000, -0.4) + 0.001 * sin(Double(step)))\n"
        }
        let file = s.write("cosine.csv", cosine)
        let bare = try CLI.run(["fit", "--law", "annealing", "--curve", file, "--bootstrap", "0", "--no-store", "--db", db])
        #expect(bare.status == 2 && bare.stderr.contains("no step column"), "\(bare.stderr)")
        let fit = try CLI.run(["fit", "--law", "annealing", "--curve", file, "--step-col", "it", "--lr-col", "eta",
                               "--loss-col", "objective", "--lambda", "0.999", "--bootstrap", "0", "--no-store", "--db", db, "--json"])
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect((lastJSON(fit)?["n"] as? NSNumber).map { $0.intValue > 200 } == true, "\(fit.stdout)")
        let runs = try CLI.run(["query", "select count(*) as n from runs", "--db", db, "--json"])
        #expect(((lastJSON(runs)?["rows"] as? [[String: Any]])?.first?["n"] as? NSNumber)?.intValue == 3)
    }
}
