import ArgumentParser
import Fit
import Foundation
import Laws
import Store
import Validation

enum LawName: String, ExpressibleByArgument, CaseIterable {
    case chinchilla, isoflop, overtrain, downstream, annealing
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
        Data: finished runs of the database (default), --source NAME for imported points, --where to filter.
        """)

    @Option(help: "Law: \(LawName.allCases.map(\.rawValue).joined(separator: ", ")).") var law: LawName
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
    @Option(name: .customLong("huber-delta"), parsing: .unconditional, help: "Chinchilla: Huber delta on log residuals.",
            transform: FlagNumber.real) var huberDelta: Double = 1e-3
    @Option(help: "Annealing: lambda of the annealing momentum, or 'fit' (the default) to fit it in [0.99, 0.9999].")
    var lambda: String = "fit"
    @Option(name: .customLong("warmup-as-peak"),
            help: "Annealing: count the first N steps at the peak LR when summing areas: N, 'auto' (the warmup of the curves: steps until the LR first peaks) or 'off'.")
    var warmupAsPeakOption: String = "auto"
    @Flag(help: "Fit on all but the largest model size and report the error on the largest.") var holdout = false
    @Option(name: .customLong("from-step"), parsing: .unconditional, help: "Annealing: fit (and check) rows from this step on (default: skip the first 20% of the longest curve; the LRs before still count).")
    var fromStep: Int?
    @Option(name: .customLong("check-run"), help: "Annealing: predict this run's whole curve from its logged LRs and report the error (repeatable).")
    var checkRuns: [Int64] = []
    @Option(name: .customLong("loss"),
            help: "Annealing: the runs' loss to fit and check: train (train loss averaged over \(RunCurve.trainWindows) windows of steps) or val (the evaluations' validation loss).")
    var curveLoss: CurveLoss = .train
    @Option(name: .customLong("train-windows"), parsing: .unconditional, help: "Annealing: windows the train loss of a run is averaged into (earlier default: 400).")
    var trainWindows: Int = RunCurve.trainWindows
    @Flag(name: .customLong("no-store"), help: "Do not store the fit in the database.") var noStore = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    /// The share of the longest curve that annealing fits skip by default. The law's power law in
    /// S1 describes training after its first transient: on `Data/sweeps/annealing.toml` the
    /// constant-LR loss plateaus around steps 600-900 (8-12%) and then falls faster again until
    /// about step 1700 (22%), a bend no S1^-alpha follows. Fitted from 10% on, the residuals of
    /// the fitted curves themselves show it (+0.03 nats at 15-20%, RMSE 0.018 against 0.008 of
    /// noise); from 20% on they are at the noise.
    static let skippedFraction = 0.2

    func validate() throws {
        guard ParamCount(rawValue: params) != nil else {
            throw CLIError("--params must be nonembedding or total (got '\(InputEcho.shown(params))')")
        }
        if let starts { _ = try InputNumber.integer(starts, "--starts", in: 1...InputLimits.maxCount) }
        _ = try InputNumber.integer(trainWindows, "--train-windows", in: 1...InputLimits.maxCount)
        _ = try InputNumber.integer(bootstrap, "--bootstrap", in: 0...InputLimits.maxCount)
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
        let annealingOnly = "is only used by annealing fits (--law annealing)"
        if law != .annealing {
            try refuse("--curve", !curves.isEmpty, annealingOnly)
            try refuse("--check-run", !checkRuns.isEmpty, annealingOnly)
            try refuse("--from-step", fromStep != nil, annealingOnly)
            try refuse("--lambda", lambda != "fit", annealingOnly)
            try refuse("--warmup-as-peak", warmupAsPeakOption != "auto", annealingOnly)
            try refuse("--loss", curveLoss != .train, annealingOnly)
            try refuse("--train-windows", trainWindows != RunCurve.trainWindows, annealingOnly)
        } else {
            let notAnnealing = "is not used by annealing fits (they fit --run ID or --curve FILE)"
            try refuse("--source", source != nil, notAnnealing)
            try refuse("--where", predicate != nil, notAnnealing)
            try refuse("--sweep", sweep != nil, notAnnealing)
            try refuse("--params", params != "total", notAnnealing)
            try refuse("--starts", starts != nil, notAnnealing)
        }
        try refuse("--huber-delta", law != .chinchilla && huberDelta != 1e-3, "is only used by chinchilla fits")
        try refuse("--holdout", holdout && law != .chinchilla && law != .overtrain, "is only used by chinchilla and overtrain fits")
        if source != nil {
            let withSource = "selects runs, but --source fits imported points: give one of them"
            try refuse("--sweep", sweep != nil, withSource)
            try refuse("--run", !runs.isEmpty, withSource)
            try refuse("--params", params != "total", "counts the parameters of runs; imported points carry their own N")
        }
    }

    func run() throws {
        let needsDB = !(law == .annealing && runs.isEmpty)
        let store: Store? = needsDB ? try openExisting(database.db) : nil
        var sel = DataSelection(source: source, predicate: predicate, sweep: sweep, runIDs: runs, curves: curves,
                                paramCount: ParamCount(rawValue: params)!)
        var outcome: FitOutcome
        switch law {
        case .chinchilla, .overtrain:
            outcome = try fitSizeLaw(store!, sel)
        case .downstream:
            let (l, e, run) = try downstreamPairs(store!, sel)
            var opts = options()
            opts.starts = startSubset(DownstreamLaw().startGrid())
            outcome = try FitOutcome.general(DownstreamLaw(), Dataset(x: l.map { [$0] }, y: e, groups: run), options: opts)
            outcome.recordRange([("loss_min", l.min() ?? .nan), ("loss_max", l.max() ?? .nan)])
        case .isoflop:
            outcome = try fitIsoFLOP(store!, sel)
        case .annealing:
            outcome = try fitAnnealing(store, &sel)
        }
        outcome.noteUnidentified()
        var fitID: Int64? = nil
        if !noStore {
            // Curve files need no database until the fit is stored.
            let target = try store ?? Store(path: database.db)
            fitID = try target.insertFit(outcome.record(selection: sel.json, extraOptions: optionsJSON()))
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

    func optionsJSON() -> [(String, JSONText.Value)] {
        var o: [(String, JSONText.Value)] = [("bootstrap", .int(Int64(bootstrap))), ("seed", .int(Int64(seed)))]
        if let starts { o.append(("starts", .int(Int64(starts)))) }
        if law == .chinchilla { o.append(("huber_delta", .number(huberDelta))) }
        if law == .annealing {
            o.append(("lambda_option", .string(lambda)))
            o.append(("warmup_as_peak_option", .string(warmupAsPeakOption)))
        }
        return o
    }

    func fitSizeLaw(_ store: Store, _ sel: DataSelection) throws -> FitOutcome {
        let all = try SizeObservations.load(store, sel)
        func fit(_ o: SizeObservations, bootstrap: Bool) throws -> FitOutcome {
            var opts = options()
            if !bootstrap { opts.bootstrap = 0 }
            opts.starts = startSubset(law == .chinchilla ? ChinchillaLaw().startGrid() : OvertrainLaw().startGrid())
            if law == .chinchilla {
                return try .general(ChinchillaLaw(huberDelta: huberDelta),
                                    Dataset(x: o.n.indices.map { [o.n[$0], o.d[$0]] }, y: o.loss), options: opts)
            }
            return try .general(OvertrainLaw(), Dataset(x: o.n.indices.map { OvertrainLaw.inputs(N: o.n[$0], D: o.d[$0]) },
                                                        y: o.loss), options: opts)
        }
        func ranged(_ o: FitOutcome, _ data: SizeObservations) -> FitOutcome {
            var o = o
            o.recordRange(data.range)
            return o
        }
        guard holdout else { return ranged(try fit(all, bootstrap: true), all) }
        guard let largest = all.n.max(), all.n.contains(where: { $0 < largest }) else {
            throw CLIError("--holdout needs at least two model sizes")
        }
        let train = all.subset(all.n.map { $0 < largest })
        let test = all.subset(all.n.map { $0 == largest })
        var result = ranged(try fit(train, bootstrap: true), train)
        let predicted = test.loss.indices.map { result.predictSize(N: test.n[$0], D: test.d[$0]) }
        let errors = test.loss.indices.map { abs(predicted[$0] - test.loss[$0]) / test.loss[$0] }
        result.holdout = (largest, test.loss.count, errors.reduce(0, +) / Double(errors.count), errors.max() ?? 0)
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

    func fitAnnealing(_ store: Store?, _ sel: inout DataSelection) throws -> FitOutcome {
        // One kind of loss for fitted and checked runs alike.
        let loss = curveLoss
        let curves = try lossCurves(store, runIDs: runs, files: curves, source: loss, windows: trainWindows,
                                    columns: curveColumns)
        let lam: AnnealingFit.Lambda = lambda == "fit" ? .fitted(0.99...0.9999) : .fixed(Double(lambda)!)
        let start = fromStep ?? max(1, Int((Double(curves.map { $0.curve.lastStep }.max() ?? 0) * Self.skippedFraction).rounded()))
        // Tissue et al. re-implementations sum warmup steps at the peak LR: the rising LR of warmup
        // would otherwise enter S2 as negative annealing that lingers for ~1/(1-lambda) steps.
        let warmupAsPeak: Int?
        switch warmupAsPeakOption {
        case "off", "0": warmupAsPeak = nil
        case "auto":
            let w = curves.map { $0.curve.warmupSteps }.max() ?? 0
            warmupAsPeak = w > 1 ? w : nil
        default:
            let n = try InputNumber.integer(text: warmupAsPeakOption, "--warmup-as-peak", in: 0...InputLimits.maxSteps)
            warmupAsPeak = n > 0 ? n : nil
        }
        var o = try FitOutcome.annealing(curves.map(\.curve), lambda: lam, warmupAsPeak: warmupAsPeak,
                                         bootstrap: bootstrap, seed: seed, fromStep: start)
        // The peak LR of the fitted curves: the default peak when predicting a new schedule.
        let peak = curves.map { $0.curve.lrs.max() ?? 0 }.max() ?? 0
        o.extra.append(("peak_lr", .number(peak)))
        if !checkRuns.isEmpty {
            guard let store else { throw CLIError("--check-run needs the database") }
            var lambdaValue = AnnealingAreas.defaultLambda
            for case ("lambda", .number(let l)) in o.extra { lambdaValue = l }
            let law = AnnealingLaw(lambda: lambdaValue, warmupAsPeak: warmupAsPeak)
            var checks: [JSONText.Value] = []
            for id in checkRuns {
                let curve = try RunCurve.load(store, runID: id, loss: loss, windows: trainWindows)
                let e = CurveCheck(law: law, theta: o.theta, curve: curve, fromStep: start)
                guard e.rows > 0 else { throw CLIError("run \(id) has no rows at or after step \(start) to check against") }
                let schedule = try store.run(id: id)?.schedule ?? ""
                checks.append(.object([("run", .int(id)), ("schedule", .string(schedule)), ("loss", .string(loss.rawValue)),
                                       ("rows", .int(Int64(e.rows))), ("mae", .number(e.mae)),
                                       ("mean_rel_error", .number(e.meanRelative)),
                                       ("final_rel_error", .number(e.finalRelative))]))
            }
            o.extra.append(("checks", .array(checks)))
        }
        if !runs.isEmpty { o.extra.append(("loss", .string(loss.rawValue))) }
        o.recordRange([("steps_max", Double(curves.map { $0.curve.lastStep }.max() ?? 0))])
        return o
    }
}
