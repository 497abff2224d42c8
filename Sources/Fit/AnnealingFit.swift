@preconcurrency import CNumerics
import Foundation
import Laws

/// Fits the annealing law of Tissue et al. 2024 ("Scaling Law with Learning Rate Annealing",
/// Eq. (1): L(s) = L0 + A S1^-alpha - C S2) to one or more loss curves of ONE model size, with
/// the momentum decay lambda of the annealing area either fixed or fitted.
///
/// How:
/// - Every logged row with step >= 1 of every curve is one observation (x = [S1(s), S2(s)],
///   y = loss), areas computed from the curve's LRs interpolated to every step
///   (`LossCurve.denseLRs`). Longer curves are averaged in bins of consecutive rows down to
///   `maxPointsPerCurve` rows (`CurveBinning`: a noisy train loss logged every step keeps all its information).
/// - For a given lambda the law is linear in L0, A, C once alpha is fixed, so starts come from
///   variable projection: for each alpha on a grid, solve the linear least squares for
///   (L0, A, C) (GSL SVD); the best few alphas seed a local fit (`HuberSolver` BFGS or `LeastSquaresSolver` LM) on all four
///   parameters: Huber (default, delta 1e-3) or least squares on log loss; the best converged run wins.
/// - lambda enters only through S2, non-linearly and recursively, so it is fitted by a 1-D
///   search on the profile objective min_theta chi2(theta; lambda): a grid over
///   u = log(1 - lambda) within the given range, then golden-section refinement of u in the
///   bracket around the best grid point. Searching log(1 - lambda) spreads the effective
///   memory 1 / (1 - lambda) (in steps) evenly over decades.
public struct AnnealingFit: Sendable {
    /// How lambda is chosen.
    public enum Lambda: Sendable, Equatable {
        /// Use this value (the paper's default is 0.999).
        case fixed(Double)
        /// Fit it within this range (e.g. 0.99...0.9999).
        case fitted(ClosedRange<Double>)
        /// The best of these values (a plain grid, as scripts fit the law; docs/curve-laws.md).
        case grid([Double])
    }

    /// The lambda range searched by default: memories 1 / (1 - lambda) of 100 to 10,000 steps. On the
    /// Multi-Power Law paper's curves the fitted lambda is 0.9984-0.9986 (docs/curve-laws.md), inside.
    public static let defaultLambdaRange: ClosedRange<Double> = 0.99...0.9999

    /// Reported parameter names: the law's four, then lambda.
    public static let parameterNames = ["L0", "A", "alpha", "C", "lambda"]

    /// Law parameters [L0, A, alpha, C].
    public var theta: [Double]
    public var lambda: Double
    public var warmupAsPeak: Int?
    /// Whether a warmup's rise entered S2 as negative drops (`AnnealingAreas.compute`).
    public var warmupRiseInS2 = true
    /// What was minimised over the log residuals of the fitted rows.
    public var fitObjective: Objective = .huber(delta: 1e-3)
    /// The objective's value (sum of Huber losses or of squared log residuals).
    public var objective: Double
    /// Root-mean-square log residual (about the relative error).
    public var rmse: Double
    /// Coefficient of determination over the fitted rows.
    public var r2: Double
    /// Number of fitted rows.
    public var n: Int
    public var converged: Bool
    /// Number of inner (fixed-lambda) fits run, and how many of them converged.
    public var lambdaEvaluations: Int
    public var lambdaEvaluationsConverged: Int
    /// How much of the annealing area S2 the power-law part of the law already explains on the fitted
    /// rows: R^2 of S2 regressed on the columns of the Jacobian for L0, A and alpha (1, S1^-alpha,
    /// S1^-alpha ln S1) (Tissue et al. 2024, Eq. 1). Near 1 the fitted curves cannot tell the power-law
    /// decay from the annealing bonus (e.g. cosine + linear: both decay from the start), A and C trade
    /// off, and predictions for schedules unlike the fitted ones are unreliable.
    public var annealingTermExplained: Double = .nan

    /// [L0, A, alpha, C, lambda], in `parameterNames` order.
    public var parameters: [Double] { theta + [lambda] }

    /// The fit in the shared result type (e.g. for the `fits` table); no bootstrap intervals.
    public var fitResult: FitResult {
        FitResult(law: law.name, objective: fitObjective, theta: theta, parameters: parameters,
                  parameterNames: Self.parameterNames, objectiveValue: objective, rmse: rmse, r2: r2, n: n,
                  converged: converged,
                  status: "converged at lambda = \(lambda) after \(lambdaEvaluations) fixed-lambda fits",
                  startsTried: lambdaEvaluations, startsConverged: lambdaEvaluationsConverged)
    }

    /// The law with this fit's lambda and warmup handling.
    public var law: AnnealingLaw {
        AnnealingLaw(lambda: lambda, warmupAsPeak: warmupAsPeak, logResiduals: true, warmupRiseInS2: warmupRiseInS2)
    }

    /// Predicted loss after each update 1...lrs.count of any schedule (`lrs[i]` = rate of
    /// update i+1, e.g. `LRSchedule.rates()` or `LRTrace.dense()`).
    public func predictCurve(lrs: [Double]) -> [Double] {
        law.predictCurve(theta, lrs: lrs)
    }

    /// Predicted loss at a curve's logged steps (nan at step 0, where S1 = 0).
    public func predict(at curve: LossCurve) -> [Double] {
        let full = predictCurve(lrs: curve.denseLRs(totalSteps: curve.lastStep))
        return curve.steps.map { $0 >= 1 ? full[$0 - 1] : .nan }
    }

    /// Fits the law to `curves` (all of one model size).
    public static func fit(_ curves: [LossCurve], lambda: Lambda = .fixed(AnnealingAreas.defaultLambda),
                           warmupAsPeak: Int? = nil, maxPointsPerCurve: Int = 500,
                           maxIterations: Int = 500, fromStep: Int = 1,
                           objective: Objective = .huber(delta: 1e-3), warmupRiseInS2: Bool = true,
                           startsPerLambda: Int = 3) throws -> AnnealingFit {
        let problem = try AnnealingProblem(curves, warmupAsPeak: warmupAsPeak, maxPointsPerCurve: maxPointsPerCurve,
                                           fromStep: fromStep, warmupRiseInS2: warmupRiseInS2)
        var evaluations = 0, convergedEvaluations = 0
        func inner(_ lam: Double) -> LocalFit? {
            evaluations += 1
            let local = problem.fit(lambda: lam, maxIterations: maxIterations, objective: objective, starts: startsPerLambda)
            if local != nil { convergedEvaluations += 1 }
            return local
        }
        let chosen: Double
        let best: LocalFit?
        switch lambda {
        case .fixed(let lam):
            guard lam > 0, lam < 1 else { throw FitError.invalidData("lambda must be in (0, 1) (got \(lam))") }
            chosen = lam
            best = inner(lam)
        case .fitted(let range):
            guard range.lowerBound > 0, range.upperBound < 1 else {
                throw FitError.invalidData("lambda range must lie in (0, 1) (got \(range))")
            }
            var cache: [Double: LocalFit?] = [:]
            func profile(_ u: Double) -> Double {
                let lam = 1 - Foundation.exp(u)
                if cache[lam] == nil { cache[lam] = .some(inner(lam)) }
                return (cache[lam]!)?.objective ?? .infinity
            }
            let u = LambdaSearch.minimize(profile, lower: Foundation.log(1 - range.upperBound),
                                          upper: Foundation.log(1 - range.lowerBound))
            chosen = 1 - Foundation.exp(u)
            _ = profile(u)
            best = cache[chosen] ?? nil
        case .grid(let values):
            guard !values.isEmpty, values.allSatisfy({ $0 > 0 && $0 < 1 }) else {
                throw FitError.invalidData("lambda grid values must lie in (0, 1) (got \(values))")
            }
            let fits = values.map { inner($0) }
            let i = fits.indices.min { (fits[$0]?.objective ?? .infinity) < (fits[$1]?.objective ?? .infinity) }!
            chosen = values[i]
            best = fits[i]
        }
        guard let best, best.converged else {
            throw FitError.noConvergence("annealing law at lambda = \(chosen): no start converged")
        }
        let logs = problem.losses.map { Foundation.log($0) }
        let mean = logs.reduce(0, +) / Double(problem.rows)
        let total = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let bestLaw = AnnealingLaw(lambda: chosen, warmupAsPeak: warmupAsPeak, logResiduals: true, warmupRiseInS2: warmupRiseInS2)
        let chosenData = problem.dataset(lambda: chosen)
        let squares = chosenData.x.indices.reduce(0.0) {
            let r = bestLaw.residual(best.theta, chosenData.x[$1], chosenData.y[$1])
            return $0 + r * r
        }
        var fit = AnnealingFit(theta: best.theta, lambda: chosen, warmupAsPeak: warmupAsPeak, fitObjective: objective,
                               objective: best.objective, rmse: (squares / Double(problem.rows)).squareRoot(),
                               r2: total > 0 ? 1 - squares / total : .nan,  // a flat target: R^2 undefined, never "1"
                               n: problem.rows, converged: true, lambdaEvaluations: evaluations,
                               lambdaEvaluationsConverged: convergedEvaluations)
        fit.warmupRiseInS2 = warmupRiseInS2
        let x = problem.dataset(lambda: chosen).x
        let alpha = best.theta[2]
        let power = x.map { Foundation.pow($0[0], -alpha) }
        fit.annealingTermExplained = explained(x.map { $0[1] },
                                               by: power, zip(power, x).map { $0 * Foundation.log($1[0]) })
        return fit
    }

    /// R^2 of the least-squares regression of `y` on an intercept, `u` and `v` (nan when y is constant).
    static func explained(_ y: [Double], by u: [Double], _ v: [Double]) -> Double {
        let n = Double(y.count)
        let my = y.reduce(0, +) / n, mu = u.reduce(0, +) / n, mv = v.reduce(0, +) / n
        var suu = 0.0, svv = 0.0, suv = 0.0, suy = 0.0, svy = 0.0, syy = 0.0
        for i in y.indices {
            let (a, b, c) = (u[i] - mu, v[i] - mv, y[i] - my)
            suu += a * a; svv += b * b; suv += a * b; suy += a * c; svy += b * c; syy += c * c
        }
        guard syy > 0 else { return .nan }
        let det = suu * svv - suv * suv
        guard det > 1e-300 * max(suu * svv, 1e-300) else {
            // u and v collinear: regress on u alone.
            return suu > 0 ? suy * suy / (suu * syy) : 0
        }
        let bu = (svv * suy - suv * svy) / det, bv = (suu * svy - suv * suy) / det
        return min(1, max(0, (bu * suy + bv * svy) / syy))
    }
}

/// The observations of an annealing fit: per curve, its dense LRs (to rebuild S2 for any lambda),
/// the fitted row steps, and the losses.
private struct AnnealingProblem {
    var dense: [[Double]]
    var fitSteps: [[Int]]
    var losses: [Double]
    var s1: [Double]
    var warmupAsPeak: Int?
    var warmupRiseInS2 = true
    var rows: Int { losses.count }

    /// - Parameter fromStep: rows before this step are not fitted (their LRs still count in the areas):
    ///   the law describes training after its first transient, which early rows would dominate.
    init(_ curves: [LossCurve], warmupAsPeak: Int?, maxPointsPerCurve: Int, fromStep: Int = 1, warmupRiseInS2: Bool = true) throws {
        guard !curves.isEmpty else { throw FitError.invalidData("no loss curves to fit") }
        dense = []
        fitSteps = []
        losses = []
        s1 = []
        self.warmupAsPeak = warmupAsPeak
        self.warmupRiseInS2 = warmupRiseInS2
        for (c, curve) in curves.enumerated() {
            guard curve.steps.count == curve.lrs.count, curve.steps.count == curve.losses.count else {
                throw FitError.invalidData("curve \(c + 1): steps, lrs and losses differ in length")
            }
            let lrs = curve.denseLRs(totalSteps: curve.lastStep)
            let areas = AnnealingAreas.compute(lrs: lrs, lambda: AnnealingAreas.defaultLambda, warmupAsPeak: warmupAsPeak)
            // A row logged before any rate was applied (S1 = 0, e.g. the first row of a file whose
            // rates ramp from 0) is the loss at initialisation: S1^-alpha is infinite there, so the
            // law says nothing about it. Such rows are left out, not an error.
            let rows = curve.steps.indices.filter {
                curve.steps[$0] >= max(1, fromStep) && areas.s1[curve.steps[$0] - 1] > 0
            }
            let (steps, rowLosses) = CurveBinning.binned(steps: rows.map { curve.steps[$0] }, losses: rows.map { curve.losses[$0] },
                                                         limit: max(maxPointsPerCurve, 1))
            dense.append(lrs)
            fitSteps.append(steps)
            losses += rowLosses
            s1 += steps.map { areas.s1[$0 - 1] }
        }
        if let zero = s1.firstIndex(where: { !($0 > 0) }) {
            throw FitError.invalidData("forward area S1 is zero at fitted row \(zero + 1): learning rates must be > 0")
        }
        guard rows >= 4 else { throw FitError.tooFewPoints(have: rows, need: 4) }
    }

    func dataset(lambda: Double) -> Dataset {
        var x: [[Double]] = []
        x.reserveCapacity(rows)
        var groups: [Int] = []
        var k = 0
        for (c, lrs) in dense.enumerated() {
            let s2 = AnnealingAreas.compute(lrs: lrs, lambda: lambda, warmupAsPeak: warmupAsPeak, warmupRiseInS2: warmupRiseInS2).s2
            for step in fitSteps[c] {
                x.append([s1[k], s2[step - 1]])
                groups.append(c)
                k += 1
            }
        }
        return Dataset(x: x, y: losses, groups: groups)
    }

    /// Best converged fit at this lambda on log residuals, from variable-projection starts.
    func fit(lambda: Double, maxIterations: Int, objective: Objective, starts: Int = 3) -> LocalFit? {
        let data = dataset(lambda: lambda)
        let law = AnnealingLaw(lambda: lambda, warmupAsPeak: warmupAsPeak, logResiduals: true, warmupRiseInS2: warmupRiseInS2)
        var best: LocalFit?
        for start in LinearProjection.starts(data, count: max(starts, 1)) {
            let local = MultiStart.localFit(law, data, objective: objective, start: start, maxIterations: maxIterations)
            if local.converged, local.objective < (best?.objective ?? .infinity) { best = local }
        }
        return best
    }
}
