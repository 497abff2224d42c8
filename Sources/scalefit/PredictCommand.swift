import ArgumentParser
import Fit
import Foundation
import LawRegistry
import Laws
import Schedule
import Store
import Validation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Extrapolate a stored fit, with bootstrap intervals.",
        discussion: LawRegistry.standard.laws.map { "\($0.name): \($0.queryHelp)." }.joined(separator: "\n")
            + "\nA loss curve has one row per 0-based step t, the loss measured at step t (after t updates; README "
            + "\"Steps\"), t = 0 (before training) left empty.")

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
        let registry = LawRegistry.standard
        guard let law = registry.law(named: rec.law) else { throw CLIError("fit \(fit) has an unknown law '\(rec.law)'") }
        try checkCombination(law)
        let stored = registry.storedFit(from: rec)
        let query = LawQuery(n: n, d: d, m: m, compute: compute, loss: loss)
        if !given.isDisjoint(with: QueryFlag.scheduleFlags) {
            // A curve is printed without an interval (see `printCurve`), so only the fit's own theta is
            // evaluated: its bootstrap replicates would each be a whole curve computed for nothing.
            let lrs = try scheduleRates(stored)
            try printCurve(stored, lrs: lrs, curve: try law.curve(stored, lrs: lrs))
            return
        }
        let (estimate, replicates) = try law.predict(stored, query)
        let rows: [(String, Double, ClosedRange<Double>?)] = estimate.values.enumerated().map { i, v in
            (v.0, v.1, percentileInterval(replicates.compactMap { r in i < r.values.count ? r.values[i].1 : nil }))
        }
        if let bad = rows.first(where: { !$0.1.isFinite }) {
            throw CLIError("the \(rec.law) fit gives \(bad.0) = \(bad.1) at these inputs (overflow): they are too far outside its data")
        }
        let notes = extrapolationNotes(stored, rows: rows)
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

    /// A predicted curve holds the rates, the law's areas and one loss per step, plus the printed rows
    /// (about 160 bytes a step): 10^8 steps need 18 GB. Refused before any curve is computed, with the
    /// estimate, as the trainer refuses a model that does not fit in memory.
    static func checkCurveMemory(steps: Int) throws {
        let bytes = Double(steps) * (8 * 3 + 160)
        guard bytes > MachineMemory.totalBytes / 2 else { return }
        throw CLIError("predicting \(steps) steps needs about "
                       + "\(MachineMemory.format(bytes: bytes)), more than half of this machine's "
                       + "\(MachineMemory.format(bytes: MachineMemory.totalBytes)): predict fewer steps")
    }

    /// How far the query lies outside the fitted data (the largest N, D, C the fit saw, stored as
    /// `data_range`), and which intervals rest on parameters the fit's data did not identify.
    func extrapolationNotes(_ fit: StoredFit, rows: [(String, Double, ClosedRange<Double>?)]) -> [String] {
        var notes: [String] = []
        var asked: [(String, Double)] = []
        if let n { asked.append(("N", n)) }
        if let D = d ?? m.flatMap({ m in n.map { m * $0 } }) { asked.append(("D", D)) }
        if let compute { asked.append(("C", compute)) } else if let n, let D = d ?? m.map({ $0 * n }) { asked.append(("C", 6 * n * D)) }
        for (name, value) in [("N_opt", "N"), ("D_opt", "D")] {
            if let r = rows.first(where: { $0.0 == name }) { asked.append((value + " (" + name + ")", r.1)) }
        }
        for (label, value) in asked {
            // 6ND of two huge inputs overflows: no finite factor to print (and nothing to compare).
            guard value.isFinite else {
                notes.append("extrapolation: \(label) = 6ND overflows a double (above 1.8e308), far beyond the fit's data")
                continue
            }
            let key = String(label.prefix(1)) + "_max"
            guard let top = fit.range(key), top > 0, value > top else { continue }
            notes.append(String(format: "extrapolation: %@ = %.3g is %.3gx the largest %@ in the fit's data (%.3g)",
                                label, value, value / top, String(label.prefix(1)), top))
        }
        if let loss, let lo = fit.range("loss_min"), loss < lo {
            notes.append(String(format: "extrapolation: loss %.4g is below the lowest loss in the fit's data (%.4g)", loss, lo))
        }
        // Measured by Scripts/interval-coverage.sh (docs/intervals.md): fitted without the largest size or
        // the longest budget, the held-out real runs fell inside their 95% intervals 47 times in 98.
        if !notes.isEmpty && rows.contains(where: { $0.2 != nil }) {
            notes.append("beyond the data the interval covers the noise of the fitted points, not the law's error there: "
                         + "fitted without their largest size or longest budget, held-out real runs fell inside such "
                         + "intervals 47 times in 98 (docs/intervals.md); `fit --holdout size|tokens` measures it for your runs")
        }
        let unidentified = fit.unidentified
        if !unidentified.isEmpty {
            notes.append("these intervals rest on parameters the fit's data do not identify (\(unidentified.joined(separator: ", "))): "
                         + "they show how little the data constrain the prediction, not a 95% interval")
        }
        return notes
    }

    /// Why a predicted curve has no interval, and the fit's own held-out errors when it has any.
    static func curveErrorNote(_ stored: StoredFit) -> String {
        let checks = stored.annotations["checks"]?.array ?? []
        let why = "no interval: resampling the fitted curves' noise gives bands that held 13-34% of held-out real curves' "
            + "losses; the error on another schedule is the law's misfit of its shape (docs/curve-laws.md, \"Intervals\")"
        guard !checks.isEmpty else { return why + "; measure it with fit --check-curve FILE" }
        func values(_ key: String) -> [Double] { checks.compactMap { $0[key]?.double }.filter(\.isFinite) }
        let pred = values("pred_e"), worst = values("worst_e")
        guard !pred.isEmpty, !worst.isEmpty else { return why }
        let curves = checks.count == 1 ? "1 held-out curve" : "\(checks.count) held-out curves"
        return why + "; this fit's \(curves): " + String(format: "mean PredE %.3f%%, WorstE up to %.3f%%",
                                                          100 * pred.reduce(0, +) / Double(pred.count), 100 * (worst.max() ?? .nan))
    }

    /// The options given.
    var given: Set<QueryFlag> {
        Set([(QueryFlag.N, n != nil), (.D, d != nil), (.M, m != nil), (.compute, compute != nil), (.loss, loss != nil),
             (.schedule, schedule != nil), (.steps, steps != nil), (.lr, lr != nil), (.lrFile, lrFile != nil),
             (.likeRun, likeRun != nil)].filter(\.1).map(\.0))
    }

    /// The option sets the law predicts from (`LawDefinition.queries`); any other combination (an
    /// option the law does not use, or two that say the same thing: --D with --M, --compute with
    /// --N) is an error, never ignored.
    func checkCombination(_ law: any LawDefinition) throws {
        let given = given
        guard !law.queries.contains(given) else { return }
        func list(_ set: Set<QueryFlag>) -> String { QueryFlag.allCases.filter(set.contains).map(\.rawValue).joined(separator: " ") }
        throw CLIError("\(law.name) fits predict from " + law.queries.map(list).joined(separator: ", or ")
                       + " (got " + (given.isEmpty ? "no options" : list(given)) + ")")
    }

    /// The per-step rates of the schedule to predict (`lrs[t]` = rate of 0-based step t); one of
    /// --lr-file, --like-run, --schedule (checked by `checkCombination`).
    func scheduleRates(_ fit: StoredFit) throws -> [Double] {
        // Each source's length is checked against memory before its per-step rates exist.
        if let lrFile {
            let trace = try LRTrace.read(path: lrFile)
            try Self.checkCurveMemory(steps: steps ?? trace.lastStep + 1)
            return trace.dense(totalSteps: steps)
        }
        if let likeRun {
            let store = try Store.reader(path: database.db)
            guard let run = try store.run(id: likeRun) else { throw CLIError("no run with id \(likeRun)") }
            guard let resolved = try ScheduleResolver.stored(run) else {
                throw CLIError("run \(likeRun) has no stored schedule (imported curves: use --lr-file)")
            }
            let schedule = try ScheduleResolver.rescaled(resolved, steps: steps ?? resolved.totalSteps)
            try Self.checkCurveMemory(steps: schedule.totalSteps)
            return schedule.rates()
        }
        guard let schedule else {
            throw CLIError("curve fits predict a loss curve from --schedule SPEC --steps S, --lr-file FILE or --like-run ID")
        }
        let options = ScheduleOptions(schedule)
        try options.refuse("steps", flag: "--steps", given: steps != nil)
        try options.refuse("lr", flag: "--lr", given: lr != nil)
        guard steps != nil || options.has("steps") else { throw CLIError("--schedule needs --steps S (or steps= in the spec)") }
        // The default peak: the largest LR of the fitted curves.
        let peak = lr ?? fit.range("lr_max") ?? 1e-3
        // One resolver for train, sweep and predict: the same spec gives the same per-step rates.
        let resolved = try ScheduleResolver.resolve(schedule, peak: peak, steps: steps ?? 1)
        try Self.checkCurveMemory(steps: resolved.totalSteps)
        return resolved.rates()
    }

    /// A predicted loss curve, one row per step, with no interval. The bootstrap replicates of a curve
    /// fit (its rows' residuals resampled in blocks) give bands of about +-0.05% that held only 13-34% of
    /// the losses of held-out real curves (annealing law on Luo et al. 2025's curves, both splits, docs/curve-laws.md
    /// "Intervals"): a curve law's error on another schedule is its misfit of the schedule's shape, not
    /// noise in the fitted rows, so the band is not a 95% interval and is not printed. What the error
    /// is measured to be comes from held-out curves (`fit --check-curve`), noted here when the fit has them.
    func printCurve(_ stored: StoredFit, lrs: [Double], curve: [Double]) throws {
        // Early steps may be undefined (a zero LR before the first update: left empty); the final loss must not be.
        if let last = curve.last, !last.isFinite {
            throw CLIError("the \(stored.law) fit gives a final loss of \(last) for this schedule (overflow)")
        }
        // Row t: the loss measured at step t, after t updates (curve[t - 1]); row 0 is before training.
        var rows: [[SQLValue]] = []
        for t in lrs.indices {
            let loss: SQLValue = t > 0 && curve[t - 1].isFinite ? .real(curve[t - 1]) : .null
            rows.append([.integer(Int64(t)), .real(lrs[t]), loss])
        }
        let result = QueryResult(columns: ["step", "lr", "loss"], rows: rows)
        var notes = extrapolationNotes(stored, rows: [])
        // A curve's last logged row may sit a logging interval before its end (23936 of 24000): only
        // a schedule longer by more than 5% is an extrapolation worth a note.
        if let top = stored.range("steps_max"), top > 0, Double(lrs.count) > 1.05 * top {
            notes.insert(String(format: "extrapolation: %d steps is %.3gx the longest fitted curve (%.0f steps)",
                                lrs.count, Double(lrs.count) / top, top), at: 0)
        }
        notes.append(Self.curveErrorNote(stored))
        defer { for n in notes { (output.effective == .table ? { print($0) } : printErr)("note: \(n)") } }
        if output.effective == .json {
            var fields: [(String, JSONText.Value)] = [("fit_id", .int(fit)), ("law", .string(stored.law)),
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
