import ArgumentParser
import Fit
import Foundation
import Laws
import Store

enum LawName: String, ExpressibleByArgument, CaseIterable {
    case chinchilla, isoflop, overtrain, downstream, annealing
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a scaling law to runs or imported points and store the fit.",
        discussion: """
        chinchilla  L(N,D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3: Huber on log residuals)
        isoflop     Approach 2: parabolas in log N per compute level, then N*(C), D*(C) power laws
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
    @Option(name: .customLong("curve"), help: "Annealing: a loss curve CSV with columns step, lr, loss (repeatable).")
    var curves: [String] = []
    @Option(help: "Parameter count used as N for runs: nonembedding or total.") var params: String = "nonembedding"
    @Option(help: "Bootstrap resamples for the intervals (0: none).") var bootstrap: Int = 100
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 0
    @Option(help: "Use this many evenly spaced starts of the law's start grid (default: all; chinchilla has 4,500).")
    var starts: Int?
    @Option(name: .customLong("huber-delta"), help: "Chinchilla: Huber delta on log residuals.") var huberDelta: Double = 1e-3
    @Option(help: "Annealing: lambda of the annealing momentum, or 'fit' to fit it.") var lambda: String = "0.999"
    @Option(name: .customLong("warmup-as-peak"),
            help: "Annealing: count the first N steps at the peak LR when summing areas: N, 'auto' (the warmup of the curves: steps until the LR first peaks) or 'off'.")
    var warmupAsPeakOption: String = "auto"
    @Flag(help: "Fit on all but the largest model size and report the error on the largest.") var holdout = false
    @Option(name: .customLong("from-step"), help: "Annealing: fit rows from this step on (default: skip the first 10% of the longest curve; the LRs before still count).")
    var fromStep: Int?
    @Option(name: .customLong("check-run"), help: "Annealing: predict this run's whole curve from its logged LRs and report the error (repeatable).")
    var checkRuns: [Int64] = []
    @Flag(name: .customLong("no-store"), help: "Do not store the fit in the database.") var noStore = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ParamCount(rawValue: params) != nil else { throw CLIError("--params must be nonembedding or total (got '\(params)')") }
        if let starts, starts < 1 { throw CLIError("--starts must be >= 1 (got \(starts))") }
        guard bootstrap >= 0 else { throw CLIError("--bootstrap must be >= 0 (got \(bootstrap))") }
        guard huberDelta > 0, huberDelta.isFinite else { throw CLIError("--huber-delta must be > 0") }
        if lambda != "fit" {
            guard let l = Double(lambda), l > 0, l < 1 else { throw CLIError("--lambda must be in (0, 1) or 'fit' (got '\(lambda)')") }
        }
    }

    func run() throws {
        let needsDB = !(law == .annealing && runs.isEmpty)
        let store: Store? = needsDB ? try openExisting(database.db) : nil
        var sel = DataSelection(source: source, predicate: predicate, sweep: sweep, runIDs: runs, curves: curves,
                                paramCount: ParamCount(rawValue: params)!)
        let outcome: FitOutcome
        switch law {
        case .chinchilla, .overtrain:
            outcome = try fitSizeLaw(store!, sel)
        case .downstream:
            let (l, e) = try downstreamPairs(store!, sel)
            var opts = options()
            opts.starts = startSubset(DownstreamLaw().startGrid())
            outcome = try FitOutcome.general(DownstreamLaw(), Dataset(x: l.map { [$0] }, y: e), options: opts)
        case .isoflop:
            outcome = try fitIsoFLOP(store!, sel)
        case .annealing:
            outcome = try fitAnnealing(store, &sel)
        }
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
        guard holdout else { return try fit(all, bootstrap: true) }
        guard let largest = all.n.max(), all.n.contains(where: { $0 < largest }) else {
            throw CLIError("--holdout needs at least two model sizes")
        }
        let train = all.subset(all.n.map { $0 < largest })
        let test = all.subset(all.n.map { $0 == largest })
        var result = try fit(train, bootstrap: true)
        let predicted = test.loss.indices.map { result.predictSize(N: test.n[$0], D: test.d[$0]) }
        let errors = test.loss.indices.map { abs(predicted[$0] - test.loss[$0]) / test.loss[$0] }
        result.holdout = (largest, test.loss.count, errors.reduce(0, +) / Double(errors.count), errors.max() ?? 0)
        return result
    }

    func fitIsoFLOP(_ store: Store, _ sel: DataSelection) throws -> FitOutcome {
        let o = try SizeObservations.load(store, sel)
        return try FitOutcome.isoflop(n: o.n, d: o.d, loss: o.loss, bootstrap: bootstrap, seed: seed)
    }

    func fitAnnealing(_ store: Store?, _ sel: inout DataSelection) throws -> FitOutcome {
        let curves = try lossCurves(store, runIDs: runs, files: curves)
        let lam: AnnealingFit.Lambda = lambda == "fit" ? .fitted(0.99...0.9999) : .fixed(Double(lambda)!)
        let start = fromStep ?? max(1, (curves.map { $0.curve.lastStep }.max() ?? 0) / 10)
        // Tissue et al. re-implementations sum warmup steps at the peak LR: the rising LR of warmup
        // would otherwise enter S2 as negative annealing that lingers for ~1/(1-lambda) steps.
        let warmupAsPeak: Int?
        switch warmupAsPeakOption {
        case "off", "0": warmupAsPeak = nil
        case "auto":
            let w = curves.map { c -> Int in
                let peak = c.curve.lrs.max() ?? 0
                return c.curve.lrs.firstIndex { $0 >= peak * (1 - 1e-9) }.map { c.curve.steps[$0] } ?? 0
            }.max() ?? 0
            warmupAsPeak = w > 1 ? w : nil
        default:
            guard let n = Int(warmupAsPeakOption), n >= 0 else {
                throw CLIError("--warmup-as-peak must be a step count, 'auto' or 'off' (got '\(warmupAsPeakOption)')")
            }
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
                let steps = try store.steps(runID: id)
                guard steps.count >= 10, steps.first?.step == 0, steps.last?.step == steps.count - 1 else {
                    throw CLIError("run \(id) has no complete step log to check against")
                }
                let predicted = law.predictCurve(o.theta, lrs: steps.map(\.lr))
                // Compare means over windows of w steps (the per-step train loss is noisy).
                let w = max(1, steps.count / 400)
                var absErr: [Double] = [], relErr: [Double] = []
                var i = (start / w) * w
                while i + w <= steps.count {
                    let actual = steps[i..<(i + w)].compactMap(\.trainLoss)
                    if actual.count == w {
                        let a = actual.reduce(0, +) / Double(w)
                        let p = predicted[i..<(i + w)].reduce(0, +) / Double(w)
                        absErr.append(abs(p - a))
                        relErr.append(abs(p - a) / a)
                    }
                    i += w
                }
                let mae = absErr.reduce(0, +) / Double(max(absErr.count, 1))
                let rel = relErr.reduce(0, +) / Double(max(relErr.count, 1))
                let schedule = try store.run(id: id)?.schedule ?? ""
                checks.append(.object([("run", .int(id)), ("schedule", .string(schedule)), ("mae", .number(mae)),
                                       ("mean_rel_error", .number(rel)), ("final_rel_error", .number(relErr.last ?? .nan))]))
            }
            o.extra.append(("checks", .array(checks)))
        }
        return o
    }
}
