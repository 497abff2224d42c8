import Fit
import Foundation
import LawRegistry
import Laws
import Store
import Validation

/// `scalefit fit` for the curve laws (the registry's `lossCurves` laws): fit on --curve / --run,
/// check on --check-curve / --check-run, and with several laws one comparison table.
extension FitCommand {
    func runCurveLaws(_ laws: [any LawDefinition]) throws {
        let needsDB = !runs.isEmpty || !checkRuns.isEmpty
        let store: Store? = needsDB ? try openExisting(database.db) : nil
        let sel = selection
        let fitted = try lossCurves(store, runIDs: runs, files: curves, source: curveLoss, windows: trainWindows,
                                    columns: curveColumns)
        var held: [(label: String, run: Int64?, curve: LossCurve)] = []
        for f in checkCurves { held.append((f, nil, try curveColumns.read(f))) }
        for id in checkRuns {
            guard let store else { throw CLIError("--check-run needs the database") }
            held.append(("run \(id)", id, try RunCurve.load(store, runID: id, loss: curveLoss, windows: trainWindows)))
        }
        let start = try curveFromStep(fitted.map(\.curve))
        var s = settings
        s.fromStep = start
        var results: [StoredFit] = []
        for law in laws {
            var fit = try law.fit(.lossCurves(fitted.map(\.curve)), settings: s)
            fit.noteUnidentified()
            let predictor = try CurvePredictor(law: law, fit: fit)
            var checks: [JSONText.Value] = []
            for h in held {
                let e = predictor.errors(on: h.curve, fromStep: start)
                guard e.rows > 0 else { throw CLIError("\(h.label) has no rows at or after step \(start) to check against") }
                var fields: [(String, JSONText.Value)] = [("curve", .string(h.label))]
                if let run = h.run {
                    fields.append(("run", .int(run)))
                    fields.append(("schedule", .string(try store?.run(id: run)?.schedule ?? "")))
                }
                fields += [("rows", .int(Int64(e.rows))), ("pred_e", .number(e.predE)), ("worst_e", .number(e.worstE)),
                           ("final_e", .number(e.finalE))]
                checks.append(.object(fields))
            }
            if !held.isEmpty { fit.annotations["checks"] = .array(checks) }
            if !runs.isEmpty { fit.annotations["loss"] = .string(curveLoss.rawValue) }
            stamp(&fit, sel)
            results.append(fit)
        }
        // Stored only once every law has fitted: a law that fails leaves no fit of the others behind.
        if !noStore {
            let target = try store ?? Store(path: database.db)
            let ids = try target.transaction { () throws -> [Int64] in try results.map { try target.insertFit($0.record) } }
            for i in results.indices { results[i].id = ids[i] }
        }
        if results.count == 1 {
            print(results[0].render(format: output.effective))
            return
        }
        print(CurveLawComparison(results).render(format: output.effective))
    }

    /// First fitted (and checked) step: `--from-step`, else the end of the warmup of the curves
    /// (the first step at which the LR reaches its peak; neither law models warmup). Measured on
    /// the Multi-Power Law paper's curves (docs/curve-laws.md): skipping further (the earlier
    /// default skipped 20% of the longest curve) leaves the early rows of every prediction an
    /// extrapolation backwards and triples WorstE.
    func curveFromStep(_ curves: [LossCurve]) throws -> Int {
        if let fromStep {
            guard fromStep >= 1 else { throw CLIError("--from-step must be >= 1 (got \(fromStep))") }
            return fromStep
        }
        return max(1, curves.map { warmupEnd($0) }.min() ?? 1)
    }

    /// The first step whose rate is the curve's peak.
    private func warmupEnd(_ curve: LossCurve) -> Int {
        let lrs = curve.denseLRs(totalSteps: curve.lastStep + 1)
        guard let peak = lrs.max() else { return 1 }
        return lrs.firstIndex { $0 >= peak * (1 - 1e-9) } ?? 1
    }
}
