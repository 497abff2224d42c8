import Foundation
import Laws

/// Fits the Multi-Power Law of Luo et al. 2025 (arXiv:2503.12811; `MultiPowerLaw`) to loss curves
/// of ONE model size under any schedules, to predict the curve of another schedule.
///
/// How:
/// - Rows: every logged row at or after `fromStep` of every curve, with the curve's rate of every
///   step (`LossCurve.denseLRs`); the drop term of each row is blocked (`MultiPowerDrops`).
/// - Objective: Huber (the paper's, delta 1e-3) or least squares on log residuals
///   (`MultiPowerObjective`), in theta = [L0, ln A, ln alpha, ln B, ln C, ln beta, ln gamma].
/// - Starts from a 4-parameter pre-fit (`MultiPowerPrefit`): for (C, beta, gamma) on a grid and
///   alpha on a grid, (L0, A, B) are one weighted linear least squares; the best few distinct
///   (C, beta, gamma) seed full 7-parameter local fits (BFGS for Huber, LM for least squares).
/// - Units: inside the fit the rates are rescaled so the fitted curves' peak is 3e-4 (`RateUnits`), the
///   peak of the runs the priors come from, so priors and grid mean the same at any LR scale.
/// - Regularisation: weak Gaussian priors on ln C, ln beta, ln gamma centred on the pre-fit grid's
///   middle (C 2, beta 0.6, gamma 0.6), entered as pseudo-rows of weight strength * delta * sqrt(rows)
///   (`priorWidth`, default `defaultPriorStrength`). The rates of real schedules span about one decade,
///   so C eta^-gamma is nearly one number and the unregularised optimum trades C against gamma and
///   beta against B; measured in docs/curve-laws.md (prior strength 1 beats the converged fit on the
///   paper's split and on a two-curve split).
public struct MultiPowerFit: Sendable {
    public static let parameterNames = MultiPowerLaw.parameterNames
    /// Strength of the priors on ln C, ln beta, ln gamma (docs/curve-laws.md).
    public static let defaultPriorStrength = 1.0

    /// Reported parameters [L0, A, alpha, B, C, beta, gamma].
    public var parameters: [Double]
    /// Fitting coordinates (`MultiPowerLaw.theta(from:)`).
    public var theta: [Double]
    public var objective: Objective
    /// Objective at the optimum (priors included).
    public var objectiveValue: Double
    /// Root-mean-square log residual over the fitted rows (about the relative error).
    public var rmse: Double
    /// Coefficient of determination of the log losses over the fitted rows.
    public var r2: Double
    /// Number of fitted rows.
    public var n: Int
    public var startsTried: Int
    public var startsConverged: Int
    public var converged: Bool
    /// First fitted step of the curves.
    public var fromStep: Int
    /// Bound on the error of the blocked drop term at these parameters over the fitted curves
    /// (`MultiPowerDrops.errorBound`, the largest over the curves), in loss units.
    public var dropErrorBound: Double = .nan

    /// Predicted loss after every step 1...lrs.count of a schedule (`lrs[i]` = rate of the update
    /// counted as step i + 1, the `LossCurve` convention).
    public func predictCurve(lrs: [Double]) -> [Double] {
        MultiPowerLaw.predictCurve(parameters, lrs: lrs)
    }

    /// Predicted loss at a curve's logged steps (nan at step 0).
    public func predict(at curve: LossCurve) -> [Double] {
        let drops = MultiPowerDrops(lrs: curve.denseLRs(totalSteps: curve.lastStep))
        return MultiPowerLaw.predict(parameters, drops: drops, at: curve.steps.map { $0 - 1 })
    }

    /// Options of a fit.
    public struct Options: Sendable {
        public var objective: Objective = .huber(delta: 1e-3)
        /// Rows before this step are not fitted (their LRs still count).
        public var fromStep: Int = 1
        /// Full fits run from the best pre-fit starts.
        public var starts: Int = 4
        public var maxIterations: Int = 400
        /// Strength of the priors on ln C, ln beta, ln gamma (nil: none, the converged fit).
        public var priorWidth: Double? = MultiPowerFit.defaultPriorStrength
        /// Relative strengths of the priors on ln C, ln beta, ln gamma (times `priorWidth`).
        public var priorWeights: [Double] = [1, 1, 1]
        /// Experiment (docs/curve-laws.md: no gain): with q != 0 rows weigh the span of steps they
        /// stand for times t^-q (q = 1: each decade of steps alike), normalised to a mean of 1 per
        /// curve; q = 0 (the default): every fitted row alike.
        public var rowWeightPower = 0.0
        /// Experiment (no gain): each curve weighs the same in total (else each row).
        public var equalCurves = false
        /// Curves with more fitted rows are averaged in bins of consecutive rows down to this many
        /// (a train loss logged every step: the cost of the fit grows with the rows, and a bin's mean
        /// is a less noisy row).
        public var maxRowsPerCurve = 500
        /// The units of the rates inside the fit, which the priors' centres refer to.
        public var rateUnits: RateUnits = .reference
        /// Experiment (docs/curve-laws.md): residuals on the loss itself instead of its log (Huber delta then in
        /// loss units).
        public var absoluteResiduals = false
        /// Experiment (docs/curve-laws.md): with a weight w, the constant-LR curves among the fitted ones are
        /// fitted alone first and their L0, ln A, ln alpha enter the full fit as priors of weight
        /// w * delta * sqrt(rows) (a staged fit: the constant curve fixes the power law, the others the drop term).
        public var constantAnchor: Double? = nil
        public init() {}
    }

    public static func fit(_ curves: [LossCurve], options: Options = Options()) throws -> MultiPowerFit {
        guard !curves.isEmpty else { throw FitError.invalidData("no loss curves to fit") }
        var rows = MultiPowerRows()
        var dropSums: [Double] = []
        let dense = curves.map { $0.denseLRs(totalSteps: $0.lastStep) }
        // The fit runs on rates scaled so the fitted curves' peak is the priors' reference peak
        // (`RateUnits.reference`): priors and pre-fit grid mean the same at any LR scale.
        let peak = dense.compactMap { $0.max() }.max() ?? 0
        guard peak > 0, peak.isFinite else { throw FitError.invalidData("the fitted curves have no positive learning rate") }
        let scale: Scale
        switch options.rateUnits {
        case .reference: scale = Scale(unit: peak / Prior.referencePeak)
        case .peak: scale = Scale(unit: peak)
        case .absolute: scale = Scale(unit: 1)
        }
        let priorC = options.rateUnits == .peak ? Prior.c * Foundation.pow(Prior.referencePeak, 1 - Prior.gamma) : Prior.c
        for (c, curve) in curves.enumerated() {
            guard curve.steps.count == curve.lrs.count, curve.steps.count == curve.losses.count else {
                throw FitError.invalidData("curve \(c + 1): steps, lrs and losses differ in length")
            }
            if let bad = curve.losses.firstIndex(where: { !($0 > 0) }) {
                throw FitError.invalidData("curve \(c + 1): loss must be > 0 for log residuals (row \(bad + 1))")
            }
            let drops = MultiPowerDrops(lrs: dense[c].map { $0 / scale.unit })
            dropSums.append(drops.totalAbsoluteDrop)
            // Rows logged before any rate was applied (zero LR area: the loss at initialisation,
            // where S1^-alpha is infinite) carry no information for the law and are left out.
            let keep = curve.steps.indices.filter {
                curve.steps[$0] >= max(1, options.fromStep) && drops.cumulative[curve.steps[$0] - 1] > 0
            }
            let (steps, losses) = CurveBinning.binned(steps: keep.map { curve.steps[$0] }, losses: keep.map { curve.losses[$0] },
                                              limit: options.maxRowsPerCurve)
            rows.append(drops: drops, steps: steps.map { $0 - 1 }, losses: losses, curve: c)
        }
        guard rows.count >= 8 else { throw FitError.tooFewPoints(have: rows.count, need: 8) }
        rows.rootWeight = rows.weights(power: options.rowWeightPower, equalCurves: options.equalCurves).map { $0.squareRoot() }

        let starts = MultiPowerPrefit.starts(rows, count: options.starts, cCentre: priorC)
        guard !starts.isEmpty else { throw FitError.noConvergence("multipower pre-fit: no grid point gave A > 0 and B > 0") }
        let delta: Double
        switch options.objective {
        case .huber(let d): delta = d
        case .leastSquares: delta = 1
        }
        var priors: [(index: Int, mean: Double, weight: Double)] = []
        if let strength = options.priorWidth {
            let w = strength * delta * Double(rows.count).squareRoot()
            let k = options.priorWeights
            priors = [(4, Foundation.log(priorC), w * k[0]), (5, Foundation.log(Prior.beta), w * k[1]),
                      (6, Foundation.log(Prior.gamma), w * k[2])].filter { $0.2 > 0 }
        }
        if let anchor = options.constantAnchor {
            // Constant after the warmup: every rate from the first peak step on is the peak.
            let constant = curves.indices.filter { c in
                guard let top = dense[c].max(), let first = dense[c].firstIndex(where: { $0 >= top * (1 - 1e-9) }) else { return false }
                return dense[c][first...].allSatisfy { abs($0 - top) <= 1e-9 * top }
            }
            if !constant.isEmpty, constant.count < curves.count {
                var inner = options
                inner.constantAnchor = nil
                let stage = try fit(constant.map { curves[$0] }, options: inner)
                let p = stage.parameters
                let w = anchor * delta * Double(rows.count).squareRoot()
                // In this fit's rate units: A' = A / u^alpha.
                priors += [(0, p[0], w), (1, Foundation.log(p[1]) - p[2] * Foundation.log(scale.unit), w),
                           (2, Foundation.log(p[2]), w)]
            }
        }
        let law = MultiPowerObjective(rows: rows, priors: priors, absoluteResiduals: options.absoluteResiduals)
        let data = law.dataset
        var best: LocalFit?
        var convergedCount = 0
        for start in starts {
            let local = MultiStart.localFit(law, data, objective: options.objective, start: start,
                                            maxIterations: options.maxIterations)
            guard local.converged, local.objective.isFinite else { continue }
            convergedCount += 1
            if local.objective < (best?.objective ?? .infinity) { best = local }
        }
        guard let best else { throw FitError.noConvergence("multipower: no start converged") }
        let residuals = (0..<rows.count).map { law.residual(best.theta, [Double($0)], rows.losses[$0]) }
        let squares = residuals.reduce(0) { $0 + $1 * $1 }
        let rmse = (squares / Double(rows.count)).squareRoot()
        let logs = rows.losses.map { Foundation.log($0) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let total = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        // B' sum|d'| = B sum|d|: the bound is the same in relative and absolute rates.
        let relative = MultiPowerLaw.parameters(from: best.theta)
        let bound = MultiPowerDrops.errorBound(totalAbsoluteDrop: dropSums.max() ?? 0, b: relative[3],
                                               beta: relative[5], gamma: relative[6])
        let p = scale.absolute(relative)
        return MultiPowerFit(parameters: p, theta: MultiPowerLaw.theta(from: p),
                             objective: options.objective, objectiveValue: best.objective, rmse: rmse,
                             r2: total > 0 ? 1 - squares / total : 1, n: rows.count,
                             startsTried: starts.count, startsConverged: convergedCount, converged: true,
                             fromStep: options.fromStep, dropErrorBound: bound)
    }
}
