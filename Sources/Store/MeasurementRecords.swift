/// One logged optimizer step. `lr` is the rate actually used (the annealing law needs it).
public struct StepRecord: Sendable, Equatable {
    public var runID: Int64
    public var step: Int
    public var tokens: Int
    public var lr: Double
    public var trainLoss: Double?
    public var gradNorm: Double?
    public var wallSeconds: Double

    public init(runID: Int64, step: Int, tokens: Int, lr: Double, trainLoss: Double?, gradNorm: Double?,
                wallSeconds: Double) {
        self.runID = runID
        self.step = step
        self.tokens = tokens
        self.lr = lr
        self.trainLoss = trainLoss
        self.gradNorm = gradNorm
        self.wallSeconds = wallSeconds
    }
}

/// One evaluation on the fixed held-out set: validation loss and downstream top-1 error.
public struct EvalRecord: Sendable, Equatable {
    public var runID: Int64
    public var step: Int
    public var tokens: Int
    public var valLoss: Double?
    public var downstreamError: Double?
    /// Per-task errors as a JSON object, e.g. {"next-word-4": 0.41}.
    public var downstream: String?

    public init(runID: Int64, step: Int, tokens: Int, valLoss: Double?, downstreamError: Double?,
                downstream: String? = nil) {
        self.runID = runID
        self.step = step
        self.tokens = tokens
        self.valLoss = valLoss
        self.downstreamError = downstreamError
        self.downstream = downstream
    }
}

/// An external observation: an (N, D, loss) point, e.g. one of Chinchilla's 245 points, or a
/// (loss, downstream error) pair with no N and D (all the downstream law needs).
public struct PointRecord: Sendable, Equatable {
    public var id: Int64?
    public var source: String
    /// Parameters and tokens: both known, or both nil for a (loss, downstream error) pair.
    public var n: Double?
    public var d: Double?
    public var loss: Double
    public var compute: Double?
    public var downstreamError: Double?

    public init(source: String, n: Double?, d: Double?, loss: Double, compute: Double? = nil,
                downstreamError: Double? = nil) {
        self.source = source
        self.n = n
        self.d = d
        self.loss = loss
        self.compute = compute
        self.downstreamError = downstreamError
    }
}

/// A stored fit: enough to print it, predict from it and reproduce it.
public struct FitRecord: Sendable, Equatable {
    public var id: Int64?
    public var law: String
    /// JSON object {name: value} of reported parameters (plus internal ones under "_theta").
    public var params: String
    /// JSON object {name: [lo, hi]}.
    public var intervals: String
    /// JSON object describing the data: source, where, sweep, runs, n.
    public var selection: String
    public var objective: String
    public var objectiveValue: Double?
    public var rmse: Double?
    public var r2: Double?
    public var nPoints: Int
    public var converged: Bool
    public var status: String
    /// JSON object of fit options (starts, bootstrap, seed, law options).
    public var options: String
    public var createdAt: String = ""

    public init(law: String, params: String, intervals: String, selection: String, objective: String,
                objectiveValue: Double?, rmse: Double?, r2: Double?, nPoints: Int, converged: Bool,
                status: String, options: String) {
        self.law = law
        self.params = params
        self.intervals = intervals
        self.selection = selection
        self.objective = objective
        self.objectiveValue = objectiveValue
        self.rmse = rmse
        self.r2 = r2
        self.nPoints = nPoints
        self.converged = converged
        self.status = status
        self.options = options
    }
}
