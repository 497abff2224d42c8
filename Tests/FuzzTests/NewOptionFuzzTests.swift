import Foundation
import Testing

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
}
