import Laws

/// Local fits from many starting points, keeping the best converged one. Scaling-law objectives
/// are non-convex (exponents trade off against coefficients), which is why Hoffmann et al. 2022
/// fit from a grid of starts rather than one guess.
enum MultiStart {
    struct Outcome {
        /// Best converged fit (lowest objective; ties go to the lower start index).
        var best: LocalFit?
        var bestIndex: Int
        var converged: Int
        var tried: Int
        /// Objective evaluations over all starts (`LocalFit.evaluations`).
        var evaluations: Int
    }

    /// One local fit with the solver that matches the objective.
    static func localFit<L: ScalingLaw>(_ law: L, _ data: Dataset, objective: Objective,
                                        start: [Double], maxIterations: Int) -> LocalFit {
        switch objective {
        case .leastSquares:
            return LeastSquaresSolver.solve(law, data, start: start, maxIterations: maxIterations)
        case .huber(let delta):
            return HuberSolver.solve(law, data, delta: delta, start: start, maxIterations: maxIterations)
        }
    }

    /// Runs every start (over all cores when `parallel`) and reduces in start order.
    static func run<L: ScalingLaw>(_ law: L, _ data: Dataset, objective: Objective, starts: [[Double]],
                                   maxIterations: Int, parallel: Bool) -> Outcome {
        let fit = { (i: Int) in
            localFit(law, data, objective: objective, start: starts[i], maxIterations: maxIterations)
        }
        let fits = parallel ? parallelMap(starts.count, fit) : (0..<starts.count).map(fit)
        return best(of: fits)
    }

    static func best(of fits: [LocalFit]) -> Outcome {
        var outcome = Outcome(best: nil, bestIndex: -1, converged: 0, tried: fits.count,
                              evaluations: fits.reduce(0) { $0 + $1.evaluations })
        for (i, f) in fits.enumerated() where f.converged && f.objective.isFinite {
            outcome.converged += 1
            if outcome.best == nil || f.objective < outcome.best!.objective {
                outcome.best = f
                outcome.bestIndex = i
            }
        }
        return outcome
    }
}
