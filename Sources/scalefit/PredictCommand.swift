import ArgumentParser
import Fit
import Foundation
import Laws
import Schedule
import Store
import Validation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Extrapolate a stored fit, with bootstrap intervals.",
        discussion: """
        chinchilla/overtrain: --N --D (or --N --M) for the loss; --compute C for the compute-optimal N*, D* and loss.
        downstream: --loss L for the top-1 error.   isoflop: --compute C for N*, D*.
        annealing, multipower: --schedule SPEC --steps S [--lr PEAK], --lr-file FILE.csv (step, lr) or --like-run ID
        [--steps S] for the whole loss curve: one row per 0-based step t, the loss measured at step t (after t
        updates; README "Steps"), t = 0 (before training) left empty.
        """)

    @Option(parsing: .unconditional, help: "Fit id (see 'scalefit query \"select id, law, params from fits\"').") var fit: Int64
    @Option(name: .customLong("N"), parsing: .unconditional, help: "Parameters.", transform: FlagNumber.real) var n: Double?
    @Option(name: .customLong("D"), parsing: .unconditional, help: "Training tokens.", transform: FlagNumber.real) var d: Double?
    @Option(name: .customLong("M"), parsing: .unconditional, help: "Token multiplier D/N.", transform: FlagNumber.real) var m: Double?
    @Option(parsing: .unconditional, help: "Training compute in FLOPs (C = 6ND).", transform: FlagNumber.real) var compute: Double?
    @Option(parsing: .unconditional, help: "Validation loss (downstream law).", transform: FlagNumber.real) var loss: Double?
    @Option(help: "Curve fits: a schedule spec, e.g. \"wsd:warmup=100,decay=0.2,shape=linear\" (resolved as train resolves it).")
    var schedule: String?
    @Option(parsing: .unconditional, help: "Curve fits: steps of the schedule, rows 0..<S (at most \(InputLimits.maxSteps)).") var steps: Int?
    @Option(parsing: .unconditional, help: "Curve fits: peak LR of the schedule (default: the fitted runs' peak).",
            transform: FlagNumber.real) var lr: Double?
    @Option(name: .customLong("lr-file"), help: "Curve fits: per-step LRs, a CSV with columns step, lr (0-based steps).") var lrFile: String?
    @Option(name: .customLong("like-run"), help: "Curve fits: the schedule stored with this run (at --steps S if given).")
    var likeRun: Int64?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        for (name, v) in [("--N", n), ("--D", d), ("--M", m), ("--compute", compute), ("--loss", loss), ("--lr", lr)] {
            if let v { _ = try InputNumber.real(v, name, min: 0, minExclusive: true) }
        }
        if let steps { _ = try InputNumber.integer(steps, "--steps", in: 1...InputLimits.maxSteps) }
        guard FileManager.default.fileExists(atPath: database.db) else { throw CLIError("no database at \(database.db)") }
        let store = try Store.reader(path: database.db)
        guard let rec = try store.fit(id: fit) else { throw CLIError("no fit with id \(fit) in \(database.db)") }
        try checkCombination(law: rec.law)
        let opts = try JSONText.parse(rec.options)
        let theta = opts["theta"]?.array?.compactMap(\.double) ?? []
        let boot = (opts["bootstrap_thetas"]?.array ?? []).map { $0.array?.compactMap(\.double) ?? [] }
        var rows: [(String, Double, ClosedRange<Double>?)] = []
        func add(_ name: String, _ f: ([Double]) -> Double) {
            rows.append((name, f(theta), percentileInterval(boot.map(f))))
        }
        switch rec.law {
        case "chinchilla", "overtrain":
            let law = rec.law
            func lossAt(_ t: [Double], _ N: Double, _ D: Double) -> Double {
                law == "chinchilla" ? ChinchillaLaw().predict(t, [N, D]) : OvertrainLaw().predict(t, N: N, D: D)
            }
            if let n, let D = d ?? m.map({ $0 * n }) {
                add("loss", { lossAt($0, n, D) })
            } else if let c = compute, law == "chinchilla" {
                func alloc(_ t: [Double]) -> ComputeOptimal.Allocation {
                    ComputeOptimal(reported: ChinchillaLaw().reported(t)).allocation(compute: c)
                }
                add("N_opt", { alloc($0).N }); add("D_opt", { alloc($0).D }); add("loss", { alloc($0).loss })
                add("tokens_per_param", { alloc($0).tokensPerParameter })
            } else if let c = compute, let m {
                add("loss", { OvertrainLaw().predict($0, C: c, M: m) })
            } else {
                throw CLIError("\(law) fits predict from --N with --D or --M" + (law == "chinchilla" ? ", or from --compute" : ", or --compute with --M"))
            }
        case "downstream":
            guard let loss else { throw CLIError("downstream fits predict from --loss L") }
            add("error", { DownstreamLaw().predict($0, [loss]) })
        case "isoflop":
            guard let c = compute else { throw CLIError("isoflop fits predict from --compute C") }
            // theta = (a, b, log kN, log kD); fits stored before theta carried them fall back to power_laws.
            if theta.count == 4 {
                add("N_opt", { exp($0[2]) * pow(c, $0[0]) }); add("D_opt", { exp($0[3]) * pow(c, $0[1]) })
            } else {
                guard let iso = opts["power_laws"] else { throw CLIError("fit \(fit) has no stored power laws") }
                let kN = iso["kN"]?.double ?? .nan, a = iso["a"]?.double ?? .nan
                let kD = iso["kD"]?.double ?? .nan, b = iso["b"]?.double ?? .nan
                rows.append(("N_opt", kN * pow(c, a), nil))
                rows.append(("D_opt", kD * pow(c, b), nil))
            }
        case "annealing", "multipower":
            try predictCurve(rec, opts: opts, theta: theta, boot: boot)
            return
        default:
            throw CLIError("fit \(fit) has an unknown law '\(rec.law)'")
        }
        if let bad = rows.first(where: { !$0.1.isFinite }) {
            throw CLIError("the \(rec.law) fit gives \(bad.0) = \(bad.1) at these inputs (overflow): they are too far outside its data")
        }
        let notes = extrapolationNotes(opts, rows: rows)
        let result = QueryResult(columns: ["quantity", "value", "ci_low", "ci_high"], rows: rows.map {
            [.text($0.0), .real($0.1), $0.2.map { .real($0.lowerBound) } ?? .null, $0.2.map { .real($0.upperBound) } ?? .null]
        })
        if output.effective == .json {
            let values = JSONText.Value.object(rows.map { ($0.0, .number($0.1)) })
            let ci = JSONText.Value.object(rows.compactMap { r in r.2.map { (r.0, .array([.number($0.lowerBound), .number($0.upperBound)])) } })
            var fields: [(String, JSONText.Value)] = [("fit_id", .int(fit)), ("law", .string(rec.law)), ("prediction", values), ("ci", ci)]
            if !notes.isEmpty { fields.append(("notes", .array(notes.map { .string($0) }))) }
            print(JSONText.render(.object(fields)))
        } else {
            print(TableOutput.render(result, as: output.effective))
            for n in notes { (output.effective == .csv ? printErr : { print($0) })("note: \(n)") }
        }
    }

    /// How far the query lies outside the fitted data (the largest N, D, C the fit saw, stored as
    /// `data_range`), and which intervals rest on parameters the fit's data did not identify.
    func extrapolationNotes(_ opts: JSONText.Value, rows: [(String, Double, ClosedRange<Double>?)]) -> [String] {
        var notes: [String] = []
        let range = opts["data_range"]
        var asked: [(String, Double)] = []
        if let n { asked.append(("N", n)) }
        if let D = d ?? m.flatMap({ m in n.map { m * $0 } }) { asked.append(("D", D)) }
        if let compute { asked.append(("C", compute)) } else if let n, let D = d ?? m.map({ $0 * n }) { asked.append(("C", 6 * n * D)) }
        for (name, value) in [("N_opt", "N"), ("D_opt", "D")] {
            if let r = rows.first(where: { $0.0 == name }) { asked.append((value + " (" + name + ")", r.1)) }
        }
        for (label, value) in asked {
            let key = String(label.prefix(1)) + "_max"
            guard let top = range?[key]?.double, top > 0, value > top else { continue }
            notes.append(String(format: "extrapolation: %@ = %.3g is %.3gx the largest %@ in the fit's data (%.3g)",
                                label, value, value / top, String(label.prefix(1)), top))
        }
        if let loss, let lo = range?["loss_min"]?.double, loss < lo {
            notes.append(String(format: "extrapolation: loss %.4g is below the lowest loss in the fit's data (%.4g)", loss, lo))
        }
        let unidentified = opts["unidentified"]?.array?.compactMap(\.string) ?? []
        if !unidentified.isEmpty {
            notes.append("these intervals rest on parameters the fit's data do not identify (\(unidentified.joined(separator: ", "))): "
                         + "they show how little the data constrain the prediction, not a 95% interval")
        }
        return notes
    }

    /// The options each law predicts from; any other combination (an option the law does not use,
    /// or two that say the same thing: --D with --M, --compute with --N) is an error, never ignored.
    static let combinations: [String: [Set<String>]] = {
        let curve: [Set<String>] = [["--schedule"], ["--schedule", "--steps"], ["--schedule", "--lr"], ["--schedule", "--steps", "--lr"],
                                    ["--lr-file"], ["--lr-file", "--steps"], ["--like-run"], ["--like-run", "--steps"]]
        return [
            "chinchilla": [["--N", "--D"], ["--N", "--M"], ["--compute"]],
            "overtrain": [["--N", "--D"], ["--N", "--M"], ["--compute", "--M"]],
            "downstream": [["--loss"]],
            "isoflop": [["--compute"]],
            "annealing": curve,
            "multipower": curve,
        ]
    }()

    func checkCombination(law: String) throws {
        let given = Set([("--N", n != nil), ("--D", d != nil), ("--M", m != nil), ("--compute", compute != nil),
                         ("--loss", loss != nil), ("--schedule", schedule != nil), ("--steps", steps != nil),
                         ("--lr", lr != nil), ("--lr-file", lrFile != nil), ("--like-run", likeRun != nil)].filter(\.1).map(\.0))
        guard let allowed = Self.combinations[law] else { return }
        guard !allowed.contains(given) else { return }
        let order = ["--N", "--D", "--M", "--compute", "--loss", "--schedule", "--steps", "--lr", "--lr-file", "--like-run"]
        func list(_ set: Set<String>) -> String { order.filter(set.contains).joined(separator: " ") }
        throw CLIError("\(law) fits predict from " + allowed.map(list).joined(separator: ", or ")
                       + " (got " + (given.isEmpty ? "no options" : list(given)) + ")")
    }

    /// The per-step rates of the schedule to predict (`lrs[t]` = rate of 0-based step t); one of
    /// --lr-file, --like-run, --schedule (checked by `checkCombination`).
    func scheduleRates(opts: JSONText.Value) throws -> [Double] {
        if let lrFile {
            return try LRTrace.read(path: lrFile).dense(totalSteps: steps)
        }
        if let likeRun {
            let store = try Store.reader(path: database.db)
            guard let run = try store.run(id: likeRun) else { throw CLIError("no run with id \(likeRun)") }
            guard let resolved = try ScheduleResolver.stored(run) else {
                throw CLIError("run \(likeRun) has no stored schedule (imported curves: use --lr-file)")
            }
            return try ScheduleResolver.rescaled(resolved, steps: steps ?? resolved.totalSteps).rates()
        }
        guard let schedule else {
            throw CLIError("curve fits predict a loss curve from --schedule SPEC --steps S, --lr-file FILE or --like-run ID")
        }
        let options = ScheduleOptions(schedule)
        try options.refuse("steps", flag: "--steps", given: steps != nil)
        try options.refuse("lr", flag: "--lr", given: lr != nil)
        guard steps != nil || options.has("steps") else { throw CLIError("--schedule needs --steps S (or steps= in the spec)") }
        let peak = lr ?? opts["peak_lr"]?.double ?? 1e-3
        // One resolver for train, sweep and predict: the same spec gives the same per-step rates.
        return try ScheduleResolver.resolve(schedule, peak: peak, steps: steps ?? 1).rates()
    }

    func predictCurve(_ rec: FitRecord, opts: JSONText.Value, theta: [Double], boot: [[Double]]) throws {
        let lrs = try scheduleRates(opts: opts)
        let predictor = try CurvePredictor(law: rec.law, theta: theta, options: opts.members ?? [])
        let curve = predictor.afterUpdates(lrs)
        // Early steps may be undefined (a zero LR before the first update: left empty); the final loss must not be.
        if let last = curve.last, !last.isFinite {
            throw CLIError("the \(rec.law) fit gives a final loss of \(last) for this schedule (overflow)")
        }
        // Annealing samples are stored with their own lambda (L0, A, alpha, C, lambda): predicted at it.
        let bootCurves = boot.compactMap { b -> [Double]? in
            var options = opts.members ?? []
            var t = b
            if rec.law == "annealing" && b.count == theta.count + 1 {
                options.append(("lambda", .number(b[theta.count])))
                t = Array(b.prefix(theta.count))
            }
            guard t.count == theta.count else { return nil }
            return try? CurvePredictor(law: rec.law, theta: t, options: options).afterUpdates(lrs)
        }
        // Row t: the loss measured at step t, after t updates (curve[t - 1]); row 0 is before training.
        var rows: [[SQLValue]] = []
        for t in lrs.indices {
            let loss: SQLValue = t > 0 && curve[t - 1].isFinite ? .real(curve[t - 1]) : .null
            let iv = t == 0 ? nil : percentileInterval(bootCurves.map { $0[t - 1] })
            rows.append([.integer(Int64(t)), .real(lrs[t]), loss,
                         iv.map { .real($0.lowerBound) } ?? .null, iv.map { .real($0.upperBound) } ?? .null])
        }
        let result = QueryResult(columns: ["step", "lr", "loss", "ci_low", "ci_high"], rows: rows)
        var notes = extrapolationNotes(opts, rows: [])
        if let top = opts["data_range"]?["steps_max"]?.double, top > 0, Double(lrs.count) > top {
            notes.insert(String(format: "extrapolation: %d steps is %.3gx the longest fitted curve (%.0f steps)",
                                lrs.count, Double(lrs.count) / top, top), at: 0)
        }
        defer { for n in notes { (output.effective == .table ? { print($0) } : printErr)("note: \(n)") } }
        if output.effective == .json {
            var fields: [(String, JSONText.Value)] = [("fit_id", .int(fit)), ("law", .string(rec.law)),
                                                      ("steps", .int(Int64(lrs.count))), ("final_loss", .number(curve.last ?? .nan)),
                                                      ("loss", .array(curve.map { .number($0) }))]
            if !notes.isEmpty { fields.append(("notes", .array(notes.map { .string($0) }))) }
            print(JSONText.render(.object(fields)))
            notes = []
        } else if output.effective == .csv {
            print(TableOutput.render(result, as: .csv))
        } else {
            // A table of every step is unreadable: show ~20 evenly spaced steps.
            let stride = max(1, rows.count / 20)
            var picked = Swift.stride(from: stride - 1, to: rows.count, by: stride).map { rows[$0] }
            if picked.last?.first != rows.last?.first, let last = rows.last { picked.append(last) }
            print(TableOutput.render(QueryResult(columns: result.columns, rows: picked), as: .table))
            printErr("(every \(stride)th step shown; --format csv prints all \(rows.count))")
        }
    }
}
