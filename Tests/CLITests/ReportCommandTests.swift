import Foundation
import Testing

@Suite struct ReportCommandTests {
    @Test func emptyDatabaseGivesAReportSayingWhatIsMissing() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let f = s.write("p.csv", "N,D,loss\n1e6,1e7,3\n")
        #expect(try CLI.run(["import", f, "--source", "x", "--db", db]).status == 0)
        let r = try CLI.run(["report", "--db", db, "--out", s.path("rep")])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        #expect(html.contains("No fits yet"))
        #expect(html.contains("scalefit sweep --preset demo"))
    }

    @Test func reportOfARealRunPlotsItsNumbers() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let t = try CLI.run(["train", "--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "4",
                             "--steps", "20", "--eval-every", "10", "--eval-windows", "4", "--downstream-items", "4", "--db", db])
        #expect(t.status == 0, "\(t.stderr)")
        let r = try CLI.run(["report", "--db", db, "--out", s.path("rep"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(lastJSON(r))
        let plots = try #require(o["plots"] as? Int)
        #expect(plots >= 2)
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == plots)
        #expect(!html.contains("<script"))
        #expect(try CLI.run(["report", "--db", s.path("absent.db")]).status == 2)
    }
}

/// The report of a database that holds only imported data: the commonest use (fitting runs
/// trained elsewhere) must be drawn, and `--png` must write one PNG per plot.
@Suite struct ImportedReportTests {
    /// Points from L = E + A/N^alpha + B/D^beta (Hoffmann et al.'s published fit) at scattered
    /// (N, D), not on a grid, with a small deterministic wobble.
    static func chinchillaCSV(count: Int = 60) -> String {
        var csv = "N,D,loss\n"
        for i in 0..<count {
            let n = 7e7 * pow(16e9 / 7e7, Double(i % 12) / 11) * (1 + 0.1 * sin(Double(i)))
            let d = 5e9 * pow(5e11 / 5e9, Double((i * 7) % count) / Double(count - 1))
            let loss = 1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28) + 0.01 * sin(Double(i) * 1.7)
            csv += "\(n),\(d),\(loss)\n"
        }
        return csv
    }

    @Test func importedChinchillaPointsAndAFitAreDrawnAndExportedAsPNG() throws {
        let s = Scratch()
        let db = s.path("r.db")
        #expect(try CLI.run(["import", s.write("c.csv", Self.chinchillaCSV()), "--source", "chinchilla", "--db", db]).status == 0)
        let fit = try CLI.run(["fit", "--law", "chinchilla", "--source", "chinchilla", "--starts", "60", "--bootstrap", "0", "--db", db])
        #expect(fit.status == 0, "\(fit.stderr)")
        let r = try CLI.run(["report", "--db", db, "--out", s.path("rep"), "--png", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(lastJSON(r))
        let plots = try #require(o["plots"] as? Int)
        #expect(plots >= 3)
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == plots)
        for id in ["imported-params", "imported-tokens", "imported-residuals"] {
            #expect(html.contains("id=\"fig-\(id)\""), "\(id)")
        }
        #expect(html.contains("Data: 60 imported point(s) of source &#39;chinchilla&#39;"))
        #expect(!html.contains("No Chinchilla fit yet"))
        #expect(html.contains("60 imported point(s): 60 of source &#39;chinchilla&#39;"))
        let files = try FileManager.default.contentsOfDirectory(atPath: s.path("rep"))
        #expect(files.filter { $0.hasSuffix(".png") }.count == plots, "\(files)")
        #expect(files.filter { $0.hasSuffix(".svg") }.count == plots, "\(files)")
        for png in files where png.hasSuffix(".png") {
            let bytes = try #require(s.bytes("rep/\(png)"))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.count > 2000, "\(png)")
        }
    }

    /// Imported (loss, error) pairs with a downstream fit, and an imported curve with an annealing
    /// fit: both drawn, each caption saying which data it shows.
    @Test func importedPairsAndCurvesAreDrawn() throws {
        let s = Scratch()
        let db = s.path("r.db")
        var pairs = "loss,error\n"
        for i in 0..<20 {
            let l = 1.5 + 2.5 * Double(i) / 19
            pairs += "\(l),\(0.8 - 2 * exp(-l) + 0.004 * sin(Double(i) * 2.3))\n"
        }
        #expect(try CLI.run(["import", s.write("p.csv", pairs), "--source", "evals", "--db", db]).status == 0)
        #expect(try CLI.run(["fit", "--law", "downstream", "--source", "evals", "--bootstrap", "0", "--db", db]).status == 0)
        // A cosine curve from the annealing law itself, with W&B names.
        var curve = "Step,train/loss,lr\n"
        var s1 = 0.0
        for step in 1...400 {
            let lr = 1e-3 * (0.55 + 0.45 * cos(Double.pi * Double(step) / 400))
            s1 += lr
            curve += "\(step),\(2 + 0.5 * pow(s1 * 1000, -0.4) + 0.002 * sin(Double(step))),\(lr)\n"
        }
        let imp = try CLI.run(["import", s.write("wandb.csv", curve), "--curve", "--db", db, "--json"])
        #expect(imp.status == 0, "\(imp.stderr)")
        let run = try #require(lastJSON(imp)?["run_id"] as? Int)
        let fit = try CLI.run(["fit", "--law", "annealing", "--run", "\(run)", "--lambda", "0.999", "--bootstrap", "0", "--db", db])
        #expect(fit.status == 0, "\(fit.stderr)")
        let r = try CLI.run(["report", "--db", db, "--out", s.path("rep"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        #expect(html.contains("id=\"fig-downstream\"") && html.contains("Data: imported (loss, downstream_error) pairs of source &#39;evals&#39;"))
        #expect(html.contains("id=\"fig-annealing\"") && html.contains("1 imported with"), "\(html.count)")
    }
}
