import CLITestSupport
import Foundation

/// The database every fuzz case runs against (a copy per worker) and the valid files the generators
/// mutate. Built once through the CLI: imported points with downstream errors, an imported curve,
/// a Chinchilla fit and an annealing fit, so every table a command reads has rows to lose.
final class FuzzFixture: @unchecked Sendable {
    static let shared = FuzzFixture()

    let scratch = Scratch()
    let database: String
    var chinchillaFit = 0
    var annealingFit = 0
    let directory: String
    let binaryFile: String
    let shortText: String

    /// (N, D, loss, downstream_error) on a 3 x 3 grid of a Chinchilla law.
    static let pointRows: [[String]] = [1e5, 1e6, 1e7].flatMap { n in
        [1e6, 1e7, 1e8].map { d in
            let loss = 1.7 + 400 / pow(n, 0.34) + 400 / pow(d, 0.28)
            return ["\(n)", "\(d)", "\(loss)", "\(0.75 - 0.1 * exp(-loss))"]
        }
    }

    /// A constant-LR loss curve of the annealing law (Tissue et al. 2024), every 5th of 600 steps.
    static let curveRows: [[String]] = {
        var s1 = 0.0
        return (0..<600).compactMap { i in
            let eta = i < 20 ? 1e-3 * Double(i + 1) / 20 : 1e-3
            s1 += eta
            return i % 5 == 0 ? ["\(i + 1)", "\(eta)", "\(2.0 + 0.6 * pow(s1, -0.5))"] : nil
        }
    }()

    static let spec: [(key: String, value: String, section: String)] = [
        ("name", "\"fuzz\"", ""), ("corpus", "\"synthetic\"", ""), ("seq_len", "16", ""), ("batch", "2", ""), ("head_dim", "32", ""), ("evals", "2", ""),
        ("eval_windows", "4", ""), ("downstream_items", "0", ""), ("corpus_seed", "0", ""),
        ("shapes", "[\"1x32\"]", "models"), ("tokens", "[1e4]", "budgets"),
        ("lr", "[3e-3]", "optim"), ("schedules", "[\"cosine\"]", "optim"), ("seeds", "[0]", "optim"),
        ("warmup_fraction", "0.05", "optim"), ("floor_fraction", "0.1", "optim"), ("weight_decay", "0.1", "optim"),
        ("grad_clip", "1.0", "optim"),
    ]

    /// The base spec with `key`'s value replaced (or the key dropped when `value` is nil), plus extra lines.
    static func specText(replacing key: String? = nil, with value: String? = nil, extra: String = "") -> String {
        var sections: [String: [String]] = [:]
        for e in spec {
            if e.key == key {
                if let value { sections[e.section, default: []].append("\(e.key) = \(value)") }
            } else {
                sections[e.section, default: []].append("\(e.key) = \(e.value)")
            }
        }
        var out = (sections[""] ?? []).joined(separator: "\n") + "\n"
        for s in ["models", "budgets", "optim"] { out += "[\(s)]\n" + (sections[s] ?? []).joined(separator: "\n") + "\n" }
        return out + extra
    }

    static func csv(_ header: String, _ rows: [[String]]) -> String {
        ([header] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    private init() {
        database = scratch.path("fixture.db")
        directory = scratch.path("a-directory")
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        binaryFile = scratch.path("binary.dat")
        var bytes: [UInt8] = [0xFF, 0xFE, 0x00, 0xC3, 0x28]
        var rng = HostileText(seed: 7)
        for _ in 0..<4_000 { bytes.append(UInt8(truncatingIfNeeded: rng.rng.next())) }
        try! Data(bytes).write(to: URL(fileURLWithPath: binaryFile))
        shortText = scratch.write("short.txt", "too short\n")
        let points = scratch.write("points.csv", Self.csv("N,D,loss,downstream_error", Self.pointRows))
        let curve = scratch.write("curve.csv", Self.csv("step,lr,loss", Self.curveRows))
        let db = database
        func must(_ args: [String]) -> [String: Any] {
            let r = try! CLI.run(args + ["--db", db, "--json"])
            precondition(r.status == 0, "fuzz fixture: \(args) failed: \(r.stderr)")
            let line = r.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
        }
        _ = must(["import", points, "--source", "good"])
        // Degenerate data for the fit cases: 20 copies of one point, and a grid with one constant loss.
        _ = must(["import", scratch.write("same.csv", "N,D,loss\n" + String(repeating: "1e6,2e7,3.1\n", count: 20)), "--source", "same"])
        _ = must(["import", scratch.write("flat.csv", Self.csv("N,D,loss", Self.pointRows.map { [$0[0], $0[1], "3.0"] })),
                  "--source", "flat"])
        _ = must(["import", curve, "--curve", "--source", "curve"])
        chinchillaFit = must(["fit", "--law", "chinchilla", "--source", "good", "--starts", "20", "--bootstrap", "0"])["fit_id"] as? Int ?? 0
        annealingFit = must(["fit", "--law", "annealing", "--curve", curve, "--warmup-as-peak", "off",
                             "--bootstrap", "0"])["fit_id"] as? Int ?? 0
    }

    /// Writes a generated input file under a fresh name and returns its path.
    func file(_ ext: String, _ text: String) -> String {
        scratch.write("gen-\(UUID().uuidString).\(ext)", text)
    }

    func file(_ ext: String, bytes: [UInt8]) -> String {
        let p = scratch.path("gen-\(UUID().uuidString).\(ext)")
        try! Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
}
