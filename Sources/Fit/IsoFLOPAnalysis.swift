import Foundation

/// One training run as IsoFLOP analysis sees it.
public struct IsoFLOPPoint: Sendable, Equatable {
    /// Parameters.
    public var N: Double
    /// Training tokens.
    public var D: Double
    public var loss: Double

    public init(N: Double, D: Double, loss: Double) {
        self.N = N
        self.D = D
        self.loss = loss
    }

    /// Training compute, C = 6 N D.
    public var compute: Double { 6 * N * D }
}

/// Hoffmann et al. 2022, Approach 2 ("IsoFLOP profiles", Section 3.2, Figure 3): for each fixed
/// compute budget, fit a parabola to final loss against log N and take its minimum as the
/// compute-optimal model size N_opt(C); then fit power laws N_opt = kN C^a and D_opt = kD C^b
/// (D_opt = C / (6 N_opt)) by linear least squares in log-log space.
///
/// Why it complements Approach 3: it assumes no functional form for L(N, D), only that each
/// iso-compute profile is locally parabolic in log N near its minimum, so its exponents check the
/// parametric fit's implied a = beta/(alpha+beta) (see `ComputeOptimal`).
///
/// Grouping into compute budgets: with explicit `computeLevels`, each point joins the level
/// nearest in log C if C is within a factor (1 + tolerance) of it (otherwise it is left out);
/// without levels, points are sorted by C and a new group starts whenever C exceeds
/// (1 + tolerance) times the smallest C of the current group. A group needs at least 3 distinct
/// model sizes and a parabola that opens upward, or it is skipped (and reported).
///
/// Reported parameters (`IsoFLOPResult.parameterNames`): `a` and `b`, the exponents of N_opt and
/// D_opt in C, and `kN`, `kD`, their prefactors (C in FLOPs, N in parameters, D in tokens).
/// Since D_opt = C / (6 N_opt) exactly, a + b = 1 and kN kD = 1/6 up to rounding.
public struct IsoFLOPAnalysis: Sendable {
    public var points: [IsoFLOPPoint]
    /// Explicit compute budgets (FLOPs), or nil to group by `tolerance` alone.
    public var computeLevels: [Double]?
    /// Relative tolerance in C for grouping (0.1: within 10%).
    public var tolerance: Double

    public init(points: [IsoFLOPPoint], computeLevels: [Double]? = nil, tolerance: Double = 0.1) {
        self.points = points
        self.computeLevels = computeLevels
        self.tolerance = tolerance
    }

    /// From a `Dataset` with inputs [N, D] and target loss (the CLI's shape for every law).
    public init(_ data: Dataset, computeLevels: [Double]? = nil, tolerance: Double = 0.1) {
        self.init(points: zip(data.x, data.y).map { IsoFLOPPoint(N: $0[0], D: $0[1], loss: $1) },
                  computeLevels: computeLevels, tolerance: tolerance)
    }

    /// Indices of `points` per compute group (with each group's nominal compute), in increasing C.
    public func groups() -> [(compute: Double, members: [Int])] {
        let logTol = log1p(tolerance)
        if let levels = computeLevels?.sorted() {
            var members = [[Int]](repeating: [], count: levels.count)
            for (i, p) in points.enumerated() {
                let lc = log(p.compute)
                guard let k = levels.indices.min(by: { abs(lc - log(levels[$0])) < abs(lc - log(levels[$1])) }),
                      abs(lc - log(levels[k])) <= logTol
                else { continue }
                members[k].append(i)
            }
            return zip(levels, members).filter { !$0.1.isEmpty }.map { ($0, $1) }
        }
        let order = points.indices.sorted { points[$0].compute < points[$1].compute }
        var groups: [[Int]] = []
        var first = 0.0
        for i in order {
            let lc = log(points[i].compute)
            if groups.isEmpty || lc - first > logTol {
                groups.append([i])
                first = lc
            } else {
                groups[groups.count - 1].append(i)
            }
        }
        // Nominal compute of a tolerance group: geometric mean of its members' C.
        return groups.map { g in (exp(g.map { log(points[$0].compute) }.reduce(0, +) / Double(g.count)), g) }
    }

    /// The analysis, with bootstrap percentile intervals when `bootstrap` > 0 (points resampled
    /// with replacement within each group, the budgets themselves being the experimental design).
    public func fit(bootstrap: Int = 0, confidence: Double = 0.95, seed: UInt64 = 0) throws -> IsoFLOPResult {
        if let bad = points.firstIndex(where: { !($0.N > 0 && $0.D > 0 && $0.loss.isFinite && $0.N.isFinite && $0.D.isFinite) }) {
            throw FitError.invalidData("IsoFLOP point \(bad + 1) needs finite N > 0, D > 0 and loss")
        }
        let grouped = groups()
        var minima: [IsoFLOPGroupMinimum] = []
        var skipped: [IsoFLOPResult.Skipped] = []
        for (compute, members) in grouped {
            switch Self.profileMinimum(members.map { points[$0] }, compute: compute) {
            case .success(let m): minima.append(m)
            case .failure(let reason): skipped.append(.init(compute: compute, points: members.count, reason: reason.message))
            }
        }
        // Two minima determine the power law exactly; a third is the least that tests it.
        guard minima.count >= 3 else {
            throw FitError.invalidData(
                "isoflop needs at least 3 compute levels with a parabola minimum (have \(minima.count)); "
                + "train 3+ model sizes per compute budget, e.g. Data/sweeps/isoflop.toml")
        }
        let nLaw = Self.powerLaw(minima.map { ($0.compute, $0.N) })
        let dLaw = Self.powerLaw(minima.map { ($0.compute, $0.D) })
        var result = IsoFLOPResult(
            parameters: [nLaw.exponent, dLaw.exponent, nLaw.prefactor, dLaw.prefactor],
            minima: minima, skipped: skipped, nFitRMSE: nLaw.rmse, nFitR2: nLaw.r2, pointsUsed: points.count)

        if bootstrap > 0 {
            let usable = grouped.filter { g in minima.contains { $0.compute == g.compute } }
            let plans = Resampling.withinGroups(usable.map(\.members), resamples: bootstrap, seed: seed)
            let samples: [[Double]] = plans.compactMap { plan in
                let ms = zip(usable, plan).compactMap { group, rows in
                    try? Self.profileMinimum(rows.map { points[$0] }, compute: group.compute).get()
                }
                guard ms.count >= 2 else { return nil }
                let n = Self.powerLaw(ms.map { ($0.compute, $0.N) })
                let d = Self.powerLaw(ms.map { ($0.compute, $0.D) })
                return [n.exponent, d.exponent, n.prefactor, d.prefactor]
            }
            result.bootstrapConverged = samples.count
            result.intervals = IsoFLOPResult.parameterNames.indices.map { k in
                Percentile.interval(samples.map { $0[k] }, confidence: confidence) ?? (Double.nan...Double.nan)
            }
        }
        return result
    }

    struct ProfileFailure: Error {
        let message: String
    }

    /// Fits loss = c0 + c1 x + c2 x^2 with x = log N - mean(log N) and returns the vertex.
    static func profileMinimum(_ group: [IsoFLOPPoint], compute: Double) -> Result<IsoFLOPGroupMinimum, ProfileFailure> {
        let distinct = Set(group.map(\.N)).count
        guard distinct >= 3 else {
            return .failure(ProfileFailure(message: "\(distinct) distinct model sizes (need 3)"))
        }
        let xs0 = group.map { log($0.N) }
        let mean = xs0.reduce(0, +) / Double(xs0.count)
        let xs = xs0.map { $0 - mean }
        guard let c = Polynomial.leastSquares(x: xs, y: group.map(\.loss), degree: 2), c[2].isFinite else {
            return .failure(ProfileFailure(message: "singular parabola fit"))
        }
        guard c[2] > 0 else {
            return .failure(ProfileFailure(message: "parabola opens downward (no minimum)"))
        }
        let xStar = -c[1] / (2 * c[2])
        let n = exp(mean + xStar)
        let inside = xStar >= (xs.min() ?? 0) && xStar <= (xs.max() ?? 0)
        return .success(IsoFLOPGroupMinimum(
            compute: compute, N: n, D: compute / (6 * n), loss: c[0] + c[1] * xStar + c[2] * xStar * xStar,
            points: group.count, curvature: c[2], coefficients: c, centre: mean, withinSampledRange: inside))
    }

    /// y = k x^e fitted as log y = log k + e log x.
    static func powerLaw(_ pairs: [(x: Double, y: Double)]) -> (exponent: Double, prefactor: Double, rmse: Double, r2: Double) {
        let lx = pairs.map { log($0.x) }, ly = pairs.map { log($0.y) }
        // Centre log C (~40) before solving so the normal equations stay well conditioned.
        let mx = lx.reduce(0, +) / Double(lx.count)
        let c = Polynomial.leastSquares(x: lx.map { $0 - mx }, y: ly, degree: 1) ?? [.nan, .nan]
        let fitted = lx.map { c[0] + c[1] * ($0 - mx) }
        let mean = ly.reduce(0, +) / Double(ly.count)
        let ssRes = zip(fitted, ly).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        let ssTot = ly.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        return (c[1], exp(c[0] - c[1] * mx), (ssRes / Double(ly.count)).squareRoot(), ssTot > 0 ? 1 - ssRes / ssTot : .nan)
    }
}
