/// Bootstrap replicates of loss curves for any law fitted to whole curves (the annealing law, the
/// Multi-Power Law, ...): each replicate keeps every curve and its schedule and replaces the fitted
/// rows' losses by the fitted curve plus a moving-block resample of that curve's own residuals
/// (Kuensch 1989; Lahiri 2003, Ch. 2).
///
/// Why not resample whole curves: a fit usually has two or three curves, so half of the replicates
/// of a two-curve fit are one curve twice, on which the annealing term is not identified (a constant
/// LR has S2 = 0) and the intervals collapse onto a bound. Why blocks: the rows of one curve are
/// correlated (a run's train loss averaged over windows, one weight trajectory), so resampling rows
/// one by one would understate the spread; blocks of about sqrt(n) consecutive residuals keep that
/// correlation within a block.
///
/// The law is not needed here: callers pass the fitted loss at every row (`fitted[c][i]` for row i
/// of curve c) and which rows were fitted (rows before them keep their losses: they only feed the
/// areas).
public struct CurveResampling: Sendable {
    public var curves: [LossCurve]
    public var fitted: [[Double]]
    /// Per curve, the row indices the fit used (residuals come from these only).
    public var fittedRows: [[Int]]

    public init(curves: [LossCurve], fitted: [[Double]], fromStep: Int) {
        self.curves = curves
        self.fitted = fitted
        // Rows where the law gives no finite value (e.g. a row logged before any rate was applied,
        // S1 = 0) are not fitted, so they have no residual and keep their losses.
        fittedRows = curves.indices.map { c in
            curves[c].steps.indices.filter {
                curves[c].steps[$0] >= max(1, fromStep) && fitted[c][$0].isFinite && curves[c].losses[$0].isFinite
            }
        }
    }

    /// Residuals (loss - fitted) of curve c's fitted rows, centred to mean 0 (a resample must not
    /// move the whole curve by the residuals' mean, which the fit already absorbed).
    func residuals(_ c: Int) -> [Double] {
        let r = fittedRows[c].map { curves[c].losses[$0] - fitted[c][$0] }
        guard !r.isEmpty else { return [] }
        let mean = r.reduce(0, +) / Double(r.count)
        return r.map { $0 - mean }
    }

    /// Block length for n residuals: about sqrt(n), at least 1.
    static func blockLength(_ n: Int) -> Int { max(1, Int(Double(n).squareRoot().rounded())) }

    /// One replicate: every curve with its fitted rows' losses replaced.
    public func replicate(using rng: inout ResampleRNG) -> [LossCurve] {
        curves.indices.map { c in
            var curve = curves[c]
            let res = residuals(c)
            let rows = fittedRows[c]
            guard !res.isEmpty, rows.count == res.count else { return curve }
            let n = res.count, block = Self.blockLength(n)
            var drawn: [Double] = []
            drawn.reserveCapacity(n + block)
            while drawn.count < n {
                let start = rng.index(below: n - block + 1)
                drawn += res[start..<(start + block)]
            }
            for (k, row) in rows.enumerated() { curve.losses[row] = fitted[c][row] + drawn[k] }
            return curve
        }
    }
}
