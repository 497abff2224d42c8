import Fit
import Foundation
import Laws
import Report
import Store
import Sweep

/// Reads everything the report shows out of the database, and evaluates the stored fits on
/// grids for the plots. No fitting happens here: the report shows what `scalefit fit` stored.
enum ReportData {
    static func load(_ db: Store, path: String) throws -> ReportInput {
        let store = StoreReader(db)
        var input = ReportInput(title: "scalefit report", source: path)
        let runs = try store.runs()
        let fits = try store.fits()
        let count = paramCount(fits)
        for r in runs {
            let steps = try store.steps(r.id!)
            let stride = max(1, steps.count / 200)
            let curve = steps.enumerated().compactMap { i, s -> ReportInput.LossPoint? in
                guard i % stride == 0 || i == steps.count - 1, let l = s.trainLoss else { return nil }
                return ReportInput.LossPoint(tokens: Double(s.tokens), trainLoss: l)
            }
            let evals = try store.evals(r.id!).compactMap { e -> ReportInput.EvalPoint? in
                guard let v = e.valLoss else { return nil }
                return ReportInput.EvalPoint(tokens: Double(e.tokens), valLoss: v, downstreamError: e.downstreamError)
            }
            input.runs.append(ReportInput.Run(id: "\(r.id!)", label: "\(r.nLayer)x\(r.dModel) D=\(r.tokensBudget)",
                                              nLayer: r.nLayer, dModel: r.dModel, params: count.of(r),
                                              tokens: Double(r.tokensDone), lr: r.lr, schedule: r.schedule, status: r.status,
                                              finalValLoss: r.finalValLoss, curve: curve, evals: evals))
        }
        for f in fits {
            let params = (try? JSONText.parse(f.params))?.members ?? []
            let ci = (try? JSONText.parse(f.intervals))?.members ?? []
            input.fits.append(ReportInput.Fit(id: "\(f.id!)", law: f.law, parameters: params.map { name, v in
                let iv = ci.first { $0.0 == name }?.1.array.flatMap { a -> ClosedRange<Double>? in
                    guard a.count == 2, let lo = a[0].double, let hi = a[1].double, lo <= hi else { return nil }
                    return lo...hi
                }
                return ReportInput.Parameter(name: name, value: v.double ?? .nan, interval: iv)
            }, rmse: f.rmse ?? .nan, n: f.nPoints, created: f.createdAt,
               notes: (try? JSONText.parse(f.options))?["notes"]?.array?.compactMap(\.string) ?? [],
               holdout: (try? JSONText.parse(f.options))?["holdout"]?["kind"]?.string))
        }
        let corpora = Set(runs.map(\.corpus))
        if corpora.count == 1, let label = corpora.first {
            input.entropyRate = CorpusSource.entropyRate(label: label)
            let seqLens = Set(runs.map(\.seqLen))
            if seqLens.count == 1, let t = seqLens.first, let b = CorpusSource.builtIn(label: label) {
                input.bestLoss = b.corpus.optimalWindowLoss(seed: b.seed, seqLen: t)
            }
        }
        let sources = Dictionary(grouping: try store.points(), by: \.source)
        input.importedSources = sources.keys.sorted().map { ($0, sources[$0]!.count) }
        input.effectiveRank = try store.effectiveRanks()
        input.cka = try store.cka()
        input.curves = try curves(store, runs: runs, fits: fits, count: count)
        return input
    }

    /// The `--holdout` kind a stored fit was made with (nil: fitted on all its data).
    static func holdoutKind(_ f: FitRecord) -> String? {
        (try? JSONText.parse(f.options))?["holdout"]?["kind"]?.string
    }

    static func theta(_ f: FitRecord) -> [Double] {
        (try? JSONText.parse(f.options))?["theta"]?.array?.compactMap(\.double) ?? []
    }

    /// The N the plots use: the latest Chinchilla fit's choice (its stored selection), else total
    /// parameters, the fit's default, so fitted surfaces and points share one x axis.
    static func paramCount(_ fits: [FitRecord]) -> ParamCount {
        guard let f = fits.last(where: { $0.law == "chinchilla" }),
              let raw = (try? JSONText.parse(f.selection))?["params"]?.string else { return .total }
        return ParamCount(rawValue: raw) ?? .total
    }

    /// `intervals + 1` points from `lo` to `hi`, evenly spaced in log: the x grid of a fitted curve on log axes.
    static func logGrid(_ lo: Double, _ hi: Double, intervals: Int) -> [Double] {
        (0...intervals).map { lo * pow(hi / lo, Double($0) / Double(intervals)) }
    }

    /// The compute-optimal allocation of Chinchilla parameters `th` (Hoffmann et al. 2022, Eq. 4)
    /// from the smallest of `computes` to 100 times the largest: the frontier's fitted curve.
    static func allocation(_ th: [Double], computes cs: [Double]) -> [FitCurves.FrontierPoint] {
        let opt = ComputeOptimal(reported: ChinchillaLaw().reported(th))
        return logGrid(cs.min()!, cs.max()! * 100, intervals: 30).map { compute in
            let a = opt.allocation(compute: compute)
            return FitCurves.FrontierPoint(compute: a.compute, params: a.N, tokens: a.D)
        }
    }

    static func curves(_ store: StoreReader, runs: [RunRecord], fits: [FitRecord], count: ParamCount = .total) throws -> FitCurves {
        var c = FitCurves()
        let finished = runs.filter { $0.status == "finished" && $0.finalValLoss != nil }
        // The surface of the latest fit on all the data (a --holdout fit only when there is no other).
        let chinchilla = fits.last(where: { $0.law == "chinchilla" && holdoutKind($0) == nil }) ?? fits.last(where: { $0.law == "chinchilla" })
        if let f = chinchilla, importedSource(f) != nil, let surface = try importedSurface(store, fit: f) {
            c.imported = surface
            c.frontierFit = allocation(theta(f), computes: surface.points.map { 6 * $0.n * $0.d })
            for id in ["frontier-params", "frontier-tokens"] {
                c.dataNotes[id] = "Data: the allocation of fit \(f.id ?? 0) (imported points of \(surface.data)), from their smallest compute to 100 times their largest."
            }
        }
        if let f = chinchilla, importedSource(f) == nil, theta(f).count == 5, !finished.isEmpty {
            let law = ChinchillaLaw()
            let th = theta(f)
            let ns = finished.map(count.of)
            let (lo, hi) = (ns.min()! / 2, ns.max()! * 10)
            for budget in Set(finished.map(\.tokensBudget)).sorted() {
                let pts = logGrid(lo, hi, intervals: 60).map { n in PlotPoint(n, law.predict(th, [n, Double(budget)])) }
                c.chinchilla.append(.init(over: .params, fixed: Double(budget), points: pts, extrapolatesBeyond: ns.max()))
            }
            // The same surface sliced the other way: loss vs D for each trained size.
            let ds = finished.map { Double($0.tokensBudget) }
            let (dlo, dhi) = (ds.min()! / 2, ds.max()! * 10)
            for n in Set(ns).sorted() {
                let pts = logGrid(dlo, dhi, intervals: 60).map { d in PlotPoint(d, law.predict(th, [n, d])) }
                c.chinchilla.append(.init(over: .tokens, fixed: n, points: pts, extrapolatesBeyond: ds.max()))
            }
            c.frontierFit = allocation(th, computes: finished.map { 6 * count.of($0) * Double($0.tokensDone) })
        }
        if let f = fits.last(where: { holdoutKind($0) != nil }),
           let h = (try? JSONText.parse(f.options))?["holdout"], let kind = h["kind"]?.string {
            let points = (h["runs"]?.array ?? []).compactMap { r -> (label: String, measured: Double, predicted: Double)? in
                guard let l = r["loss"]?.double, let p = r["predicted"]?.double, let n = r["N"]?.double, let d = r["D"]?.double
                else { return nil }
                return ("N \(formatNumber(n)) D \(formatNumber(d))", l, p)
            }
            c.holdout = .init(kind: kind, points: points)
        }
        if let f = fits.last(where: { $0.law == "downstream" }), theta(f).count == 3 {
            var pts: [PlotPoint] = []
            if importedSource(f) != nil {
                pts = try points(store, of: f).compactMap { p in p.downstreamError.map { PlotPoint(p.loss, $0) } }
                c.dataNotes["downstream"] = "Data: imported (loss, downstream_error) pairs of \(describe(f)); curve: fit \(f.id ?? 0)."
            } else {
                for r in finished {
                    for e in try store.evals(r.id!) {
                        if let v = e.valLoss, let d = e.downstreamError { pts.append(PlotPoint(v, d)) }
                    }
                }
            }
            let law = DownstreamLaw()
            let th = theta(f)
            if let lo = pts.map(\.x).min(), let hi = pts.map(\.x).max() {
                let fitted = (0...50).map { i -> PlotPoint in
                    let l = lo + (hi - lo) * Double(i) / 50
                    return PlotPoint(l, law.predict(th, [l]))
                }
                c.downstream = .init(points: pts, fitted: fitted)
            }
        }
        if let f = fits.last(where: { $0.law == "annealing" }), theta(f).count == 4 {
            let opts = try? JSONText.parse(f.options)
            let lambda = opts?["lambda"]?.double ?? AnnealingAreas.defaultLambda
            let warm = opts?["warmup_as_peak"]?.double.map { Int($0) }
            // The law describes training after its first transient: plot from the fit's first row.
            let fromStep = Int(opts?["from_step"]?.double ?? 1)
            let fitted = Set(((try? JSONText.parse(f.selection))?["runs"]?.array ?? []).compactMap(\.double).map { Int64($0) })
            let law = AnnealingLaw(lambda: lambda, warmupAsPeak: warm)
            // The fitted runs, and every other run of the same shape: those are predictions of unseen schedules.
            // Curves imported from other trainers (schedule `external`) have no shape: only the fitted ones.
            let shapes = Set(runs.filter { fitted.contains($0.id!) && $0.schedule != "external" }.map { "\($0.nLayer)x\($0.dModel)" })
            for r in runs where r.status == "finished"
                && (fitted.contains(r.id!) || (r.schedule != "external" && shapes.contains("\(r.nLayer)x\(r.dModel)"))) {
                let steps = try store.steps(r.id!)
                guard !steps.isEmpty else { continue }
                let predicted = law.predictCurve(theta(f), lrs: steps.map(\.lr))
                let stride = max(1, steps.count / 150)
                var actual: [PlotPoint] = [], pred: [PlotPoint] = []
                for i in Swift.stride(from: min(max(fromStep - 1, 0), steps.count - 1), to: steps.count, by: stride) {
                    if let l = steps[i].trainLoss { actual.append(PlotPoint(Double(steps[i].step + 1), l)) }
                    pred.append(PlotPoint(Double(steps[i].step + 1), predicted[i]))
                }
                let kind = r.schedule.split(separator: ":").first.map(String.init) ?? r.schedule
                c.annealing.append(.init(schedule: "run \(r.id!) (\(kind))", actual: actual, predicted: pred,
                                         heldOut: !fitted.contains(r.id!)))
            }
            c.annealing += fileCurves(f, law: law, fromStep: fromStep)
            let external = runs.filter { fitted.contains($0.id!) && $0.schedule == "external" }.count
            let files = (selection(f)?["curves"]?.array ?? []).count
            if external + files > 0 {
                c.dataNotes["annealing"] = "Data: fit \(f.id ?? 0) on \(fitted.count) run(s) (\(external) imported with `import --curve`) and \(files) curve file(s) (drawn when the file is still there)."
            }
        }
        if let f = fits.last(where: { $0.law == "isoflop" }), let groups = (try? JSONText.parse(f.options))?["groups"]?.array {
            for g in groups {
                guard let compute = g["compute"]?.double else { continue }
                let pts = (g["points"]?.array ?? []).compactMap { p -> PlotPoint? in
                    guard let a = p.array, a.count == 2, let x = a[0].double, let y = a[1].double else { return nil }
                    return PlotPoint(x, y)
                }
                var minimum: PlotPoint? = nil
                if let n = g["n_opt"]?.double, let l = g["loss_opt"]?.double { minimum = PlotPoint(n, l) }
                var parabola: [PlotPoint] = []
                // The parabola holds near the minimum only: drawn over the window it was fitted to (all
                // the points for fits stored before the window was recorded).
                let window = g["window"]?.array?.compactMap(\.double) ?? []
                if let co = g["parabola"]?.array?.compactMap(\.double), co.count == 3,
                   let lo = window.count == 2 ? window[0] : pts.map(\.x).min(),
                   let hi = window.count == 2 ? window[1] : pts.map(\.x).max() {
                    parabola = logGrid(lo, hi, intervals: 40).map { n in
                        let u = Foundation.log(n) - (g["centre"]?.double ?? 0)
                        return PlotPoint(n, co[0] + co[1] * u + co[2] * u * u)
                    }
                }
                c.isoflop.append(.init(compute: compute, points: pts, parabola: parabola, minimum: minimum))
                c.dataNotes["isoflop"] = importedSource(f) != nil ? "Data: imported points of \(describe(f)) (fit \(f.id ?? 0))."
                                                                  : "Data: finished runs (fit \(f.id ?? 0))."
                if let m = minimum {
                    c.frontier.append(.init(compute: compute, params: m.x, tokens: g["d_opt"]?.double ?? compute / (6 * m.x)))
                }
            }
        }
        return c
    }
}

/// The report's view of the database: records through `Store`, plus the dynamics tables.
struct StoreReader {
    let store: Store
    init(_ store: Store) { self.store = store }

    func runs() throws -> [RunRecord] { try store.runs() }
    func steps(_ id: Int64) throws -> [StepRecord] { try store.steps(runID: id) }
    func evals(_ id: Int64) throws -> [EvalRecord] { try store.evals(runID: id) }
    func fits() throws -> [FitRecord] { try store.fits() }
    func points(source: String? = nil, where predicate: String? = nil) throws -> [PointRecord] {
        try store.points(source: source, where: predicate)
    }
    func effectiveRanks() throws -> [ReportInput.EffectiveRankPoint] {
        try store.effectiveRanks().map {
            ReportInput.EffectiveRankPoint(runID: "\($0.runID)", step: $0.step, matrix: $0.matrix, erank: $0.erank)
        }
    }
    func cka() throws -> [ReportInput.CKAPoint] {
        try store.layerCKA().map { ReportInput.CKAPoint(runID: "\($0.runID)", step: $0.step, layer: "block \($0.layer)", cka: $0.cka) }
    }
}
