import Laws

/// Observations for a fit: one input row x_i (the law's `inputNames` columns) and target y_i each.
/// `groups` optionally assigns each observation to a resampling unit (e.g. a run's whole loss
/// curve), so the bootstrap resamples units, not rows.
public struct Dataset: Sendable {
    public var x: [[Double]]
    public var y: [Double]
    public var groups: [Int]?

    public init(x: [[Double]], y: [Double], groups: [Int]? = nil) {
        self.x = x
        self.y = y
        self.groups = groups
    }

    public var count: Int { y.count }

    /// The subset of rows at `indices` (with repetition, for the bootstrap).
    public func subset(_ indices: [Int]) -> Dataset {
        Dataset(x: indices.map { x[$0] }, y: indices.map { y[$0] },
                groups: groups.map { g in indices.map { g[$0] } })
    }
}

public struct FitOptions: Sendable {
    /// nil: the law's default objective.
    public var objective: Objective?
    /// nil: the law's own start grid.
    public var starts: [[Double]]?
    public var maxIterations: Int
    /// Number of bootstrap resamples for intervals (0: none).
    public var bootstrap: Int
    /// Two-sided confidence level of the intervals.
    public var confidence: Double
    public var seed: UInt64
    /// Grid starts each bootstrap refit uses in addition to the full-data optimum: this many
    /// starts taken at an even stride through the start list (see `Fitter.bootstrapStarts`).
    public var bootstrapStarts: Int

    public init(objective: Objective? = nil, starts: [[Double]]? = nil, maxIterations: Int = 500,
                bootstrap: Int = 0, confidence: Double = 0.95, seed: UInt64 = 0, bootstrapStarts: Int = 8) {
        self.objective = objective
        self.starts = starts
        self.maxIterations = maxIterations
        self.bootstrap = bootstrap
        self.confidence = confidence
        self.seed = seed
        self.bootstrapStarts = bootstrapStarts
    }
}

/// The outcome of a fit: parameters (internal and reported), intervals, diagnostics.
public struct FitResult: Sendable {
    public var law: String
    public var objective: Objective
    /// Internal parameters at the optimum (law.thetaNames order).
    public var theta: [Double]
    /// Reported parameters (law.parameterNames order).
    public var parameters: [Double]
    public var parameterNames: [String]
    /// Bootstrap percentile intervals per reported parameter (empty without bootstrap; nil where
    /// the bootstrap could not support one, see `BootstrapSamples.intervals` and `notes`).
    public var intervals: [ClosedRange<Double>?]
    /// Objective value at the optimum (sum of rho(r_i)).
    public var objectiveValue: Double
    /// Root-mean-square error of predictions vs targets, in target units.
    public var rmse: Double
    /// Coefficient of determination of predictions vs targets.
    public var r2: Double
    public var n: Int
    public var converged: Bool
    /// Human-readable solver status ("converged after 37 iterations from start 12 of 4500", ...).
    public var status: String
    /// Number of starts tried and how many converged.
    public var startsTried: Int
    public var startsConverged: Int
    /// Objective evaluations summed over all starts (0 if the solver does not count them).
    public var startEvaluations = 0
    /// How many bootstrap resamples produced a converged fit, of how many drawn.
    public var bootstrapConverged: Int
    public var bootstrapTotal: Int
    /// Caveats a reader of the fit needs (withheld intervals, unidentified parameters, ...).
    public var notes: [String]
    /// Internal parameters (theta) of every converged bootstrap refit, in resample order: what
    /// `Fitter.predictInterval` pushes through the law to get a prediction's interval.
    public var bootstrapThetas: [[Double]]

    public init(law: String, objective: Objective, theta: [Double], parameters: [Double],
                parameterNames: [String], intervals: [ClosedRange<Double>?] = [], objectiveValue: Double,
                rmse: Double, r2: Double, n: Int, converged: Bool, status: String,
                startsTried: Int, startsConverged: Int, bootstrapConverged: Int = 0, bootstrapTotal: Int = 0,
                bootstrapThetas: [[Double]] = [], notes: [String] = []) {
        self.law = law
        self.objective = objective
        self.theta = theta
        self.parameters = parameters
        self.parameterNames = parameterNames
        self.intervals = intervals
        self.objectiveValue = objectiveValue
        self.rmse = rmse
        self.r2 = r2
        self.n = n
        self.converged = converged
        self.status = status
        self.startsTried = startsTried
        self.startsConverged = startsConverged
        self.bootstrapConverged = bootstrapConverged
        self.bootstrapTotal = bootstrapTotal
        self.bootstrapThetas = bootstrapThetas
        self.notes = notes
    }

    public func parameter(_ name: String) -> Double? {
        parameterNames.firstIndex(of: name).map { parameters[$0] }
    }
}

public enum FitError: Error, CustomStringConvertible, Equatable {
    case tooFewPoints(have: Int, need: Int)
    case invalidData(String)
    case noConvergence(String)

    public var description: String {
        switch self {
        case .tooFewPoints(let have, let need):
            return "too few points to fit: \(have) points for \(need) parameters"
        case .invalidData(let s): return s
        case .noConvergence(let s): return "fit did not converge: \(s)"
        }
    }
}
