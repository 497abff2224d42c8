/// Curves computed from stored fits by the caller (the Fit module predicts; Report only draws).
/// Every member is optional data: an empty array means "not computed", and the report says so.
public struct FitCurves: Sendable {
    /// Slices of the fitted Chinchilla surface L(N, D) = E + A/N^alpha + B/D^beta
    /// (Hoffmann et al. 2022, Eq. 2): one curve per token budget over N, or per model size over D.
    public var chinchilla: [SurfaceSlice]
    /// IsoFLOP profiles (Hoffmann et al. 2022, Approach 2): one group per compute budget.
    public var isoflop: [IsoFLOPGroup]
    /// Compute-optimal N and D per compute budget (isoflop minima and/or the fitted allocation).
    public var frontier: [FrontierPoint]
    /// The fitted compute-optimal allocation as a curve over compute (drawn dashed).
    public var frontierFit: [FrontierPoint]
    /// Annealing-law (Tissue et al. 2024) fits: actual vs predicted loss per schedule.
    public var annealing: [AnnealingCurve]
    /// Fits of other loss-curve laws (e.g. the Multi-Power Law), one panel each beside the annealing law's.
    public var curveFits: [CurveFitPanel] = []
    /// Downstream error vs loss (Gadre et al. 2024, Eq. 5: Err(L) = eps - k exp(-gamma L)).
    public var downstream: DownstreamCurve?
    /// A size-law fit's predictions of runs it was not fitted on (`fit --holdout`).
    public var holdout: HoldoutCheck?
    /// A Chinchilla fit of imported points, with the points (drawn by `importedPlots`).
    public var imported: ImportedSurface?
    /// The Chinchilla figure set of the latest fit of runs (loss vs compute, surface, residuals, IsoFLOP slices).
    public var chinchillaFigures: ChinchillaFigures? = nil
    /// Per plot id, a sentence saying which data the plot shows (appended to its caption).
    public var dataNotes: [String: String]

    public init(chinchilla: [SurfaceSlice] = [], isoflop: [IsoFLOPGroup] = [], frontier: [FrontierPoint] = [],
                frontierFit: [FrontierPoint] = [], annealing: [AnnealingCurve] = [], downstream: DownstreamCurve? = nil,
                imported: ImportedSurface? = nil, dataNotes: [String: String] = [:]) {
        self.chinchilla = chinchilla
        self.isoflop = isoflop
        self.frontier = frontier
        self.frontierFit = frontierFit
        self.annealing = annealing
        self.downstream = downstream
        self.imported = imported
        self.dataNotes = dataNotes
    }

    public var isEmpty: Bool {
        chinchilla.isEmpty && isoflop.isEmpty && frontier.isEmpty && frontierFit.isEmpty && annealing.isEmpty
            && curveFits.isEmpty && downstream == nil && imported == nil && holdout == nil && chinchillaFigures == nil
    }

    /// One slice of a fitted loss surface.
    public struct SurfaceSlice: Sendable {
        public enum Over: Sendable, Equatable {
            /// x is the parameter count N; `fixed` is the token budget D.
            case params
            /// x is the token count D; `fixed` is the parameter count N.
            case tokens
        }
        public var over: Over
        public var fixed: Double
        /// (x, predicted loss), x increasing.
        public var points: [PlotPoint]
        /// x beyond this is extrapolation (drawn dashed); nil: all interpolation.
        public var extrapolatesBeyond: Double?

        public init(over: Over, fixed: Double, points: [PlotPoint], extrapolatesBeyond: Double? = nil) {
            self.over = over
            self.fixed = fixed
            self.points = points
            self.extrapolatesBeyond = extrapolatesBeyond
        }
    }

    public struct IsoFLOPGroup: Sendable {
        /// Compute budget C in FLOPs (C = 6 N D).
        public var compute: Double
        /// Measured (N, final loss) for the runs at this budget.
        public var points: [PlotPoint]
        /// The fitted parabola in log N, evaluated at increasing N.
        public var parabola: [PlotPoint]
        /// The parabola's minimum (N_opt, L_min), if fitted.
        public var minimum: PlotPoint?

        public init(compute: Double, points: [PlotPoint], parabola: [PlotPoint] = [], minimum: PlotPoint? = nil) {
            self.compute = compute
            self.points = points
            self.parabola = parabola
            self.minimum = minimum
        }
    }

    public struct FrontierPoint: Sendable {
        public var compute: Double
        public var params: Double
        public var tokens: Double
        public init(compute: Double, params: Double, tokens: Double) {
            self.compute = compute
            self.params = params
            self.tokens = tokens
        }
    }

    public struct AnnealingCurve: Sendable {
        /// Schedule name, e.g. "cosine" or "wsd".
        public var schedule: String
        /// (step, loss) measured.
        public var actual: [PlotPoint]
        /// (step, loss) predicted by the fitted law.
        public var predicted: [PlotPoint]
        /// True when this schedule was not used for fitting (a genuine prediction).
        public var heldOut: Bool

        public init(schedule: String, actual: [PlotPoint], predicted: [PlotPoint], heldOut: Bool) {
            self.schedule = schedule
            self.actual = actual
            self.predicted = predicted
            self.heldOut = heldOut
        }
    }

    /// One curve law's fit against the curves it was fitted on and the ones it predicts.
    public struct CurveFitPanel: Sendable {
        /// Plot id (HTML-safe), e.g. the law's name.
        public var id: String
        /// Plot title, e.g. "Loss vs step: Multi-Power Law fit and prediction".
        public var title: String
        public var curves: [AnnealingCurve]

        public init(id: String, title: String, curves: [AnnealingCurve]) {
            self.id = id
            self.title = title
            self.curves = curves
        }
    }

    public struct DownstreamCurve: Sendable {
        /// (loss, error) measured.
        public var points: [PlotPoint]
        /// (loss, predicted error) from the fit; empty if not fitted.
        public var fitted: [PlotPoint]

        public init(points: [PlotPoint], fitted: [PlotPoint] = []) {
            self.points = points
            self.fitted = fitted
        }
    }

    /// Held-out runs: measured final loss and the loss the fit predicted before seeing them.
    public struct HoldoutCheck: Sendable {
        /// "size" (the largest model left out) or "tokens" (each size's longest budget left out).
        public var kind: String
        public var points: [(label: String, measured: Double, predicted: Double)]

        public init(kind: String, points: [(label: String, measured: Double, predicted: Double)]) {
            self.kind = kind
            self.points = points
        }

        public var maxRelError: Double {
            points.map { abs($0.predicted - $0.measured) / $0.measured }.max() ?? .nan
        }
    }
}
