/// One training run (or imported row) as IsoFLOP analysis sees it.
public struct IsoFLOPPoint: Sendable, Equatable {
    /// Parameters (the count the fit uses as N).
    public var N: Double
    /// Training tokens.
    public var D: Double
    public var loss: Double
    /// The compute budget this point was trained at (a sweep's `flops` level, an imported row's
    /// `compute`), or nil when unknown. Points are grouped by it exactly as recorded: recomputing
    /// C = 6ND would split a level whenever the N counted here (e.g. total parameters) is not the N
    /// the budget was split with (a sweep sets D = C / (6 N_nonembedding)).
    public var level: Double?

    public init(N: Double, D: Double, loss: Double, level: Double? = nil) {
        self.N = N
        self.D = D
        self.loss = loss
        self.level = level
    }

    /// Training compute, C = 6 N D (only used to group points that carry no level).
    public var compute: Double { 6 * N * D }
}
