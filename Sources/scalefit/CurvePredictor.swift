import Fit
import Foundation
import LawRegistry
import Store

/// A fitted curve law as a function of a schedule, from a fit (fresh or stored) through its
/// registry entry: what `predict`, `fit --check-curve` and the comparison table share.
struct CurvePredictor {
    let law: any LawDefinition
    let fit: StoredFit

    init(law: any LawDefinition, fit: StoredFit) throws {
        guard law.input == .lossCurves else { throw CLIError("fit law '\(law.name)' does not predict loss curves") }
        guard fit.theta.count == law.thetaCount else {
            throw CLIError("the stored \(law.name) fit has \(fit.theta.count) parameters (expected \(law.thetaCount))")
        }
        self.law = law
        self.fit = fit
    }

    /// Loss after each update 1...lrs.count of a schedule (`lrs[t]` = rate of 0-based step t).
    func afterUpdates(_ lrs: [Double]) -> [Double] {
        (try? law.curve(fit, lrs: lrs)) ?? lrs.map { _ in .nan }
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
    let fits: [StoredFit]

    init(_ fits: [StoredFit]) { self.fits = fits }

    func checks(_ f: StoredFit) -> [JSONText.Value] { f.annotations["checks"]?.array ?? [] }

    func render(format: OutputFormat) -> String {
        var rows: [[SQLValue]] = []
        for f in fits {
            let cs = checks(f)
            let id: SQLValue = f.id.map { .integer($0) } ?? .null
            for c in cs {
                rows.append([.text(f.law), id, .text(c["curve"]?.string ?? ""),
                             .real(c["pred_e"]?.double ?? .nan), .real(c["worst_e"]?.double ?? .nan),
                             .real(c["final_e"]?.double ?? .nan)])
            }
            if cs.count > 1 {
                func mean(_ k: String) -> Double { cs.compactMap { $0[k]?.double }.reduce(0, +) / Double(cs.count) }
                rows.append([.text(f.law), id, .text("(mean)"), .real(mean("pred_e")), .real(mean("worst_e")), .real(mean("final_e"))])
            }
            if cs.isEmpty {
                rows.append([.text(f.law), id, .text("(no --check-curve / --check-run)"), .null, .null, .null])
            }
        }
        switch format {
        case .json:
            return JSONText.render(.object([("fits", .array(fits.map { f in
                .object([("fit_id", f.id.map { .int($0) } ?? .null), ("law", .string(f.law)), ("params", f.paramsJSON),
                         ("rmse", .number(f.rmse)), ("checks", .array(checks(f)))])
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
