import Foundation
import Laws

/// The Multi-Power Law (Luo et al. 2025) on prepared curve rows, seen by the generic solvers
/// (`HuberSolver`, `LeastSquaresSolver`) as a `ScalingLaw` whose one input is the row index.
///
/// Residuals are on log loss, r = ln L_pred - ln L, as the paper fits (Huber, delta 1e-3): the
/// error that matters for a loss curve is relative (PredE = mean |L - pred| / L), and a loss of
/// 3.3 and one of 2.4 then weigh alike. The same residual serves least squares.
///
/// Optional Gaussian priors on theta (fitting coordinates) enter as extra pseudo-rows with
/// residual (theta_k - mean_k) / sd_k * `priorScale`, x = [-1 - k] (see `MultiPowerFit`).
struct MultiPowerObjective: ScalingLaw {
    let rows: MultiPowerRows
    /// Per prior pseudo-row: parameter index, mean, 1 / sd (already times the residual scale).
    let priors: [(index: Int, mean: Double, weight: Double)]
    /// Residuals pred - L instead of ln pred - ln L (an experiment, `MultiPowerFit.Options.absoluteResiduals`).
    var absoluteResiduals = false

    var name: String { MultiPowerLaw.name }
    var reference: String { MultiPowerLaw.reference }
    var thetaNames: [String] { ["L0", "ln_A", "ln_alpha", "ln_B", "ln_C", "ln_beta", "ln_gamma"] }
    var parameterNames: [String] { MultiPowerLaw.parameterNames }
    var inputNames: [String] { ["row"] }
    var defaultObjective: Objective { .huber(delta: 1e-3) }

    /// The observations: one per row (x = row index, y = loss), then one per prior (y = 1).
    var dataset: Dataset {
        Dataset(x: (0..<rows.count).map { [Double($0)] } + priors.indices.map { [Double(-1 - $0)] },
                y: rows.losses + priors.map { _ in 1 }, groups: rows.curve + priors.map { _ in -1 })
    }

    func predict(_ theta: [Double], _ x: [Double]) -> Double {
        let i = Int(x[0])
        guard i >= 0 else { return .nan }
        return theta.withUnsafeBufferPointer { rows.evaluate($0.baseAddress!, row: i, grad: nil) }
    }

    func residual(_ theta: [Double], _ x: [Double], _ y: Double) -> Double {
        var g = [Double](repeating: 0, count: 7)
        return residualAndGradient(theta, x, y, into: &g)
    }

    func residualGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) {
        _ = residualAndGradient(theta, x, y, into: &grad)
    }

    func residualAndGradient(_ theta: [Double], _ x: [Double], _ y: Double, into grad: inout [Double]) -> Double {
        let r = theta.withUnsafeBufferPointer { t in
            grad.withUnsafeMutableBufferPointer { g in
                logResidual(t.baseAddress!, row: Int(x[0]), logLoss: Foundation.log(y), grad: g.baseAddress!)
            }
        }
        return r
    }

    func prepare(_ x: [Double], _ y: Double, into px: UnsafeMutablePointer<Double>) -> Double {
        px[0] = x[0]
        return Foundation.log(y)
    }

    func preparedResidualAndGradient(_ theta: UnsafePointer<Double>, _ px: UnsafePointer<Double>, _ py: Double,
                                     into grad: UnsafeMutablePointer<Double>) -> Double {
        logResidual(theta, row: Int(px[0]), logLoss: py, grad: grad)
    }

    /// ln L_pred - ln L and its gradient; a prior pseudo-row when row < 0. A non-positive
    /// prediction (possible at trial points far from the data) gives an infinite residual, which
    /// the solvers reject.
    @inline(__always)
    private func logResidual(_ theta: UnsafePointer<Double>, row: Int, logLoss: Double,
                             grad: UnsafeMutablePointer<Double>) -> Double {
        if row < 0 {
            let prior = priors[-1 - row]
            for k in 0..<7 { grad[k] = 0 }
            grad[prior.index] = prior.weight
            return (theta[prior.index] - prior.mean) * prior.weight
        }
        let pred = rows.evaluate(theta, row: row, grad: grad)
        guard pred > 0, pred.isFinite else {
            for k in 0..<7 { grad[k] = 0 }
            return .infinity
        }
        let w = rows.rootWeight[row]
        if absoluteResiduals {
            for k in 0..<7 { grad[k] *= w }
            return (pred - Foundation.exp(logLoss)) * w
        }
        for k in 0..<7 { grad[k] *= w / pred }
        return (Foundation.log(pred) - logLoss) * w
    }

    /// Starts come from `MultiPowerFit`'s pre-fit, not from a fixed grid.
    func startGrid() -> [[Double]] { [] }

    func reported(_ theta: [Double]) -> [Double] { MultiPowerLaw.parameters(from: theta) }
}
