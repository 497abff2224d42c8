import Fit
import Laws

/// How well a fitted annealing law predicts a curve it was not fitted on (`fit --check-run`):
/// the law's curve for the run's own LRs against the run's logged loss, at the same rows the
/// fit would use (step >= `fromStep`), so a check is scored like the fit it tests.
struct CurveCheck {
    /// Rows compared.
    var rows: Int
    /// Mean absolute error (nats).
    var mae: Double
    /// Mean of |predicted - actual| / actual.
    var meanRelative: Double
    /// |predicted - actual| / actual at the last row.
    var finalRelative: Double

    init(law: AnnealingLaw, theta: [Double], curve: LossCurve, fromStep: Int) {
        let predicted = law.predictCurve(theta, lrs: curve.denseLRs(totalSteps: curve.lastStep))
        var abs: [Double] = [], rel: [Double] = []
        for (step, actual) in zip(curve.steps, curve.losses) where step >= max(1, fromStep) {
            let e = Swift.abs(predicted[step - 1] - actual)
            abs.append(e)
            rel.append(e / actual)
        }
        rows = abs.count
        mae = abs.reduce(0, +) / Double(max(rows, 1))
        meanRelative = rel.reduce(0, +) / Double(max(rows, 1))
        finalRelative = rel.last ?? .nan
    }
}
