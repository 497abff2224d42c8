/// A fitted Chinchilla surface over imported points (`scalefit import`, then `fit --source`):
/// the points the fit counted, their predictions, and the points grouped into bins of D (for
/// loss vs N) and of N (for loss vs D) with one surface slice per bin. Imported data rarely sits
/// on a grid (Chinchilla's 245 points have 200-odd distinct D), so bins replace the per-budget
/// groups the plots of runs use. Computed by the caller (the Fit module predicts; Report draws).
public struct ImportedSurface: Sendable {
    public struct Point: Sendable {
        public var n: Double
        public var d: Double
        public var loss: Double
        /// The fitted law's loss at (n, d).
        public var predicted: Double
        public init(n: Double, d: Double, loss: Double, predicted: Double) {
            self.n = n
            self.d = d
            self.loss = loss
            self.predicted = predicted
        }
    }

    /// Points whose held-fixed quantity falls in `range`, and the surface at `fixed` (the bin's
    /// geometric mean) over the other axis.
    public struct Bin: Sendable {
        public var range: ClosedRange<Double>
        public var fixed: Double
        /// Indices into `points`.
        public var members: [Int]
        public var slice: FitCurves.SurfaceSlice
        public init(range: ClosedRange<Double>, fixed: Double, members: [Int], slice: FitCurves.SurfaceSlice) {
            self.range = range
            self.fixed = fixed
            self.members = members
            self.slice = slice
        }
    }

    /// What the points are, for captions: e.g. "source 'chinchilla' where loss < 3.44".
    public var data: String
    /// The fit drawn, e.g. "fit 3".
    public var fit: String
    public var points: [Point]
    /// Bins of D: x is N.
    public var byTokens: [Bin]
    /// Bins of N: x is D.
    public var byParams: [Bin]

    public init(data: String, fit: String, points: [Point], byTokens: [Bin], byParams: [Bin]) {
        self.data = data
        self.fit = fit
        self.points = points
        self.byTokens = byTokens
        self.byParams = byParams
    }
}
