/// What the Chinchilla figure set draws beyond the surface slices, computed by the caller from one
/// stored fit of L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Eq. 2): every finished run
/// with the fit's prediction for it (loss vs compute, residuals), the compute-optimal frontier
/// (Eq. 4), iso-loss contours of the surface in the (N, D) plane and, for runs trained at IsoFLOP
/// budgets, the surface along each budget (Approach 3 read the way Approach 2 measures).
public struct ChinchillaFigures: Sendable {
    /// One finished run: where it sits and what the fit predicts there.
    public struct RunPoint: Sendable, Equatable {
        public var label: String
        /// N as the fit counts it.
        public var params: Double
        /// Tokens trained.
        public var tokens: Double
        /// The `[budgets] flops` level the run was planned at, if any.
        public var computeLevel: Double?
        public var measured: Double
        public var predicted: Double

        public init(label: String, params: Double, tokens: Double, computeLevel: Double? = nil, measured: Double,
                    predicted: Double) {
            self.label = label
            self.params = params
            self.tokens = tokens
            self.computeLevel = computeLevel
            self.measured = measured
            self.predicted = predicted
        }

        /// C = 6 N D.
        public var compute: Double { 6 * params * tokens }
        /// measured / predicted - 1.
        public var relativeResidual: Double { measured / predicted - 1 }
    }

    /// The (N, D) pairs where the fitted surface equals `loss`.
    public struct Contour: Sendable {
        public var loss: Double
        public var points: [PlotPoint]
        public init(loss: Double, points: [PlotPoint]) {
            self.loss = loss
            self.points = points
        }
    }

    /// The surface along one compute budget: (N, predicted loss) with D following the budget's
    /// runs, and the lowest point of that curve.
    public struct IsoFLOPSlice: Sendable {
        public var compute: Double
        public var points: [PlotPoint]
        public var minimum: PlotPoint?
        public init(compute: Double, points: [PlotPoint], minimum: PlotPoint?) {
            self.compute = compute
            self.points = points
            self.minimum = minimum
        }
    }

    /// Which fit the figures show, e.g. "fit 3".
    public var fit: String
    public var runs: [RunPoint]
    /// (C, loss at the compute-optimal N and D): the lowest loss the surface allows at each compute.
    public var frontier: [PlotPoint]
    /// (N_opt, D_opt) along the frontier: the compute-optimal path through the (N, D) plane.
    public var optimalPath: [PlotPoint]
    public var contours: [Contour]
    public var isoflop: [IsoFLOPSlice]

    public init(fit: String, runs: [RunPoint], frontier: [PlotPoint] = [], optimalPath: [PlotPoint] = [],
                contours: [Contour] = [], isoflop: [IsoFLOPSlice] = []) {
        self.fit = fit
        self.runs = runs
        self.frontier = frontier
        self.optimalPath = optimalPath
        self.contours = contours
        self.isoflop = isoflop
    }

    /// The largest compute a run was trained at: the frontier beyond it is extrapolation.
    public var largestCompute: Double? { runs.map(\.compute).max() }
}
