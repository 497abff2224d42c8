import ArgumentParser
import Fit
import Foundation
import LawRegistry
import Laws
import Store
import Validation

/// `--objective` of the curve laws: both on log residuals (see `AnnealingLaw`, `MultiPowerObjective`).
enum CurveObjectiveName: String, ExpressibleByArgument, CaseIterable {
    case huber, lsq
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a scaling law to runs or imported points and store the fit.",
        discussion: LawRegistry.standard.laws.map { $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
            + "\nData: finished runs of the database (default), --source NAME for imported points, --where to filter."
            + "\nCurve laws: --law \(LawRegistry.standard.laws.filter(\.input.comparable).map(\.name).joined(separator: ",")) fits each on the same curves and prints one table of the held-out "
            + "errors (--check-curve FILE, --check-run ID); each fit is stored.")

    @Option(help: "Law: \(LawRegistry.standard.names.joined(separator: ", ")); curve laws may be a comma-separated list.")
    var law: String
    @Option(help: "Fit imported points with this source label instead of runs.") var source: String?
    @Option(name: .customLong("where"), help: "SQL predicate on the points or runs columns, e.g. \"loss < 4.9\".")
    var predicate: String?
    @Option(help: "Only runs of this sweep id.") var sweep: Int64?
    @Option(name: .customLong("run"), help: "Only these runs (repeatable); for annealing, the curves to fit.")
    var runs: [Int64] = []
    @Option(name: .customLong("curve"), help: "Annealing: a loss curve file (CSV or .jsonl; columns step, lr, loss or a logger's names) (repeatable).")
    var curves: [String] = []
    @OptionGroup var curveColumns: CurveColumnOptions
    /// Total by default, as Hoffmann et al. 2022 count N; Pearce & Song 2024 ("Reconciling Kaplan and
    /// Chinchilla Scaling Laws") show that non-embedding counts bias small-scale fits, and at this scale
    /// the embeddings are a large share of the model.
    @Option(help: "Parameter count used as N for runs: total (embeddings included, as Hoffmann et al.) or nonembedding.")
    var params: String = "total"
    @Option(parsing: .unconditional, help: "Bootstrap resamples for the intervals (0: none).") var bootstrap: Int = 100
    @Option(parsing: .unconditional, help: "Seed of the bootstrap.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Use this many evenly spaced starts of the law's start grid (default: all; chinchilla has 4,500).")
    var starts: Int?
    @Option(name: .customLong("huber-delta"), parsing: .unconditional, help: "Chinchilla and curve laws: Huber delta on log residuals.",
            transform: FlagNumber.real) var huberDelta: Double = 1e-3
    @Option(help: "Curve laws: huber (on log residuals, the default; Luo et al. 2025) or lsq (least squares on log residuals).")
    var objective: CurveObjectiveName = .huber
    @Option(name: .customLong("check-curve"), help: "Curve laws: predict this curve file (step, lr, loss) from its LRs and report the error (repeatable).")
    var checkCurves: [String] = []
    @Option(help: "Annealing: lambda of the annealing momentum, or 'fit' (the default) to fit it in [0.99, 0.9999].")
    var lambda: String = "fit"
    @Option(name: .customLong("warmup-as-peak"),
            help: "Annealing: count the first N steps at the peak LR when summing areas: N, 'auto' (the warmup of the curves: steps until the LR first peaks) or 'off' (the default: warmup LRs as they are).")
    var warmupAsPeakOption: String = "off"
    @Option(help: "Chinchilla/overtrain: fit without the largest model size (size) or without each size's longest budget (tokens), then report the relative error of the predictions on the left-out runs.")
    var holdout: HoldoutKind?
    @Option(name: .customLong("lr"), help: "Runs at several learning rates per (N, D): best (the default: the lowest loss over LRs, the envelope) or all.")
    var lrChoice: LRChoice = .best
    @Option(name: .customLong("from-step"), parsing: .unconditional, help: "Curve laws: fit (and check) rows from this step on (default: the end of the curves' warmup; the LRs before still count).")
    var fromStep: Int?
    @Option(name: .customLong("law-option"), help: "NAME=VALUE: an option a law declares for itself (repeatable; see README, Adding a law).")
    var lawOptions: [String] = []
    @Option(name: .customLong("check-run"), help: "Curve laws: predict this run's whole curve from its logged LRs and report the error (repeatable).")
    var checkRuns: [Int64] = []
    @Option(name: .customLong("loss"),
            help: "Annealing: the runs' loss to fit and check: train (train loss averaged over \(RunCurve.trainWindows) windows of steps) or val (the evaluations' validation loss).")
    var curveLoss: CurveLoss = .train
    @Option(name: .customLong("train-windows"), parsing: .unconditional, help: "Annealing: windows the train loss of a run is averaged into (earlier default: 400).")
    var trainWindows: Int = RunCurve.trainWindows
    @Flag(name: .customLong("no-store"), help: "Do not store the fit in the database.") var noStore = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    /// The laws of `--law` (one, or several comparable laws of one kind).
    var laws: [any LawDefinition] {
        get throws { try LawRegistry.standard.parse(law) }
    }

    func validate() throws {
        _ = try laws
        guard ParamCount(rawValue: params) != nil else {
            throw CLIError("--params must be nonembedding or total (got '\(InputEcho.shown(params))')")
        }
        if let starts { _ = try InputNumber.integer(starts, "--starts", in: 1...InputLimits.maxCount) }
        _ = try InputNumber.integer(trainWindows, "--train-windows", in: 1...InputLimits.maxCount)
        _ = try InputNumber.integer(bootstrap, "--bootstrap", in: 0...InputLimits.maxBootstrap)
        if let fromStep { _ = try InputNumber.integer(fromStep, "--from-step", in: 0...InputLimits.maxSteps) }
        _ = try InputNumber.real(huberDelta, "--huber-delta", min: 0, minExclusive: true)
        try checkCombination()
        _ = try LawRegistry.standard.lawOptions(lawOptions, for: try laws)
        // Each law checks the values of its own options (e.g. the annealing law's --lambda).
        for l in try laws { try l.check(settings) }
    }

    /// Options the chosen law or data source does not use are errors, not silently ignored: an
    /// annealing option on a size law, --source (imported points) with run filters, and so on. An
    /// option left at its default changes nothing and passes. Which law reads which option is the
    /// law's own declaration (`LawDefinition.fitFlags`, `LawInput.flags`).
    func checkCombination() throws {
        func refuse(_ flag: String, _ given: Bool, _ why: String) throws {
            if given { throw CLIError("\(flag) \(why)") }
        }
        let laws = try laws
        let given: [(FitFlag, Bool)] = [
            (.lambda, lambda != "fit"), (.warmupAsPeak, warmupAsPeakOption != "off"), (.curve, !curves.isEmpty),
            (.checkRun, !checkRuns.isEmpty), (.checkCurve, !checkCurves.isEmpty), (.fromStep, fromStep != nil),
            (.objective, objective != .huber), (.loss, curveLoss != .train), (.trainWindows, trainWindows != RunCurve.trainWindows),
            (.source, source != nil), (.predicate, predicate != nil), (.sweep, sweep != nil), (.params, params != "total"),
            (.starts, starts != nil), (.huberDelta, huberDelta != 1e-3), (.holdout, holdout != nil), (.lr, lrChoice != .best),
            (.curveLR, !curveColumns.curveLRs.isEmpty), (.stepCol, curveColumns.step != nil), (.lrCol, curveColumns.lr != nil),
            (.lossCol, curveColumns.loss != nil),
        ]
        for (flag, isGiven) in given where isGiven {
            if let why = LawRegistry.standard.refusal(flag, for: laws) { throw CLIError(why) }
        }
        if laws.contains(where: { $0.input == .lossCurves }) { try curveColumns.check(files: curves + checkCurves) }
        if source != nil {
            let withSource = "selects runs, but --source fits imported points: give one of them"
            try refuse("--sweep", sweep != nil, withSource)
            try refuse("--run", !runs.isEmpty, withSource)
            try refuse("--params", params != "total", "counts the parameters of runs; imported points carry their own N")
        }
    }

    func run() throws {
        let laws = try laws
        let law = laws[0]
        // Each kind of data is loaded one way; the law fits whatever its kind brings.
        var fit: StoredFit
        var lines: [String] = []
        let sel = selection
        let store: Store
        switch law.input {
        case .lossCurves:
            try runCurveLaws(laws)
            return
        case .sizePoints:
            store = try openExisting(database.db)
            (fit, lines) = try fitSizeLaw(store, sel, law: law)
        case .lossErrorPairs:
            store = try openExisting(database.db)
            fit = try law.fit(.lossErrorPairs(try downstreamPairs(store, sel)), settings: settings)
        }
        fit.noteUnidentified()
        stamp(&fit, sel)
        if !noStore { fit.id = try store.insertFit(fit.record) }
        print(fit.render(format: output.effective, lines: lines))
    }

    /// The data selection of the flags, as stored with the fit.
    var selection: DataSelection {
        DataSelection(source: source, predicate: predicate, sweep: sweep, runIDs: runs, curves: curves,
                      paramCount: ParamCount(rawValue: params)!)
    }

    /// The option values a law's `fit` reads.
    var settings: FitSettings {
        var s = FitSettings()
        s.bootstrap = bootstrap
        s.seed = seed
        s.starts = starts
        s.huberDelta = huberDelta
        s.objective = objective.rawValue
        s.lambda = lambda
        s.warmupAsPeak = warmupAsPeakOption
        // Checked in `validate`.
        s.lawOptions = (try? LawRegistry.standard.lawOptions(lawOptions, for: laws)) ?? [:]
        return s
    }

    /// Records the data selection and the common options with a fit before it is stored.
    func stamp(_ fit: inout StoredFit, _ sel: DataSelection) {
        fit.selection = sel.stored
        fit.bootstrapOption = bootstrap
        fit.seed = seed
        fit.starts = starts
    }

    func openExisting(_ path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no database at \(path) (run 'scalefit sweep' or 'scalefit import' first)") }
        return try Store(path: path)
    }

    /// A size law on runs or imported points; with `--holdout`, fitted without the held-out runs
    /// and then asked to predict them (any size law that reads --holdout predicts a loss at (N, D)).
    func fitSizeLaw(_ store: Store, _ sel: DataSelection, law: any LawDefinition) throws -> (StoredFit, [String]) {
        // Laws that do not choose among LRs (--lr) see every run.
        let all = try SizeObservations.load(store, sel, lr: law.usedFlags.contains(.lr) ? lrChoice : .all)
        func fit(_ o: SizeObservations, bootstrap: Bool) throws -> (StoredFit, [String]) {
            var s = settings
            if !bootstrap { s.bootstrap = 0 }
            var fit = try law.fit(.sizePoints(o.sizePoints), settings: s)
            // Laws that pick the best LR per (N, D) list which run and LR each point used.
            guard law.usedFlags.contains(.lr) else { return (fit, []) }
            fit.annotations["points"] = o.json
            return (fit, o.lrLines)
        }
        guard let holdout else { return try fit(all, bootstrap: true) }
        let out = holdout.heldOut(all)
        guard out.contains(true), out.contains(false) else {
            throw CLIError(holdout == .size ? "--holdout size needs at least two model sizes"
                                            : "--holdout tokens needs a model size trained at two or more budgets")
        }
        let train = all.subset(out.map { !$0 })
        let test = all.subset(out.map { $0 })
        var (result, lines) = try fit(train, bootstrap: true)
        let predicted = try test.loss.indices.map { i in
            try law.predict(result, LawQuery(n: test.n[i], d: test.d[i])).estimate.values.first { $0.0 == "loss" }?.1 ?? .nan
        }
        let check = HoldoutResult(kind: holdout, points: test.loss.indices.map {
            .init(runID: test.ids[$0], n: test.n[$0], d: test.d[$0], loss: test.loss[$0], predicted: predicted[$0])
        })
        result.annotations["holdout"] = check.json
        lines += check.lines
        return (result, lines)
    }
}
