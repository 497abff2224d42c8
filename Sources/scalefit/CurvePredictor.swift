import Fit
import Foundation
import Laws
import Store

/// A fitted curve law (annealing or multipower) as a function of a schedule, rebuilt from a fit's
/// stored options (or a fresh `FitOutcome`): what `predict`, `fit --check-curve` and the
/// comparison table share.
struct CurvePredictor {
    let law: String
    /// Loss after each update 1...lrs.count of a schedule (`lrs[t]` = rate of 0-based step t).
    let afterUpdates: ([Double]) -> [Double]
    /// Whether the fit counted the warmup at the peak LR (annealing `warmup_as_peak`).
    let warmupAsPeak: Bool

    /// Annealing fits that counted the warmup at the peak LR count the predicted schedule's OWN
    /// warmup that way (its steps until the LR first peaks), not the fitted curves'.
    init(law: String, theta: [Double], options: [(String, JSONText.Value)]) throws {
        self.law = law
        func option(_ key: String) -> JSONText.Value? { options.last { $0.0 == key }?.1 }
        switch law {
        case "annealing":
            guard theta.count == 4 else { throw CLIError("the stored annealing fit has \(theta.count) parameters (expected 4)") }
            let lambda = option("lambda")?.double ?? AnnealingAreas.defaultLambda
            let warm = option("warmup_as_peak")?.double != nil
            warmupAsPeak = warm
            afterUpdates = { lrs in
                // Warmup counted at the peak follows the predicted schedule's own warmup.
                let w = warm ? CurvePredictor.warmupSteps(lrs) : nil
                return AnnealingLaw(lambda: lambda, warmupAsPeak: w).predictCurve(theta, lrs: lrs)
            }
        case "multipower":
            guard theta.count == 7 else { throw CLIError("the stored multipower fit has \(theta.count) parameters (expected 7)") }
            let p = MultiPowerLaw.parameters(from: theta)
            warmupAsPeak = false
            afterUpdates = { MultiPowerLaw.predictCurve(p, lrs: $0) }
        default:
            throw CLIError("fit law '\(law)' does not predict loss curves")
        }
    }

    init(outcome: FitOutcome) throws {
        try self.init(law: outcome.law, theta: outcome.theta, options: outcome.extra)
    }

    init(record: FitRecord) throws {
        let opts = try JSONText.parse(record.options)
        let theta = opts["theta"]?.array?.compactMap(\.double) ?? []
        try self.init(law: record.law, theta: theta, options: opts.members ?? [])
    }

    /// Steps until a schedule's LR first reaches its peak (0 when it starts there).
    static func warmupSteps(_ lrs: [Double]) -> Int? {
        guard let peak = lrs.max() else { return nil }
        let w = lrs.firstIndex { $0 >= peak * (1 - 1e-9) } ?? 0
        return w > 1 ? w : nil
    }

    /// Predicted loss at a curve's rows (nan at step 0: the loss before training).
    func predict(at curve: LossCurve) -> [Double] {
        let full = afterUpdates(curve.denseLRs(totalSteps: curve.lastStep))
        return curve.steps.map { $0 >= 1 ? full[$0 - 1] : .nan }
    }

    /// PredE, WorstE and the last row's error on a curve's rows at or after `fromStep`.
    func errors(on curve: LossCurve, fromStep: Int) -> CurveErrors {
        let predicted = predict(at: curve)
        let keep = curve.steps.indices.filter { curve.steps[$0] >= max(1, fromStep) }
        return CurveErrors(predicted: keep.map { predicted[$0] }, measured: keep.map { curve.losses[$0] })
    }
}

/// One table of the held-out errors of several curve-law fits on the same curves
/// (`fit --law annealing,multipower --check-curve ...`).
struct CurveLawComparison {
    let fits: [(law: String, outcome: FitOutcome, id: Int64?)]

    init(_ fits: [(String, FitOutcome, Int64?)]) { self.fits = fits.map { (law: $0.0, outcome: $0.1, id: $0.2) } }

    func checks(_ o: FitOutcome) -> [JSONText.Value] {
        for case ("checks", .array(let c)) in o.extra { return c }
        return []
    }

    func render(format: OutputFormat) -> String {
        var rows: [[SQLValue]] = []
        for f in fits {
            let cs = checks(f.outcome)
            for c in cs {
                rows.append([.text(f.law), f.id.map { .integer($0) } ?? .null, .text(c["curve"]?.string ?? ""),
                             .real(c["pred_e"]?.double ?? .nan), .real(c["worst_e"]?.double ?? .nan),
                             .real(c["final_e"]?.double ?? .nan)])
            }
            if cs.count > 1 {
                func mean(_ k: String) -> Double { cs.compactMap { $0[k]?.double }.reduce(0, +) / Double(cs.count) }
                rows.append([.text(f.law), f.id.map { .integer($0) } ?? .null, .text("(mean)"), .real(mean("pred_e")),
                             .real(mean("worst_e")), .real(mean("final_e"))])
            }
            if cs.isEmpty {
                rows.append([.text(f.law), f.id.map { .integer($0) } ?? .null, .text("(no --check-curve / --check-run)"),
                             .null, .null, .null])
            }
        }
        switch format {
        case .json:
            return JSONText.render(.object([("fits", .array(fits.map { f in
                .object([("fit_id", f.id.map { .int($0) } ?? .null), ("law", .string(f.law)),
                         ("params", .object(zip(f.outcome.parameterNames, f.outcome.parameters).map { ($0, .number($1)) })),
                         ("rmse", .number(f.outcome.rmse)), ("checks", .array(checks(f.outcome)))])
            }))]))
        case .csv:
            return TableOutput.render(QueryResult(columns: ["law", "fit_id", "curve", "pred_e", "worst_e", "final_e"], rows: rows),
                                      as: .csv)
        case .table:
            let pct = rows.map { r -> [SQLValue] in
                Array(r.prefix(3)) + r.dropFirst(3).map { v in
                    if case .real(let x) = v { return .text(x.isFinite ? String(format: "%.3f%%", 100 * x) : "-") }
                    return v
                }
            }
            return "held-out errors (PredE = mean |L - pred| / L, WorstE = max, FinalE = last row)\n"
                + TableOutput.render(QueryResult(columns: ["law", "fit", "curve", "pred_e", "worst_e", "final_e"], rows: pct),
                                     as: .table)
        }
    }
}
