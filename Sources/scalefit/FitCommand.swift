import ArgumentParser
import Fit
import Foundation
import Laws
import Store
import Validation

enum LawName: String, ExpressibleByArgument, CaseIterable {
    case chinchilla, isoflop, overtrain, downstream, annealing, multipower

    /// Laws of whole loss curves under a schedule (fitted on --curve / --run, checked on
    /// --check-curve / --check-run, compared side by side when several are given).
    var isCurveLaw: Bool { self == .annealing || self == .multipower }
}

/// `--objective` of the curve laws: both on log residuals (see `AnnealingLaw`, `MultiPowerObjective`).
enum CurveObjectiveName: String, ExpressibleByArgument, CaseIterable {
    case huber, lsq
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a scaling law to runs or imported points and store the fit.",
        discussion: """
        chinchilla  L(N,D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3: Huber on log residuals)
        isoflop     Approach 2: per compute level (a flops sweep's budget, an imported compute column) the minimum of
                    loss vs log N from a parabola through the points near it, then N*(C), D*(C) power laws
        overtrain   Gadre et al. 2024: L(N,M) = E + a N^p + b 6^(p/2) (M N)^p, M = D/N, C = 6ND
        downstream  Gadre et al. 2024: Err(L) = eps - k exp(-gamma L)
        annealing   Tissue et al. 2024: L(s) = L0 + A S1^(-alpha) - C S2 on whole loss curves
        multipower  Luo et al. 2025: L(t) = L0 + A S1^(-alpha) - LD(t), the Multi-Power Law, on whole loss curves
        Data: finished runs of the database (default), --source NAME for imported points, --where to filter.
        Curve laws: --law annealing,multipower fits each on the same curves and prints one table of the
        held-out errors (--check-curve FILE, --check-run ID); each fit is stored.
        """)

    @Option(help: "Law: \(LawName.allCases.map(\.rawValue).joined(separator: ", ")); curve laws may be a comma-separated list.")
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

    /// The laws of `--law` (one, or several curve laws).
    var laws: [LawName] {
        get throws {
            let names = law.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let parsed = try names.map { name in
                guard let l = LawName(rawValue: name) else {
                    throw CLIError("unknown law '\(name)' (expected one of: \(LawName.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return l
            }
            if parsed.count > 1 {
                if let bad = parsed.first(where: { !$0.isCurveLaw }) {
                    throw CLIError("only curve laws (annealing, multipower) can be compared in one --law list (got \(bad.rawValue))")
                }
                if Set(parsed).count != parsed.count { throw CLIError("--law lists a law twice: \(law)") }
            }
            return parsed
        }
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
        if lambda != "fit" {
            guard let l = InputNumber.parse(lambda), l > 0, l < 1 else {
                throw CLIError("--lambda must be in (0, 1) or 'fit' (got '\(InputEcho.shown(lambda))')")
            }
        }
        if !["auto", "off"].contains(warmupAsPeakOption) {
            _ = try InputNumber.integer(text: warmupAsPeakOption, "--warmup-as-peak", in: 0...InputLimits.maxSteps)
        }
        try checkCombination()
    }

    /// Options the chosen law or data source does not use are errors, not silently ignored: an
    /// annealing option on a size law, --source (imported points) with run filters, and so on. An
    /// option left at its default changes nothing and passes.
    func checkCombination() throws {
        func refuse(_ flag: String, _ given: Bool, _ why: String) throws {
            if given { throw CLIError("\(flag) \(why)") }
        }
        let laws = try laws
        let curveLaw = laws.contains { $0.isCurveLaw }
        let curveOnly = "is only used by curve-law fits (--law annealing or multipower)"
        let annealingOnly = "is only used by annealing fits (--law annealing)"
        if !laws.contains(.annealing) {
            try refuse("--lambda", lambda != "fit", annealingOnly)
            try refuse("--warmup-as-peak", warmupAsPeakOption != "off", annealingOnly)
        }
        if !curveLaw {
            try refuse("--curve", !curves.isEmpty, curveOnly)
            try refuse("--check-run", !checkRuns.isEmpty, curveOnly)
            try refuse("--check-curve", !checkCurves.isEmpty, curveOnly)
            try refuse("--from-step", fromStep != nil, curveOnly)
            try refuse("--objective", objective != .huber, curveOnly)
            try refuse("--loss", curveLoss != .train, curveOnly)
            try refuse("--train-windows", trainWindows != RunCurve.trainWindows, curveOnly)
        } else {
            let notCurves = "is not used by curve-law fits (they fit --run ID or --curve FILE)"
            try refuse("--source", source != nil, notCurves)
            try refuse("--where", predicate != nil, notCurves)
            try refuse("--sweep", sweep != nil, notCurves)
            try refuse("--params", params != "total", notCurves)
            try refuse("--starts", starts != nil && laws.contains(.annealing), "is not used by annealing fits (they start from variable projection)")
        }
        try refuse("--huber-delta", !curveLaw && laws[0] != .chinchilla && huberDelta != 1e-3,
                   "is only used by chinchilla and curve-law fits")
        try refuse("--holdout", holdout != nil && laws[0] != .chinchilla && laws[0] != .overtrain, "is only used by chinchilla and overtrain fits")
        try refuse("--lr", lrChoice != .best && laws[0] != .chinchilla && laws[0] != .overtrain, "is only used by chinchilla and overtrain fits")
        if source != nil {
            let withSource = "selects runs, but --source fits imported points: give one of them"
            try refuse("--sweep", sweep != nil, withSource)
            try refuse("--run", !runs.isEmpty, withSource)
            try refuse("--params", params != "total", "counts the parameters of runs; imported points carry their own N")
        }
    }

    func run() throws {
        let laws = try laws
        if laws.count > 1 || laws[0] == .multipower || laws[0] == .annealing {
            try runCurveLaws(laws)
            return
        }
        let law = laws[0]
        let store: Store? = try openExisting(database.db)
        let sel = DataSelection(source: source, predicate: predicate, sweep: sweep, runIDs: runs, curves: curves,
                                paramCount: ParamCount(rawValue: params)!)
        var outcome: FitOutcome
        switch law {
        case .chinchilla, .overtrain:
            outcome = try fitSizeLaw(store!, sel, law: law)
        case .downstream:
            let (l, e, run) = try downstreamPairs(store!, sel)
            var opts = options()
            opts.starts = startSubset(DownstreamLaw().startGrid())
            outcome = try FitOutcome.general(DownstreamLaw(), Dataset(x: l.map { [$0] }, y: e, groups: run), options: opts)
            outcome.recordRange([("loss_min", l.min() ?? .nan), ("loss_max", l.max() ?? .nan)])
        case .isoflop:
            outcome = try fitIsoFLOP(store!, sel)
        case .annealing, .multipower:
            return
        }
        outcome.noteUnidentified()
        var fitID: Int64? = nil
        if !noStore {
            fitID = try store!.insertFit(outcome.record(selection: sel.json, extraOptions: optionsJSON(law)))
        }
        print(outcome.render(fitID: fitID, format: output.effective))
    }

    func openExisting(_ path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no database at \(path) (run 'scalefit sweep' or 'scalefit import' first)") }
        return try Store(path: path)
    }

    func options() -> FitOptions {
        FitOptions(bootstrap: bootstrap, seed: seed)
    }

    /// Every k-th start of the law's grid, so `--starts N` keeps the grid's spread.
    func startSubset(_ grid: [[Double]]) -> [[Double]]? {
        guard let starts, starts < grid.count else { return nil }
        let stride = Double(grid.count) / Double(starts)
        return (0..<starts).map { grid[Int(Double($0) * stride)] }
    }

    func optionsJSON(_ law: LawName) -> [(String, JSONText.Value)] {
        var o: [(String, JSONText.Value)] = [("bootstrap", .int(Int64(bootstrap))), ("seed", .int(Int64(seed)))]
        if let starts { o.append(("starts", .int(Int64(starts)))) }
        if law == .chinchilla { o.append(("huber_delta", .number(huberDelta))) }
        if law == .annealing {
            o.append(("lambda_option", .string(lambda)))
            o.append(("warmup_as_peak_option", .string(warmupAsPeakOption)))
        }
        if law.isCurveLaw {
            o.append(("objective_option", .string(objective.rawValue)))
            if objective == .huber { o.append(("huber_delta", .number(huberDelta))) }
        }
        return o
    }

    func fitSizeLaw(_ store: Store, _ sel: DataSelection, law: LawName) throws -> FitOutcome {
        let all = try SizeObservations.load(store, sel, lr: lrChoice)
        func fit(_ o: SizeObservations, bootstrap: Bool) throws -> FitOutcome {
            var opts = options()
            if !bootstrap { opts.bootstrap = 0 }
            opts.starts = startSubset(law == .chinchilla ? ChinchillaLaw().startGrid() : OvertrainLaw().startGrid())
            if law == .chinchilla {
                var outcome = try FitOutcome.general(ChinchillaLaw(huberDelta: huberDelta),
                                    Dataset(x: o.n.indices.map { [o.n[$0], o.d[$0]] }, y: o.loss), options: opts)
                outcome.points = o
                return outcome
            }
            var outcome = try FitOutcome.general(OvertrainLaw(), Dataset(x: o.n.indices.map { OvertrainLaw.inputs(N: o.n[$0], D: o.d[$0]) },
                                                        y: o.loss), options: opts)
            outcome.points = o
            return outcome
        }
        func ranged(_ o: FitOutcome, _ data: SizeObservations) -> FitOutcome {
            var o = o
            o.recordRange(data.range)
            return o
        }
        guard let holdout else { return ranged(try fit(all, bootstrap: true), all) }
        let out = holdout.heldOut(all)
        guard out.contains(true), out.contains(false) else {
            throw CLIError(holdout == .size ? "--holdout size needs at least two model sizes"
                                            : "--holdout tokens needs a model size trained at two or more budgets")
        }
        let train = all.subset(out.map { !$0 })
        let test = all.subset(out.map { $0 })
        var result = ranged(try fit(train, bootstrap: true), train)
        result.holdout = HoldoutResult(kind: holdout, points: test.loss.indices.map {
            .init(runID: test.ids[$0], n: test.n[$0], d: test.d[$0], loss: test.loss[$0],
                  predicted: result.predictSize(N: test.n[$0], D: test.d[$0]))
        })
        return result
    }

    func fitIsoFLOP(_ store: Store, _ sel: DataSelection) throws -> FitOutcome {
        let o = try SizeObservations.load(store, sel)
        let points = o.n.indices.map { IsoFLOPPoint(N: o.n[$0], D: o.d[$0], loss: o.loss[$0], level: o.level[$0]) }
        var outcome = try FitOutcome.isoflop(points, bootstrap: bootstrap, seed: seed)
        var range = o.range
        // The recorded budgets are the compute the points were trained at (6ND with total N overstates it).
        if let top = o.level.compactMap({ $0 }).max() { range = range.map { $0.0 == "C_max" ? ($0.0, top) : $0 } }
        outcome.recordRange(range)
        return outcome
    }
}
