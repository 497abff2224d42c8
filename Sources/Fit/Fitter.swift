import Laws

/// Fits any `ScalingLaw` to a `Dataset`: validation, multi-start local fits with the solver the
/// objective calls for, fit diagnostics, and bootstrap percentile intervals.
///
/// Deterministic: starts run in parallel but are reduced in start order; bootstrap resamples are
/// drawn up front from `options.seed`.
public enum Fitter {
    public static func fit<L: ScalingLaw>(_ law: L, _ data: Dataset, options: FitOptions = .init()) throws -> FitResult {
        try validate(law, data)
        let objective = options.objective ?? law.defaultObjective
        let starts = options.starts ?? law.startGrid()
        guard !starts.isEmpty else { throw FitError.invalidData("no starting points for \(law.name)") }
        if let bad = starts.first(where: { $0.count != law.thetaNames.count }) {
            throw FitError.invalidData(
                "a starting point has \(bad.count) values, \(law.name) has \(law.thetaNames.count) parameters")
        }

        let outcome = MultiStart.run(law, data, objective: objective, starts: starts,
                                     maxIterations: options.maxIterations, parallel: true)
        guard let best = outcome.best else {
            throw FitError.noConvergence("none of \(starts.count) starts converged (\(law.name), \(objective.label))")
        }

        let (rmse, r2) = diagnostics(law, best.theta, data)
        var result = FitResult(
            law: law.name, objective: objective, theta: best.theta, parameters: law.reported(best.theta),
            parameterNames: law.parameterNames, objectiveValue: best.objective, rmse: rmse, r2: r2,
            n: data.count, converged: true,
            status: "converged after \(best.iterations) iterations from start \(outcome.bestIndex + 1) of \(starts.count)",
            startsTried: outcome.tried, startsConverged: outcome.converged)
        result.startEvaluations = outcome.evaluations

        if options.bootstrap > 0 {
            let boot = bootstrap(law, data, objective: objective, best: best.theta,
                                 gridStarts: bootstrapStarts(starts, count: options.bootstrapStarts), options: options)
            result.bootstrapThetas = boot.samples
            result.bootstrapConverged = boot.converged
            result.bootstrapTotal = boot.total
            let reported = BootstrapSamples(samples: boot.samples.map(law.reported), total: boot.total)
            let (ivs, notes) = reported.intervals(estimates: result.parameters, names: law.parameterNames,
                                                  confidence: options.confidence)
            result.intervals = ivs
            result.notes += notes
            result.status += "; \(boot.status)"
        }
        return result
    }

    /// The grid starts each bootstrap refit adds to the full-data optimum: `count` starts at an
    /// even stride through the start list (the first, then every (starts.count / count)-th).
    /// The optimum alone usually suffices because a resample's optimum sits near it; the spread
    /// of grid starts guards against a resample whose optimum has moved to another basin.
    public static func bootstrapStarts(_ starts: [[Double]], count: Int) -> [[Double]] {
        guard count > 0, !starts.isEmpty else { return [] }
        let k = min(count, starts.count)
        return (0..<k).map { starts[$0 * starts.count / k] }
    }

    /// One-line errors for data a fit cannot use.
    static func validate<L: ScalingLaw>(_ law: L, _ data: Dataset) throws {
        let need = law.thetaNames.count
        guard data.x.count == data.y.count else {
            throw FitError.invalidData("\(data.x.count) input rows but \(data.y.count) targets")
        }
        if let g = data.groups, g.count != data.count {
            throw FitError.invalidData("\(g.count) group labels for \(data.count) points")
        }
        for (i, row) in data.x.enumerated() {
            guard row.count == law.inputNames.count else {
                throw FitError.invalidData("row \(i + 1) has \(row.count) inputs, \(law.name) needs "
                    + "\(law.inputNames.count) (\(law.inputNames.joined(separator: ", ")))")
            }
            if let k = row.firstIndex(where: { !$0.isFinite }) {
                throw FitError.invalidData("row \(i + 1): \(law.inputNames[k]) is not finite (\(row[k]))")
            }
            guard data.y[i].isFinite else {
                throw FitError.invalidData("row \(i + 1): target is not finite (\(data.y[i]))")
            }
        }
        guard data.count >= need else { throw FitError.tooFewPoints(have: data.count, need: need) }
    }

    /// RMSE and R^2 of the law's predictions against the targets, in target units.
    static func diagnostics<L: ScalingLaw>(_ law: L, _ theta: [Double], _ data: Dataset) -> (rmse: Double, r2: Double) {
        let n = Double(data.count)
        let mean = data.y.reduce(0, +) / n
        var ssRes = 0.0, ssTot = 0.0
        for i in 0..<data.count {
            let e = law.predict(theta, data.x[i]) - data.y[i]
            ssRes += e * e
            ssTot += (data.y[i] - mean) * (data.y[i] - mean)
        }
        return ((ssRes / n).squareRoot(), ssTot > 0 ? 1 - ssRes / ssTot : .nan)
    }

    /// Converged refits (thetas) on bootstrap resamples, in resample order: rows drawn with
    /// replacement, or whole clusters when `data.groups` is set (see `Resampling`). Each refit
    /// starts from the full-data optimum and from `gridStarts`, and keeps its best converged local fit.
    static func bootstrap<L: ScalingLaw>(_ law: L, _ data: Dataset, objective: Objective, best: [Double],
                                         gridStarts: [[Double]], options: FitOptions) -> BootstrapSamples {
        let units = data.groups.map(Resampling.rowsByGroup)
        let starts = [best] + gridStarts
        return Bootstrap.run(resamples: options.bootstrap, seed: options.seed, plan: { rng in
            units.map { Resampling.clusters($0, using: &rng) } ?? Resampling.rows(data.count, using: &rng)
        }) { rows in
            MultiStart.run(law, data.subset(rows), objective: objective, starts: starts,
                           maxIterations: options.maxIterations, parallel: false).best?.theta
        }
    }
}
