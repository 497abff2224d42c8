import Fit
import Foundation
import Laws
import Report
import Store

/// Chinchilla, Hoffmann et al. 2022, Approach 3 (Eq. 2): L(N, D) = E + A/N^alpha + B/D^beta,
/// Huber (delta 1e-3) on log residuals of the log-sum-exp form, BFGS from a 4,500-point grid.
/// Predicts the loss at (N, D) and the compute-optimal allocation (Eq. 4); the report draws the
/// surface over the runs or imported points and the allocation as the frontier's curve.
public struct ChinchillaEntry: LawDefinition {
    public struct Stored: Codable, Sendable {
        public var huberDelta: Double?
        /// The exponents of N*(C) and D*(C) the fitted alpha and beta imply.
        public var computeOptimal: ComputeOptimalExponents?

        enum CodingKeys: String, CodingKey { case huberDelta = "huber_delta", computeOptimal = "compute_optimal" }
    }

    public struct ComputeOptimalExponents: Codable, Sendable {
        public var nExponent: Double?
        public var dExponent: Double?
        public var formula: String?
        enum CodingKeys: String, CodingKey { case nExponent = "N_exponent", dExponent = "D_exponent", formula }
    }

    public init() {}

    public let name = "chinchilla"
    public let summary = "L(N,D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3: Huber on log residuals)"
    public let queryHelp = "--N --D (or --N --M) for the loss; --compute C for the compute-optimal N*, D* and loss"
    public let input = LawInput.sizePoints
    public let fitFlags: Set<FitFlag> = [.starts, .huberDelta, .holdout, .lr]
    public let thetaCount = 5
    public let queries: [Set<QueryFlag>] = [[.N, .D], [.N, .M], [.compute]]
    public let setsReportParameterCount = true
    public let irreducibleLossParameter: String? = "E"
    public let title = "Chinchilla"

    public func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .sizePoints(let points) = data else { throw WrongLawInput(law: name, expected: input) }
        var options = settings.fitOptions
        options.starts = settings.startSubset(ChinchillaLaw().startGrid())
        var fit = try PointLawFit.fit(ChinchillaLaw(huberDelta: settings.huberDelta), named: name,
                                      Dataset(x: PointLawFit.sizeInputs(points), y: points.loss), options: options)
        let c = ComputeOptimal(reported: fit.parameters)
        try fit.setLawForm(Stored(huberDelta: settings.huberDelta, computeOptimal: ComputeOptimalExponents(
            nExponent: c.nExponent, dExponent: c.dExponent,
            formula: "N*(C) = G (C/6)^(beta/(alpha+beta)), D*(C) = (C/6)^(alpha/(alpha+beta)) / G")))
        if let e = fit.parameters.first, let floor = points.loss.min(), e < 1e-3 * floor {
            // E = exp(e) in the log-sum-exp form, so an unconstrained e runs to -inf when nothing
            // flattens: a converged fit, but with no irreducible-loss estimate in it.
            fit.notes.append("E ran to 0: these losses do not flatten toward an irreducible floor, so E is not identified "
                             + "(the fit is two power laws); add larger models or longer budgets")
        }
        fit.recordRange(points.range)
        fit.judgedTerms = judgedTerms(fit, points)
        return fit
    }

    /// A and B are values at N = 1 and D = 1, three to six decades below the data, so their
    /// intervals carry all of alpha's and beta's uncertainty; what the points measure is each term
    /// where they are: A/N^alpha at the geometric-mean N and B/D^beta at the geometric-mean D
    /// (bootstrap intervals of the same refits).
    func judgedTerms(_ fit: StoredFit, _ points: SizePoints) -> [String: JudgedTerm]? {
        let samples = BootstrapSamples(samples: fit.bootstrapThetas, total: fit.bootstrapTotal)
        guard samples.supportsIntervals, !points.n.isEmpty else { return nil }
        let logN = points.n.map(log).reduce(0, +) / Double(points.n.count)
        let logD = points.d.map(log).reduce(0, +) / Double(points.d.count)
        // theta = (a, b, e, alpha, beta): A = e^a, B = e^b (ChinchillaLaw).
        guard let a = samples.interval({ CappedExp.eval($0[0] - $0[3] * logN).value }),
              let b = samples.interval({ CappedExp.eval($0[1] - $0[4] * logD).value }) else { return nil }
        let at = { (v: Double) in String(format: "%.3g", exp(v)) }
        return ["A": JudgedTerm(label: "A/N^alpha at N = \(at(logN)), the data's geometric mean", interval: a),
                "B": JudgedTerm(label: "B/D^beta at D = \(at(logD)), the data's geometric mean", interval: b)]
    }

    public func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        if let n = query.n, let d = query.tokens { return .values([("loss", ChinchillaLaw().predict(theta, [n, d]))]) }
        guard let c = query.compute else { throw LawError("chinchilla fits predict from --N with --D or --M, or from --compute") }
        let a = ComputeOptimal(reported: ChinchillaLaw().reported(theta)).allocation(compute: c)
        return .values([("N_opt", a.N), ("D_opt", a.D), ("loss", a.loss), ("tokens_per_param", a.tokensPerParameter)])
    }

    /// The compute-optimal allocation of `theta` from the smallest of `computes` to 100 times the
    /// largest: the frontier's fitted curve.
    func allocation(_ theta: [Double], computes cs: [Double]) -> [FitCurves.FrontierPoint] {
        let opt = ComputeOptimal(reported: ChinchillaLaw().reported(theta))
        return ReportContext.logGrid(cs.min()!, cs.max()! * 100, intervals: 30).map { compute in
            let a = opt.allocation(compute: compute)
            return FitCurves.FrontierPoint(compute: a.compute, params: a.N, tokens: a.D)
        }
    }

    /// The surface of the latest fit on all the data (a `--holdout` fit only when there is no other).
    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into c: inout FitCurves) throws {
        guard let f = fits.last(where: { $0.holdoutKind == nil }) ?? fits.last, f.theta.count == thetaCount else { return }
        let law = ChinchillaLaw()
        let th = f.theta
        if f.importedSource != nil {
            guard let surface = try importedSurface(f, points: context.points(f)) else { return }
            c.imported = surface
            c.frontierFit = allocation(th, computes: surface.points.map { 6 * $0.n * $0.d })
            for id in ["frontier-params", "frontier-tokens"] {
                c.dataNotes[id] = "Data: the allocation of fit \(f.id ?? 0) (imported points of \(surface.data)), from their smallest compute to 100 times their largest."
            }
            return
        }
        let finished = context.finished
        guard !finished.isEmpty else { return }
        let ns = finished.map(context.paramCount)
        let (lo, hi) = (ns.min()! / 2, ns.max()! * 10)
        for budget in Set(finished.map(\.tokensBudget)).sorted() {
            let pts = ReportContext.logGrid(lo, hi, intervals: 60).map { n in PlotPoint(n, law.predict(th, [n, Double(budget)])) }
            c.chinchilla.append(.init(over: .params, fixed: Double(budget), points: pts, extrapolatesBeyond: ns.max()))
        }
        // The same surface sliced the other way: loss vs D for each trained size.
        let ds = finished.map { Double($0.tokensBudget) }
        let (dlo, dhi) = (ds.min()! / 2, ds.max()! * 10)
        for n in Set(ns).sorted() {
            let pts = ReportContext.logGrid(dlo, dhi, intervals: 60).map { d in PlotPoint(d, law.predict(th, [n, d])) }
            c.chinchilla.append(.init(over: .tokens, fixed: n, points: pts, extrapolatesBeyond: ds.max()))
        }
        c.frontierFit = allocation(th, computes: finished.map { 6 * context.paramCount($0) * Double($0.tokensDone) })
        c.chinchillaFigures = figures(f, finished: finished, paramCount: context.paramCount)
    }

    /// The surface of fit `f` over the imported (N, D, loss) points it was fitted on, binned by D
    /// (and by N) with a slice at each bin's geometric mean.
    func importedSurface(_ f: StoredFit, points all: [PointRecord]) throws -> ImportedSurface? {
        let th = f.theta
        let pts = all.filter { $0.n != nil && $0.d != nil }
        guard !pts.isEmpty else { return nil }
        let law = ChinchillaLaw()
        let points = pts.map { ImportedSurface.Point(n: $0.n!, d: $0.d!, loss: $0.loss, predicted: law.predict(th, [$0.n!, $0.d!])) }
        let ns = points.map(\.n), ds = points.map(\.d)
        func binned(_ keys: [Double], over: FitCurves.SurfaceSlice.Over) -> [ImportedSurface.Bin] {
            let xs = over == .params ? ns : ds
            let grid = ReportContext.logGrid(xs.min()! / 2, xs.max()! * 10, intervals: 60)
            return ReportContext.logBins(keys).map { b in
                let slice = grid.map { x in PlotPoint(x, law.predict(th, over == .params ? [x, b.fixed] : [b.fixed, x])) }
                return ImportedSurface.Bin(range: b.range, fixed: b.fixed, members: b.members,
                                           slice: .init(over: over, fixed: b.fixed, points: slice, extrapolatesBeyond: xs.max()))
            }
        }
        return ImportedSurface(data: f.describedSource, fit: "fit \(f.id ?? 0)", points: points,
                               byTokens: binned(ds, over: .params), byParams: binned(ns, over: .tokens))
    }
}
