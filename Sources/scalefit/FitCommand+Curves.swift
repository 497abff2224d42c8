import Fit
import Foundation
import Laws
import Store
import Validation

/// `scalefit fit` for the curve laws (annealing, multipower): fit on --curve / --run, check on
/// --check-curve / --check-run, and with several laws one comparison table.
extension FitCommand {
    func runCurveLaws(_ laws: [LawName]) throws {
        let needsDB = !runs.isEmpty || !checkRuns.isEmpty
        let store: Store? = needsDB ? try openExisting(database.db) : nil
        let sel = DataSelection(source: source, predicate: predicate, sweep: sweep, runIDs: runs, curves: curves,
                                paramCount: ParamCount(rawValue: params)!)
        let fitted = try lossCurves(store, runIDs: runs, files: curves, source: curveLoss, windows: trainWindows,
                                    columns: curveColumns)
        var held: [(label: String, run: Int64?, curve: LossCurve)] = []
        for f in checkCurves { held.append((f, nil, try curveColumns.read(f))) }
        for id in checkRuns {
            guard let store else { throw CLIError("--check-run needs the database") }
            held.append(("run \(id)", id, try RunCurve.load(store, runID: id, loss: curveLoss, windows: trainWindows)))
        }
        let start = try curveFromStep(fitted.map(\.curve))
        var results: [(law: LawName, outcome: FitOutcome, id: Int64?)] = []
        for law in laws {
            var o = try fitCurveLaw(law, fitted.map(\.curve), fromStep: start)
            o.noteUnidentified()
            let predictor = try CurvePredictor(outcome: o)
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
            if !held.isEmpty { o.extra.append(("checks", .array(checks))) }
            if !runs.isEmpty { o.extra.append(("loss", .string(curveLoss.rawValue))) }
            var id: Int64? = nil
            if !noStore {
                let target = try store ?? Store(path: database.db)
                id = try target.insertFit(o.record(selection: sel.json, extraOptions: optionsJSON(law)))
            }
            results.append((law, o, id))
        }
        if results.count == 1 {
            print(results[0].outcome.render(fitID: results[0].id, format: output.effective))
            return
        }
        print(CurveLawComparison(results.map { ($0.law.rawValue, $0.outcome, $0.id) }).render(format: output.effective))
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

    var curveObjective: Objective {
        objective == .lsq ? .leastSquares : .huber(delta: huberDelta)
    }

    func fitCurveLaw(_ law: LawName, _ curves: [LossCurve], fromStep: Int) throws -> FitOutcome {
        switch law {
        case .annealing:
            let lam: AnnealingFit.Lambda = lambda == "fit" ? .fitted(AnnealingFit.defaultLambdaRange) : .fixed(Double(lambda)!)
            let warmupAsPeak: Int?
            switch warmupAsPeakOption {
            case "off", "0": warmupAsPeak = nil
            case "auto":
                let w = curves.map(\.warmupSteps).max() ?? 0
                warmupAsPeak = w > 1 ? w : nil
            default:
                let n = try InputNumber.integer(text: warmupAsPeakOption, "--warmup-as-peak", in: 0...InputLimits.maxSteps)
                warmupAsPeak = n > 0 ? n : nil
            }
            var o = try FitOutcome.annealing(curves, lambda: lam, warmupAsPeak: warmupAsPeak, bootstrap: bootstrap,
                                             seed: seed, fromStep: fromStep, objective: curveObjective)
            // The peak LR of the fitted curves: the default peak when predicting a new schedule.
            o.extra.append(("peak_lr", .number(curves.map { $0.lrs.max() ?? 0 }.max() ?? 0)))
            o.recordRange([("steps_max", Double(curves.map(\.lastStep).max() ?? 0))])
            return o
        case .multipower:
            var options = MultiPowerFit.Options()
            options.objective = curveObjective
            options.fromStep = fromStep
            if let starts { options.starts = starts }
            var o = try FitOutcome.multipower(curves, options: options)
            o.extra.append(("peak_lr", .number(curves.map { $0.lrs.max() ?? 0 }.max() ?? 0)))
            o.recordRange([("steps_max", Double(curves.map(\.lastStep).max() ?? 0))])
            return o
        default:
            throw CLIError("\(law.rawValue) is not a curve law")
        }
    }
}
