import Foundation

/// Hoffmann et al. 2022, Approach 2 ("IsoFLOP profiles", Section 3.2, Figure 3): for each fixed
/// compute budget, find the loss-minimising model size N_opt(C) on the profile of final loss
/// against log N; then fit power laws N_opt = kN C^a and D_opt = kD C^b by linear least squares in
/// log-log space.
///
/// Why it complements Approach 3: it assumes no functional form for L(N, D), only that each
/// iso-compute profile is locally parabolic in log N near its minimum, so its exponents check the
/// parametric fit's implied a = beta/(alpha+beta) (see `ComputeOptimal`).
///
/// Each minimum comes from the points near it only, and a budget needs an interior minimum
/// (`IsoFLOPProfile`, after Porian et al. 2024); budgets without one are skipped and reported.
///
/// Grouping into compute budgets, in order of preference:
/// - explicit `computeLevels`: each point joins the nearest level in log C (its `level` if it has
///   one, else 6ND) if within a factor (1 + tolerance) of it;
/// - points that carry a `level` (a sweep's budget, an imported `compute` column) are grouped by it:
///   equal levels together, and levels within `levelTolerance` of a group's first (rounding in
///   recorded compute) joined to it;
/// - points without a level are grouped by C = 6ND: sorted, a new group starting whenever C exceeds
///   (1 + tolerance) times the smallest C of the current group.
///
/// Reported parameters (`IsoFLOPResult.parameterNames`): `a` and `b`, the exponents of N_opt and
/// D_opt in C, and `kN`, `kD`, their prefactors (C in FLOPs, N in parameters, D in tokens).
/// D_opt is read off each profile (see `IsoFLOPProfile`), so a + b = 1 only when D = C / (6 N).
public struct IsoFLOPAnalysis: Sendable {
    public var points: [IsoFLOPPoint]
    /// Explicit compute budgets (FLOPs), or nil to group by the points' levels or by `tolerance`.
    public var computeLevels: [Double]?
    /// Relative tolerance in C for grouping points without a level by 6ND (0.1: within 10%).
    public var tolerance: Double
    /// Relative tolerance between recorded levels of one budget (0.05: within 5%).
    public var levelTolerance: Double

    public init(points: [IsoFLOPPoint], computeLevels: [Double]? = nil, tolerance: Double = 0.1,
                levelTolerance: Double = 0.05) {
        self.points = points
        self.computeLevels = computeLevels
        self.tolerance = tolerance
        self.levelTolerance = levelTolerance
    }

    /// From a `Dataset` with inputs [N, D] and target loss (the CLI's shape for every law).
    public init(_ data: Dataset, computeLevels: [Double]? = nil, tolerance: Double = 0.1) {
        self.init(points: zip(data.x, data.y).map { IsoFLOPPoint(N: $0[0], D: $0[1], loss: $1) },
                  computeLevels: computeLevels, tolerance: tolerance)
    }

    /// Indices of `points` per compute group (with each group's nominal compute), in increasing C.
    public func groups() -> [(compute: Double, members: [Int])] {
        if let levels = computeLevels?.sorted() {
            let logTol = log1p(tolerance)
            var members = [[Int]](repeating: [], count: levels.count)
            for (i, p) in points.enumerated() {
                let lc = log(p.level ?? p.compute)
                guard let k = levels.indices.min(by: { abs(lc - log(levels[$0])) < abs(lc - log(levels[$1])) }),
                      abs(lc - log(levels[k])) <= logTol
                else { continue }
                members[k].append(i)
            }
            return zip(levels, members).filter { !$0.1.isEmpty }.map { ($0, $1) }
        }
        let leveled = points.indices.filter { points[$0].level != nil }
        let unleveled = points.indices.filter { points[$0].level == nil }
        let all = Self.chain(leveled, value: { points[$0].level! }, tolerance: levelTolerance)
            + Self.chain(unleveled, value: { points[$0].compute }, tolerance: tolerance)
        return all.sorted { $0.compute < $1.compute }
    }

    /// Sorts `indices` by `value` and starts a new group whenever the value exceeds (1 + tolerance)
    /// times the group's first; a group's nominal compute is the geometric mean of its values.
    static func chain(_ indices: [Int], value: (Int) -> Double, tolerance: Double) -> [(compute: Double, members: [Int])] {
        let logTol = log1p(tolerance)
        var groups: [[Int]] = []
        var first = 0.0
        for i in indices.sorted(by: { value($0) < value($1) }) {
            let lc = log(value(i))
            if groups.isEmpty || lc - first > logTol {
                groups.append([i])
                first = lc
            } else {
                groups[groups.count - 1].append(i)
            }
        }
        return groups.map { g in (exp(g.map { log(value($0)) }.reduce(0, +) / Double(g.count)), g) }
    }

    /// The analysis, with bootstrap percentile intervals when `bootstrap` > 0: the points of each
    /// usable budget are resampled with replacement within it (the budgets are the experimental
    /// design; with seeds, within each size of it, see `resample`) and every minimum is re-estimated;
    /// a replicate in which fewer than 3 budgets keep an interior minimum does not converge.
    public func fit(bootstrap: Int = 0, confidence: Double = 0.95, seed: UInt64 = 0) throws -> IsoFLOPResult {
        if let bad = points.firstIndex(where: { !($0.N > 0 && $0.D > 0 && $0.loss.isFinite && $0.N.isFinite && $0.D.isFinite) }) {
            throw FitError.invalidData("IsoFLOP point \(bad + 1) needs finite N > 0, D > 0 and loss")
        }
        if let bad = points.firstIndex(where: { p in p.level.map { !($0 > 0 && $0.isFinite) } ?? false }) {
            throw FitError.invalidData("IsoFLOP point \(bad + 1) has a compute level that is not a finite positive number")
        }
        let grouped = groups()
        var minima: [IsoFLOPGroupMinimum] = []
        var skipped: [IsoFLOPResult.Skipped] = []
        var usable: [[Int]] = []
        for (compute, members) in grouped {
            switch IsoFLOPProfile(members.map { points[$0] }).minimum(compute: compute) {
            case .success(let m):
                minima.append(m)
                usable.append(members)
            case .failure(let reason): skipped.append(.init(compute: compute, points: members.count, reason: reason.message))
            }
        }
        // Two minima determine the power law exactly; a third is the least that tests it.
        guard minima.count >= 3 else {
            let why = skipped.map { String(format: "C = %.3g: ", $0.compute) + $0.reason }.joined(separator: "; ")
            throw FitError.invalidData(
                "isoflop needs at least 3 compute levels with an interior minimum (have \(minima.count) of \(grouped.count))"
                + (why.isEmpty ? "" : " [\(why)]")
                + "; train 3+ budgets with sizes on both sides of each optimum (Data/sweeps/isoflop.toml does)")
        }
        var result = Self.powerLaws(minima, skipped: skipped, pointsUsed: points.count)
        if bootstrap > 0 {
            let computes = minima.map(\.compute)
            let cells = usable.map(sizeCells)
            let samples = Bootstrap.run(resamples: bootstrap, seed: seed,
                                        plan: { rng in cells.map { Self.resample($0, using: &rng) } }) { plan in
                let ms = zip(computes, plan).compactMap { c, rows in
                    try? IsoFLOPProfile(rows.map { points[$0] }).minimum(compute: c).get()
                }
                guard ms.count >= 3 else { return nil }
                return Self.powerLaws(ms, skipped: [], pointsUsed: 0).parameters
            }
            result.bootstrap = samples
            let (ivs, notes) = samples.intervals(estimates: result.parameters, names: IsoFLOPResult.parameterNames,
                                                 confidence: confidence)
            result.intervals = ivs
            result.notes += notes
        }
        return result
    }

    /// A profile's rows by model size (seeds of one size together), or nil when no size has two rows.
    func sizeCells(_ members: [Int]) -> (rows: [Int], cells: [[Int]]?) {
        var bySize: [Double: [Int]] = [:]
        for i in members { bySize[points[i].N, default: []].append(i) }
        let cells = bySize.keys.sorted().map { bySize[$0]! }
        return (members, cells.contains { $0.count > 1 } ? cells : nil)
    }

    /// One bootstrap draw of a profile's rows. With seeds (some size has several rows), rows are drawn
    /// within each size, so every replicate keeps the profile's design (every size) and varies the
    /// seed means; with one row per size, rows are drawn from the whole profile.
    static func resample(_ profile: (rows: [Int], cells: [[Int]]?), using rng: inout ResampleRNG) -> [Int] {
        guard let cells = profile.cells else { return Resampling.withinGroups([profile.rows], using: &rng)[0] }
        return Resampling.withinGroups(cells, using: &rng).flatMap { $0 }
    }

    /// The power laws through the minima.
    static func powerLaws(_ minima: [IsoFLOPGroupMinimum], skipped: [IsoFLOPResult.Skipped], pointsUsed: Int) -> IsoFLOPResult {
        let nLaw = powerLaw(minima.map { ($0.compute, $0.N) })
        let dLaw = powerLaw(minima.map { ($0.compute, $0.D) })
        return IsoFLOPResult(parameters: [nLaw.exponent, dLaw.exponent, nLaw.prefactor, dLaw.prefactor],
                             minima: minima, skipped: skipped, nFitRMSE: nLaw.rmse, nFitR2: nLaw.r2, pointsUsed: pointsUsed)
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
