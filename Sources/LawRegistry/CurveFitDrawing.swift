import Fit
import Foundation
import Report

/// What the report draws for a fit of a curve law (any `lossCurves` law): the fitted runs and
/// curve files against the fit, and as held-out predictions every other finished run of the same
/// model shape, the `--check-run` runs and the `--check-curve` files that are still there.
enum CurveFitDrawing {
    /// The curves, and a caption note naming imported data (nil when the fit used only trained runs).
    /// `predict(lrs)` is the fit's loss after each update of a schedule.
    static func curves(_ f: StoredFit, fromStep: Int, context: ReportContext,
                       predict: ([Double]) -> [Double]) throws -> (curves: [FitCurves.AnnealingCurve], note: String?) {
        let fitted = Set(f.selection.runs)
        let checks = f.annotations["checks"]?.array ?? []
        let checkRuns = Set(checks.compactMap { $0["run"]?.double.map { Int64($0) } })
        let runs = context.runs
        // Curves imported from other trainers (schedule `external`) have no shape: only the fitted ones.
        let shapes = Set(runs.filter { fitted.contains($0.id!) && $0.schedule != "external" }.map { "\($0.nLayer)x\($0.dModel)" })
        var out: [FitCurves.AnnealingCurve] = []
        for r in runs where r.status == "finished"
            && (fitted.contains(r.id!) || checkRuns.contains(r.id!)
                || (r.schedule != "external" && shapes.contains("\(r.nLayer)x\(r.dModel)"))) {
            let steps = try context.steps(r.id!)
            guard !steps.isEmpty else { continue }
            let predicted = predict(steps.map(\.lr))
            guard predicted.count == steps.count else { continue }
            let stride = max(1, steps.count / 150)
            var actual: [PlotPoint] = [], pred: [PlotPoint] = []
            for i in Swift.stride(from: min(max(fromStep - 1, 0), steps.count - 1), to: steps.count, by: stride) {
                if let l = steps[i].trainLoss { actual.append(PlotPoint(Double(steps[i].step + 1), l)) }
                pred.append(PlotPoint(Double(steps[i].step + 1), predicted[i]))
            }
            let kind = r.schedule.split(separator: ":").first.map(String.init) ?? r.schedule
            out.append(.init(schedule: "run \(r.id!) (\(kind))", actual: actual, predicted: pred, heldOut: !fitted.contains(r.id!)))
        }
        // Checked files: the `curve` of a check without a run is the file's path.
        let checkFiles = checks.filter { $0["run"] == nil }.compactMap { $0["curve"]?.string }.filter { !f.selection.curves.contains($0) }
        out += f.selection.curves.compactMap { file($0, heldOut: false, fromStep: fromStep, predict: predict) }
        out += checkFiles.compactMap { file($0, heldOut: true, fromStep: fromStep, predict: predict) }
        let external = runs.filter { fitted.contains($0.id!) && $0.schedule == "external" }.count
        let files = f.selection.curves.count
        let note = external + files > 0
            ? "Data: fit \(f.id ?? 0) on \(fitted.count) run(s) (\(external) imported with `import --curve`) and \(files) curve file(s) (drawn when the file is still there)."
            : nil
        return (out, note)
    }

    /// A curve file that is still where it was, against the fit's prediction for the file's own rates.
    static func file(_ path: String, heldOut: Bool, fromStep: Int, predict: ([Double]) -> [Double]) -> FitCurves.AnnealingCurve? {
        guard let curve = try? LossCurve.read(path: path), curve.lastStep > 0 else { return nil }
        let predicted = predict(curve.denseLRs(totalSteps: curve.lastStep))
        guard predicted.count >= curve.lastStep else { return nil }
        let rows = curve.steps.indices.filter { curve.steps[$0] >= max(1, fromStep) }
        let stride = max(1, rows.count / 150)
        let picked = Swift.stride(from: 0, to: rows.count, by: stride).map { rows[$0] }
        return FitCurves.AnnealingCurve(schedule: (path as NSString).lastPathComponent,
                                        actual: picked.map { PlotPoint(Double(curve.steps[$0]), curve.losses[$0]) },
                                        predicted: picked.map { PlotPoint(Double(curve.steps[$0]), predicted[curve.steps[$0] - 1]) },
                                        heldOut: heldOut)
    }
}
