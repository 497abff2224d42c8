import Foundation
import Testing

/// Hostile files for every reader that takes user input: point CSV and JSON (`import`), curve CSV
/// (`import --curve`, `fit --curve`), LR files (`predict --lr-file`) and TOML specs (`sweep --spec --plan`).
/// Each generated file is the valid fixture file with one thing broken, so the error is that thing.
@Suite(.serialized) struct ReaderFuzzTests {
    let f = FuzzFixture.shared

    func check(_ cases: [FuzzCase]) {
        let failures = FuzzRunner.run(cases, fixture: f)
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases broke the contract:\n\(failures.joined(separator: "\n"))")
    }

    /// A structural break of a CSV: repeated or missing columns, ragged rows, quotes, binary, emptiness.
    static func brokenCSV(_ h: inout HostileText, header: [String], rows: [[String]]) -> (String, [UInt8]?) {
        let head = header.joined(separator: ",")
        let body = rows.map { $0.joined(separator: ",") }
        let k = min(2, header.count - 1)  // a required column (loss, or lr in an LR file)
        func without(_ row: [String]) -> String { row.enumerated().filter { $0.offset != k }.map(\.element).joined(separator: ",") }
        switch h.below(9) {
        case 0: return ((["\(header[0]),\(head)"] + rows.map { "\($0[0]),\($0.joined(separator: ","))" }).joined(separator: "\n"), nil)
        case 1: return (([without(header)] + rows.map(without)).joined(separator: "\n"), nil)
        case 2: return (h.pick(["", "\n\n", "   \n", head, head + "\n"]), nil)
        case 3: var b = body; b[h.below(b.count)] += ",1"; return (([head] + b).joined(separator: "\n"), nil)
        case 4: var b = body; b[h.below(b.count)] = rows[0].dropLast().joined(separator: ","); return (([head] + b).joined(separator: "\n"), nil)
        case 5: var b = body; b[h.below(b.count)] = "\"" + b[0]; return (([head] + b).joined(separator: "\n"), nil)
        case 6: return ("", [0xFF, 0xFE, 0x00, 0x9F] + (0..<600).map { _ in UInt8(truncatingIfNeeded: h.rng.next()) })
        case 7:
            var renamed = header
            renamed[k] += "_x"
            return (([renamed.joined(separator: ",")] + body).joined(separator: "\n"), nil)
        default: return ((["\u{FEFF}" + head.replacingOccurrences(of: header[0], with: "\(header[0])\u{0301}")] + body)
            .joined(separator: "\n"), nil)
        }
    }

    static func file(_ f: FuzzFixture, _ ext: String, _ content: (String, [UInt8]?)) -> String {
        content.1.map { f.file(ext, bytes: $0) } ?? f.file(ext, content.0)
    }

    @Test func pointCSVImport() {
        var h = HostileText(seed: 0x1001)
        let header = ["N", "D", "loss", "downstream_error"]
        let cases = (0..<40).map { i -> FuzzCase in
            var rows = FuzzFixture.pointRows
            let path: String
            if h.below(3) < 2 {
                let r = h.below(rows.count), c = h.below(4)
                rows[r][c] = c < 3 ? h.pick(HostileText.notNumbers + HostileText.nonPositive)
                    : h.pick(["-0.5", "7", "1.5", "nan", "inf", "abc", "0x10", "-1e-9", "1e300"])
                path = f.file("csv", FuzzFixture.csv(header.joined(separator: ","), rows))
            } else {
                path = Self.file(f, "csv", Self.brokenCSV(&h, header: header, rows: rows))
            }
            return FuzzCase("points.csv #\(i)", ["import", path, "--source", "fuzz\(i)", "--db", "{DB}"])
        }
        check(cases)
    }

    @Test func pointJSONImport() {
        var h = HostileText(seed: 0x1002)
        let fixed = [
            "", "null", "{}", "[]", "5", "\"rows\"", "{\"rows\": 5}", "[1, 2]", "[{\"N\": 1e6}]", "{\"rows\": [{}]}",
            "[{\"N\": 1e6, \"D\": 1e7, \"loss\": 3.0", "[{\"N\": NaN, \"D\": 1e7, \"loss\": 3}]",
            "[{\"N\": 1e400, \"D\": 1e7, \"loss\": 3}]", "[{\"N\": -1, \"D\": 1e7, \"loss\": 3}]",
            "[{\"N\": \"abc\", \"D\": 1e7, \"loss\": 3}]", "[{\"N\": {\"x\": 1}, \"D\": 1e7, \"loss\": 3}]",
            "[{\"N\": 1e6, \"D\": 1e7, \"loss\": 3, \"downstream_error\": 7}]", "[{\"N\": \"\\uD800\", \"D\": 1, \"loss\": 1}]",
            "[{\"N\": 0x10, \"D\": 1e7, \"loss\": 3}]", "[{\"N\": 1e6, \"D\": 1e7, \"loss\": true}]",
            String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
            "{\"rows\": " + String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000) + "}",
        ]
        var cases = fixed.enumerated().map { FuzzCase("points.json fixed #\($0)", ["import", f.file("json", $1), "--source", "j\($0)", "--db", "{DB}"]) }
        for i in 0..<10 {
            let depth = h.pick([600, 5_000, 200_000])
            let open = h.pick(["[", "{\"k\":"]), close = open == "[" ? "]" : "}"
            let text = String(repeating: open, count: depth) + (h.chance(0.5) ? String(repeating: close, count: depth) : "")
            cases.append(FuzzCase("points.json deep #\(i)", ["import", f.file("json", text), "--source", "d\(i)", "--db", "{DB}"]))
        }
        check(cases)
    }

    /// Curve rows with one step, LR or loss broken (the step cap, order, signs, non-numbers).
    static func brokenCurveRows(_ h: inout HostileText, lossColumn: Bool) -> [[String]] {
        var rows = FuzzFixture.curveRows.map { lossColumn ? $0 : Array($0.prefix(2)) }
        let r = h.below(rows.count)
        switch h.below(lossColumn ? 6 : 5) {
        case 0: rows[rows.count - 1][0] = h.pick(["99999999999999", "1e300", "9223372036854775808", "100000001", "1e15"])
        case 1: rows[r][0] = h.pick(HostileText.notNumbers + HostileText.negative + HostileText.fractional)
        case 2: rows[max(r, 1)][0] = rows[max(r, 1) - 1][0]  // a repeated step
        case 3: rows[r][1] = h.pick(HostileText.notNumbers + HostileText.negative)
        case 4: for k in rows.indices { rows[k][1] = "0" }
        default: rows[r][2] = h.pick(HostileText.notNumbers + HostileText.nonPositive)
        }
        return rows
    }

    @Test func curveCSVImportAndFit() {
        var h = HostileText(seed: 0x1003)
        let header = ["step", "lr", "loss"]
        let cases = (0..<36).map { i -> FuzzCase in
            let path = h.below(4) == 0 ? Self.file(f, "csv", Self.brokenCSV(&h, header: header, rows: FuzzFixture.curveRows))
                : f.file("csv", FuzzFixture.csv("step,lr,loss", Self.brokenCurveRows(&h, lossColumn: true)))
            return i % 2 == 0
                ? FuzzCase("curve import #\(i)", ["import", path, "--curve", "--db", "{DB}"])
                : FuzzCase("curve fit #\(i)", ["fit", "--law", "annealing", "--curve", path, "--bootstrap", "0", "--db", "{DB}"])
        }
        check(cases)
    }

    @Test func lrFilesForPredict() {
        var h = HostileText(seed: 0x1004)
        let cases = (0..<24).map { i -> FuzzCase in
            let path = h.below(4) == 0
                ? Self.file(f, "csv", Self.brokenCSV(&h, header: ["step", "lr"], rows: FuzzFixture.curveRows.map { Array($0.prefix(2)) }))
                : f.file("csv", FuzzFixture.csv("step,lr", Self.brokenCurveRows(&h, lossColumn: false)))
            return FuzzCase("lr file #\(i)", ["predict", "--fit", "\(f.annealingFit)", "--lr-file", path, "--db", "{DB}"])
        }
        check(cases)
    }

    /// For each spec key, values that are wrong for it (type, range, whole-number, caps, syntax).
    static func hostileSpecValues(_ key: String, _ f: FuzzFixture) -> [String] {
        let ints = ["-1", "1e300", "0.5", "1e30", "\"16\"", "true", "[]", "nan", "inf", "-inf", "99999999999999999999",
                    "9223372036854775807", "1e", "0x", "--1", "16 16"]
        switch key {
        case "seq_len": return ints + ["0", "1"]
        case "batch", "head_dim", "evals", "eval_windows": return ints + ["0"]
        case "downstream_items", "corpus_seed": return ints
        case "name": return ["\"\"", "5", "[]", "\"unterminated", "'''"]
        case "corpus": return ["\"missing-file.txt\"", "\"\(f.directory)\"", "\"\(f.binaryFile)\"", "\"\(f.shortText)\"",
                               "\"synthetic:words=0\"", "\"synthetic:bogus=1\"", "\"synthetic:words=1e300\"", "\"\"", "5"]
        case "shapes": return ["[\"0x32\"]", "[\"1x0\"]", "[\"axb\"]", "[\"1x33\"]", "[\"99999999999x32\"]", "[\"1x32x2\"]",
                               "[\"\"]", "[1]", "[]", "[\"-1x32\"]", "[\"100000x4096\"]", "[\"1x9999999999999999999999\"]"]
        case "tokens": return ["[]", "[-1]", "[0]", "[1e300]", "[nan]", "[inf]", "[\"a\"]", "[true]", "[1e12]", "[1e4, -5]"]
        case "lr": return ["[]", "[-1]", "[0]", "[nan]", "[inf]", "[\"a\"]", "[true]", "[-inf]"]
        case "seeds": return ["[]", "[-1]", "[0.5]", "[1e30]", "[nan]", "[\"a\"]", "[0, 0.7]", "[9007199254740993]"]
        case "schedules": return ["[\"bogus\"]", "[\"cosine:steps=1e20\"]", "[\"wsd:decay=2\"]", "[\"cosine:warmup=-1\"]",
                                  "[\"cosine:floor=nan\"]", "[\"cosine:lr=0x10\"]", "[\"wsd:shape=zig\"]", "[\"\"]", "[]",
                                  "[\"cosine:steps=5\"]", "[\"cosine:warmup=1e300\"]", "[1]"]
        case "warmup_fraction", "floor_fraction": return ["-0.1", "1.5", "nan", "inf", "\"x\"", "1e300", "[0.1]"]
        default: return ["-1", "nan", "inf", "\"x\"", "-inf", "[]"]  // weight_decay, grad_clip
        }
    }

    @Test func sweepSpecs() {
        var h = HostileText(seed: 0x1005)
        var cases: [FuzzCase] = []
        for i in 0..<64 {
            let text: String
            if h.below(5) == 0 {
                let base = FuzzFixture.specText()
                text = h.pick([
                    base + "bogus_key = 1\n", base + "[nope]\nx = 1\n", base + "[optim]\nlr = [1e-3]\n",
                    base.replacingOccurrences(of: "[models]", with: "[models"), "name = \"unterminated\n" + base,
                    base + "garbage line\n", "", "[models]\n", String(repeating: "x", count: 200_000),
                    FuzzFixture.specText(replacing: "shapes"), FuzzFixture.specText(replacing: "tokens"),
                    FuzzFixture.specText(extra: "[budgets]\nflops = [1e12]\n"),
                ])
            } else {
                let entry = h.pick(FuzzFixture.spec)
                text = FuzzFixture.specText(replacing: entry.key, with: h.pick(Self.hostileSpecValues(entry.key, f)))
            }
            cases.append(FuzzCase("spec #\(i)", ["sweep", "--spec", f.file("toml", text), "--plan", "--db", "{DB}"]))
        }
        check(cases)
    }
}
