import Fit
import Foundation
import LawRegistry
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
        for f in fits.map(StoredFit.init(record:)) {
            input.fits.append(ReportInput.Fit(id: "\(f.id ?? 0)", law: f.law, parameters: f.parameterNames.indices.map { i in
                ReportInput.Parameter(name: f.parameterNames[i], value: f.parameters[i], interval: f.ranges[i])
            }, rmse: f.rmse, n: f.n, created: f.createdAt, notes: f.notes, holdout: f.holdoutKind))
        }
        input.irreducibleEstimate = irreducibleEstimate(input.fits)
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

    /// The irreducible loss of the latest fit on all the data (a `--holdout` fit only when there is
    /// no other) of a law that estimates one.
    static func irreducibleEstimate(_ fits: [ReportInput.Fit]) -> ReportInput.IrreducibleEstimate? {
        let laws = LawRegistry.standard.laws.filter { $0.irreducibleLossParameter != nil }
        let names = Set(laws.map(\.name))
        guard let f = fits.last(where: { names.contains($0.law) && $0.holdout == nil }) ?? fits.last(where: { names.contains($0.law) }),
              let law = laws.first(where: { $0.name == f.law }),
              let p = f.parameters.first(where: { $0.name == law.irreducibleLossParameter }) else { return nil }
        return .init(law: law.title, parameter: p)
    }

    /// The N the plots use: the latest fit's choice among the laws that set it (Chinchilla: its
    /// stored `--params`), else total parameters, the fits' default, so fitted surfaces and points
    /// share one x axis.
    static func paramCount(_ fits: [FitRecord]) -> ParamCount {
        let setters = Set(LawRegistry.standard.laws.filter(\.setsReportParameterCount).map(\.name))
        guard let f = fits.last(where: { setters.contains($0.law) }) else { return .total }
        return ParamCount(rawValue: StoredFit(record: f).selection.params) ?? .total
    }

    /// Up to `maxBins` contiguous groups of `values` (see `ReportContext.logBins`).
    static func logBins(_ values: [Double], maxBins: Int = 5) -> [(range: ClosedRange<Double>, fixed: Double, members: [Int])] {
        ReportContext.logBins(values, maxBins: maxBins)
    }

    /// What the report draws from the stored fits: each law's curves (`LawDefinition.reportCurves`),
    /// and the predictions of held-out runs of the latest `--holdout` fit of any law.
    static func curves(_ store: StoreReader, runs: [RunRecord], fits records: [FitRecord], count: ParamCount = .total) throws -> FitCurves {
        let registry = LawRegistry.standard
        let fits = records.map(registry.storedFit(from:))
        let context = ReportContext(runs: runs, paramCount: count.of, steps: store.steps, evals: store.evals,
                                    points: { try points(store, of: $0) })
        var c = try registry.reportCurves(fits, context)
        if let f = fits.last(where: { $0.holdoutKind != nil }), let h = f.annotations["holdout"], let kind = h["kind"]?.string {
            let points = (h["runs"]?.array ?? []).compactMap { r -> (label: String, measured: Double, predicted: Double)? in
                guard let l = r["loss"]?.double, let p = r["predicted"]?.double, let n = r["N"]?.double, let d = r["D"]?.double
                else { return nil }
                return ("N \(formatNumber(n)) D \(formatNumber(d))", l, p)
            }
            c.holdout = .init(kind: kind, points: points)
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
