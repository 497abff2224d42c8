import Fit
import Foundation
import Laws
import Store

/// A finished fit of any law, as the CLI prints and stores it.
struct FitOutcome {
    var law: String
    var parameterNames: [String]
    var parameters: [Double]
    var intervals: [ClosedRange<Double>?]
    var theta: [Double]
    var bootstrapThetas: [[Double]]
    var objective: String
    var objectiveValue: Double
    var rmse: Double
    var r2: Double
    var n: Int
    var status: String
    /// Law-specific results (compute-optimal exponents, lambda, IsoFLOP minima, ...).
    var extra: [(String, JSONText.Value)] = []
    /// `--holdout`: predictions of the runs left out of the fit.
    var holdout: HoldoutResult?
    /// Size laws: the fitted observations with their runs and LRs (which LR each point used).
    var points: SizeObservations?
    /// Caveats a reader of the fit needs (e.g. a parameter at its boundary); printed, in the JSON and stored.
    var notes: [String] = []
    /// Bootstrap refits that converged, of those drawn (0 of 0 without a bootstrap).
    var bootstrapConverged = 0
    var bootstrapTotal = 0

    /// Fits any law through the generic fitter. A fit that does not converge is an error.
    static func general<L: ScalingLaw>(_ law: L, _ data: Dataset, options: FitOptions) throws -> FitOutcome {
        let p = law.thetaNames.count
        guard data.count >= p + 1 else {
            throw FitError.invalidData("too few points to fit: \(data.count) points for the \(p) parameters of the \(law.name) law "
                                       + "(at least \(p + 1) needed)")
        }
        try checkNotDegenerate(law, data)
        let r = try Fitter.fit(law, data, options: options)
        guard r.converged else { throw FitError.noConvergence(r.status) }
        guard r.r2.isFinite else {
            throw FitError.noConvergence("R^2 is \(r.r2): the fitted law does not describe these points")
        }
        var o = FitOutcome(law: law.name, parameterNames: r.parameterNames, parameters: r.parameters,
                           intervals: r.intervals.isEmpty ? r.parameters.map { _ in nil } : r.intervals,
                           theta: r.theta, bootstrapThetas: r.bootstrapThetas, objective: r.objective.label,
                           objectiveValue: r.objectiveValue, rmse: r.rmse, r2: r.r2, n: r.n, status: r.status,
                           notes: r.notes, bootstrapConverged: r.bootstrapConverged, bootstrapTotal: r.bootstrapTotal)
        if !(r.r2 >= 0.5) {
            // A converged optimum can still explain nothing: say so rather than let the numbers pass as a law.
            o.notes.append(String(format: "R^2 = %.3f: the law explains little of the variation in these points", r.r2)
                           + (law.name == "downstream" ? " (errors near chance do not change with loss yet)" : ""))
        }
        if law.name == "chinchilla" {
            let c = ComputeOptimal(reported: r.parameters)
            o.extra.append(("compute_optimal", .object([
                ("N_exponent", .number(c.nExponent)), ("D_exponent", .number(c.dExponent)),
                ("formula", .string("N*(C) = G (C/6)^(beta/(alpha+beta)), D*(C) = (C/6)^(alpha/(alpha+beta)) / G")),
            ])))
            if let e = r.parameters.first, let floor = data.y.min(), e < 1e-3 * floor {
                // E = exp(e) in the log-sum-exp form, so an unconstrained e runs to -inf when nothing
                // flattens: a converged fit, but with no irreducible-loss estimate in it.
                o.notes.append("E ran to 0: these losses do not flatten toward an irreducible floor, so E is not identified "
                               + "(the fit is two power laws); add larger models or longer budgets")
            }
        }
        return o
    }

    /// Data no law can be identified from is an error before fitting (nothing is stored): a target
    /// that does not vary (R^2 would be 0/0, and the optimiser wanders off to any A or a), or fewer
    /// distinct inputs than the law has parameters (20 copies of one point pin one value, not a curve).
    static func checkNotDegenerate<L: ScalingLaw>(_ law: L, _ data: Dataset) throws {
        if let lo = data.y.min(), let hi = data.y.max(), !(hi - lo > 1e-12 * max(abs(hi), abs(lo))) {
            throw FitError.invalidData("all \(data.count) \(law.name == "downstream" ? "errors" : "losses") are equal (\(lo)): "
                                       + "there is no variation for the \(law.name) law to fit")
        }
        let distinct = Set(data.x).count
        if distinct < law.thetaNames.count {
            throw FitError.invalidData("only \(distinct) distinct \(law.inputNames.joined(separator: ", ")) input"
                                       + (distinct == 1 ? "" : "s") + " among \(data.count) points, fewer than the "
                                       + "\(law.thetaNames.count) parameters of the \(law.name) law: it is not identified")
        }
    }

    /// The annealing law on whole loss curves; the bootstrap resamples within curves (`CurveResampling`).
    static func annealing(_ curves: [LossCurve], lambda: AnnealingFit.Lambda, warmupAsPeak: Int?, bootstrap: Int,
                          seed: UInt64, fromStep: Int, objective: Objective) throws -> FitOutcome {
        // A flat curve has nothing for the power law to follow: any alpha fits it with "R^2 1".
        let fitted = curves.flatMap { c in c.steps.indices.filter { c.steps[$0] >= fromStep }.map { c.losses[$0] } }
        if let lo = fitted.min(), let hi = fitted.max(), !(hi - lo > 1e-12 * max(abs(hi), abs(lo))) {
            throw FitError.invalidData("the \(fitted.count) losses fitted (from step \(fromStep)) are all equal (\(lo)): "
                                       + "a flat curve has no decay for the annealing law to fit")
        }
        let f: AnnealingFit
        do {
            f = try AnnealingFit.fit(curves, lambda: lambda, warmupAsPeak: warmupAsPeak, fromStep: fromStep, objective: objective)
        } catch FitError.noConvergence(let why) {
            // The usual cause on short runs: loss still falls like log S1 (alpha -> 0, L0 -> -inf),
            // a direction in which the power law has no finite optimum.
            throw FitError.noConvergence("\(why) (curves that still fall like log S1 drive alpha to 0; train longer or fit from a later --from-step)")
        }
        guard f.converged else { throw FitError.noConvergence("the annealing fit did not converge") }
        guard f.r2.isFinite else {
            throw FitError.noConvergence("R^2 is \(f.r2): the fitted law does not describe these curves")
        }
        // Replicates within curves (fitted curve + moving blocks of its residuals), lambda refitted in
        // each like the fit itself, so lambda gets an interval and the others carry its uncertainty.
        let resampling = CurveResampling(curves: curves, fitted: curves.map { f.predict(at: $0) }, fromStep: fromStep)
        let boot = Bootstrap.run(resamples: bootstrap, seed: seed, plan: { resampling.replicate(using: &$0) }) { sample in
            guard let b = try? AnnealingFit.fit(sample, lambda: lambda, warmupAsPeak: warmupAsPeak, fromStep: fromStep,
                                                objective: objective),
                  b.converged else { return nil }
            return b.parameters
        }
        let names = AnnealingFit.parameterNames
        var notes: [String] = []
        var intervals: [ClosedRange<Double>?] = names.map { _ in nil }
        if bootstrap > 0 {
            (intervals, notes) = boot.intervals(estimates: f.parameters, names: names)
            if case .fixed = lambda { intervals[4] = nil; notes.removeAll { $0.hasPrefix("lambda:") } }
        }
        // Stored with each sample's own lambda (L0, A, alpha, C, lambda), so predictions carry it.
        let thetas = boot.samples
        var o = FitOutcome(law: "annealing", parameterNames: names, parameters: f.parameters, intervals: intervals,
                           theta: f.theta, bootstrapThetas: thetas, objective: objective.label + " on log loss",
                           objectiveValue: f.objective,
                           rmse: f.rmse, r2: f.r2, n: f.n,
                           status: "converged; lambda \(f.lambda) (\(f.lambdaEvaluations) lambda evaluations); \(boot.status) (residual blocks within \(curves.count) curves)",
                           notes: notes, bootstrapConverged: boot.converged, bootstrapTotal: boot.total)
        o.extra.append(("lambda", .number(f.lambda)))
        if let w = warmupAsPeak { o.extra.append(("warmup_as_peak", .int(Int64(w)))) }
        o.extra.append(("curves", .int(Int64(curves.count))))
        o.extra.append(("from_step", .int(Int64(fromStep))))
        o.extra.append(("s2_explained", .number(f.annealingTermExplained)))
        if f.annealingTermExplained > s2ExplainedLimit {
            o.notes.append(String(format: "the power-law terms explain %.1f%% of S2's variation on these curves: the decay and the "
                                  + "annealing term are hard to tell apart (A and C trade off), so predictions for other "
                                  + "schedules are unreliable; fit on a curve with a constant-LR phase (constant or WSD)",
                                  100 * f.annealingTermExplained))
        }
        return o
    }

    /// The Multi-Power Law (Luo et al. 2025) on whole loss curves; no bootstrap (each refit costs a
    /// full multi-start fit), so no intervals.
    static func multipower(_ curves: [LossCurve], options: MultiPowerFit.Options) throws -> FitOutcome {
        let f = try MultiPowerFit.fit(curves, options: options)
        var o = FitOutcome(law: MultiPowerLaw.name, parameterNames: MultiPowerFit.parameterNames, parameters: f.parameters,
                           intervals: f.parameters.map { _ in nil }, theta: f.theta, bootstrapThetas: [],
                           objective: f.objective.label + " on log loss", objectiveValue: f.objectiveValue,
                           rmse: f.rmse, r2: f.r2, n: f.n,
                           status: "converged from \(f.startsConverged)/\(f.startsTried) pre-fit starts over \(curves.count) curves")
        o.extra.append(("curves", .int(Int64(curves.count))))
        o.extra.append(("from_step", .int(Int64(f.fromStep))))
        if let w = options.priorWidth { o.extra.append(("prior_strength", .number(w))) }
        o.extra.append(("drop_error_bound", .number(f.dropErrorBound)))
        return o
    }

    /// Above this share of S2 explained by the power-law columns the fit is flagged: a variance inflation
    /// of 5 for C, the usual rule of thumb for collinearity. Measured on the four schedules of
    /// Data/sweeps/annealing.toml: pairs with a constant phase give 0.07 to 0.22 and predict held-out
    /// schedules within 0.62%; cosine + linear gives 0.88 and misses by 1.6% to 2%.
    static let s2ExplainedLimit = 0.8

    /// Hoffmann et al. 2022, Approach 2: IsoFLOP profiles, then power laws for N*(C), D*(C).
    static func isoflop(_ points: [IsoFLOPPoint], bootstrap: Int, seed: UInt64) throws -> FitOutcome {
        if let lo = points.map(\.loss).min(), let hi = points.map(\.loss).max(), !(hi - lo > 1e-12 * max(abs(hi), abs(lo))) {
            throw FitError.invalidData("all \(points.count) losses are equal (\(lo)): IsoFLOP profiles have no minimum to find")
        }
        let analysis = IsoFLOPAnalysis(points: points)
        let r = try analysis.fit(bootstrap: bootstrap, seed: seed)
        let f = r.asFitResult()
        var o = FitOutcome(law: "isoflop", parameterNames: f.parameterNames, parameters: f.parameters,
                           intervals: f.intervals.isEmpty ? f.parameters.map { _ in nil } : f.intervals,
                           theta: f.theta, bootstrapThetas: f.bootstrapThetas, objective: f.objective.label,
                           objectiveValue: f.objectiveValue, rmse: f.rmse, r2: f.r2, n: f.n, status: f.status,
                           notes: f.notes, bootstrapConverged: f.bootstrapConverged, bootstrapTotal: f.bootstrapTotal)
        let members = analysis.groups()
        o.extra.append(("power_laws", .object(zip(r.parameterNames, r.parameters).map { ($0, .number($1)) })))
        o.extra.append(("groups", .array(r.minima.map { m in
            let pts = members.min { abs(log($0.compute / m.compute)) < abs(log($1.compute / m.compute)) }?.members ?? []
            return .object([
                ("compute", .number(m.compute)), ("n_opt", .number(m.N)), ("d_opt", .number(m.D)),
                ("loss_opt", .number(m.loss)), ("parabola", .array(m.coefficients.map { .number($0) })),
                ("centre", .number(m.centre)), ("within_range", .bool(m.withinSampledRange)),
                ("window", .array([.number(m.window.lowerBound), .number(m.window.upperBound)])),
                ("points", .array(pts.map { .array([.number(points[$0].N), .number(points[$0].loss)]) })),
            ])
        })))
        if !r.skipped.isEmpty {
            o.extra.append(("skipped", .array(r.skipped.map { .object([("compute", .number($0.compute)),
                                                                       ("points", .int(Int64($0.points))),
                                                                       ("reason", .string($0.reason))]) })))
        }
        return o
    }

    /// Notes (and `unidentified` in the stored options) for every parameter whose interval says the
    /// data do not pin it down (`Identification`).
    mutating func noteUnidentified() {
        let names = Identification.unidentified(names: parameterNames, intervals: intervals)
        guard !names.isEmpty else { return }
        notes += Identification.notes(names: parameterNames, intervals: intervals)
        extra.append(("unidentified", .array(names.map { .string($0) })))
    }

    /// Records the largest inputs the fit saw (`data_range`), for predict's extrapolation notes.
    mutating func recordRange(_ fields: [(String, Double)]) {
        extra.append(("data_range", .object(fields.filter { $0.1.isFinite }.map { ($0.0, .number($0.1)) })))
    }

    /// Loss at (N, D) for the size laws (used by --holdout).
    func predictSize(N: Double, D: Double) -> Double {
        switch law {
        case "chinchilla": return ChinchillaLaw().predict(theta, [N, D])
        case "overtrain": return OvertrainLaw().predict(theta, N: N, D: D)
        default: return .nan
        }
    }

    func record(selection: JSONText.Value, extraOptions: [(String, JSONText.Value)]) -> FitRecord {
        let params = JSONText.Value.object(zip(parameterNames, parameters).map { ($0, .number($1)) })
        let ci = JSONText.Value.object(zip(parameterNames, intervals).compactMap { name, iv in
            iv.map { (name, .array([.number($0.lowerBound), .number($0.upperBound)])) }
        })
        var opts = extraOptions
        opts.append(("theta", .array(theta.map { .number($0) })))
        opts.append(("bootstrap_thetas", .array(bootstrapThetas.map { .array($0.map { .number($0) }) })))
        opts += extra
        opts += bootstrapFields
        if !notes.isEmpty { opts.append(("notes", .array(notes.map { .string($0) }))) }
        if let points { opts.append(("points", points.json)) }
        if let holdout { opts.append(("holdout", holdout.json)) }
        return FitRecord(law: law, params: JSONText.render(params), intervals: JSONText.render(ci),
                         selection: JSONText.render(selection), objective: objective, objectiveValue: objectiveValue,
                         rmse: rmse, r2: r2, nPoints: n, converged: true, status: status,
                         options: JSONText.render(.object(opts)))
    }

    var bootstrapFields: [(String, JSONText.Value)] {
        [("bootstrap_converged", .int(Int64(bootstrapConverged))), ("bootstrap_total", .int(Int64(bootstrapTotal)))]
    }

    func render(fitID: Int64?, format: OutputFormat) -> String {
        let params = JSONText.Value.object(zip(parameterNames, parameters).map { ($0, .number($1)) })
        let ci = JSONText.Value.object(zip(parameterNames, intervals).compactMap { name, iv in
            iv.map { (name, .array([.number($0.lowerBound), .number($0.upperBound)])) }
        })
        var fields: [(String, JSONText.Value)] = [
            ("fit_id", fitID.map { .int($0) } ?? .null), ("law", .string(law)), ("params", params), ("ci", ci),
            ("objective", .string(objective)), ("objective_value", .number(objectiveValue)), ("rmse", .number(rmse)),
            ("r2", .number(r2)), ("n", .int(Int64(n))), ("converged", .bool(true)), ("status", .string(status)),
        ]
        fields += bootstrapFields
        fields += extra
        if !notes.isEmpty { fields.append(("notes", .array(notes.map { .string($0) }))) }
        if let points { fields.append(("points", points.json)) }
        if let holdout { fields.append(("holdout", holdout.json)) }
        switch format {
        case .json: return JSONText.render(.object(fields))
        case .csv:
            return (["parameter,value,ci_low,ci_high"] + parameterNames.indices.map { i in
                let iv = intervals[i]
                return [parameterNames[i], SQLValue.format(parameters[i]), iv.map { SQLValue.format($0.lowerBound) } ?? "",
                        iv.map { SQLValue.format($0.upperBound) } ?? ""].joined(separator: ",")
            }).joined(separator: "\n")
        case .table:
            var lines = ["\(law) fit\(fitID.map { " \($0)" } ?? "") on \(n) points (\(objective))"]
            let w = max(9, parameterNames.map(\.count).max() ?? 0)
            lines.append("  " + "parameter".padding(toLength: w, withPad: " ", startingAt: 0) + "  " +
                         "value".leftPadded(12) + "  95% bootstrap interval")
            for i in parameterNames.indices {
                let iv = intervals[i].map { "[\(formatNumber($0.lowerBound)), \(formatNumber($0.upperBound))]" } ?? "-"
                lines.append("  " + parameterNames[i].padding(toLength: w, withPad: " ", startingAt: 0) + "  " +
                             formatNumber(parameters[i]).leftPadded(12) + "  " + iv)
            }
            lines.append("  objective \(formatNumber(objectiveValue)), RMSE \(formatNumber(rmse)), R^2 \(formatNumber(r2))")
            lines.append("  \(status)")
            for case ("checks", .array(let checks)) in extra {
                for c in checks {
                    lines.append(String(format: "  check %@: PredE %.3f%%, WorstE %.3f%%, final %.3f%% (%d rows)",
                                        c["curve"]?.string ?? "", 100 * (c["pred_e"]?.double ?? .nan),
                                        100 * (c["worst_e"]?.double ?? .nan), 100 * (c["final_e"]?.double ?? .nan),
                                        Int(c["rows"]?.double ?? 0)))
                }
            }
            for note in notes { lines.append("  note: \(note)") }
            if let points { lines += points.lrLines }
            if let holdout { lines += holdout.lines }
            return lines.joined(separator: "\n")
        }
    }
}

/// Percentile interval of bootstrap samples (nil with fewer than `Bootstrap.minimumConverged` finite ones).
func percentileInterval(_ values: [Double], confidence: Double = 0.95) -> ClosedRange<Double>? {
    values.filter(\.isFinite).count >= Bootstrap.minimumConverged ? Percentile.interval(values, confidence: confidence) : nil
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
