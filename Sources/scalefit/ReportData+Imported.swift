import Fit
import Foundation
import Laws
import Report
import Store

/// The report's view of fits of imported data: which points a fit used (its stored selection),
/// the fitted surface over them, and curve files a fit read.
extension ReportData {
    /// The data selection stored with a fit (source, where, runs, curves).
    static func selection(_ f: FitRecord) -> JSONText.Value? { try? JSONText.parse(f.selection) }

    /// The imported source a fit used, if it was fitted on imported points.
    static func importedSource(_ f: FitRecord) -> String? { selection(f)?["source"]?.string }

    /// "source 'S' where P": what a fit's imported points are, for captions.
    static func describe(_ f: FitRecord) -> String {
        let sel = selection(f)
        var s = "source '\(sel?["source"]?.string ?? "?")'"
        if let w = sel?["where"]?.string { s += " where \(w)" }
        return s
    }

    /// The points a fit of imported data used: its source and `--where` as stored. A predicate
    /// that no longer runs (it was checked when the fit was made) falls back to the whole source.
    static func points(_ store: StoreReader, of f: FitRecord) throws -> [PointRecord] {
        guard let source = importedSource(f) else { return [] }
        let predicate = selection(f)?["where"]?.string
        if let pts = try? store.points(source: source, where: predicate) { return pts }
        return try store.points(source: source)
    }

    /// The Chinchilla surface of fit `f` over the imported (N, D, loss) points it was fitted on.
    static func importedSurface(_ store: StoreReader, fit f: FitRecord) throws -> ImportedSurface? {
        let th = theta(f)
        guard th.count == 5 else { return nil }
        let pts = try points(store, of: f).filter { $0.n != nil && $0.d != nil }
        guard !pts.isEmpty else { return nil }
        let law = ChinchillaLaw()
        let points = pts.map { ImportedSurface.Point(n: $0.n!, d: $0.d!, loss: $0.loss, predicted: law.predict(th, [$0.n!, $0.d!])) }
        let ns = points.map(\.n), ds = points.map(\.d)
        func binned(_ keys: [Double], over: FitCurves.SurfaceSlice.Over) -> [ImportedSurface.Bin] {
            let xs = over == .params ? ns : ds
            let grid = logGrid(xs.min()! / 2, xs.max()! * 10, intervals: 60)
            return logBins(keys).map { b in
                let slice = grid.map { x in PlotPoint(x, law.predict(th, over == .params ? [x, b.fixed] : [b.fixed, x])) }
                return ImportedSurface.Bin(range: b.range, fixed: b.fixed, members: b.members,
                                           slice: .init(over: over, fixed: b.fixed, points: slice, extrapolatesBeyond: xs.max()))
            }
        }
        return ImportedSurface(data: describe(f), fit: "fit \(f.id ?? 0)", points: points,
                               byTokens: binned(ds, over: .params), byParams: binned(ns, over: .tokens))
    }

    /// Up to `maxBins` groups of `values` (indices), contiguous in sorted order and as equal in
    /// size as possible; one group per distinct value when there are few. `fixed` is the group's
    /// geometric mean.
    static func logBins(_ values: [Double], maxBins: Int = 5) -> [(range: ClosedRange<Double>, fixed: Double, members: [Int])] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var distinct: [[Int]] = []
        for i in order {
            if let last = distinct.last?.first, abs(values[last] - values[i]) <= 1e-9 * values[i] {
                distinct[distinct.count - 1].append(i)
            } else {
                distinct.append([i])
            }
        }
        var groups: [[Int]] = []
        if distinct.count <= maxBins {
            groups = distinct
        } else {
            // Whole distinct values per group, cut where the running count passes k/maxBins of the points.
            var current: [Int] = []
            var done = 0
            for d in distinct {
                current += d
                done += d.count
                if done * maxBins >= (groups.count + 1) * values.count { groups.append(current); current = [] }
            }
            if !current.isEmpty { groups.append(current) }
        }
        return groups.map { g in
            let vs = g.map { values[$0] }
            let mean = exp(vs.map { Foundation.log($0) }.reduce(0, +) / Double(vs.count))
            return (vs.min()!...vs.max()!, mean, g)
        }
    }

    /// Annealing curves of a fit that read curve files (`fit --curve FILE`): each file that is
    /// still where it was, against the fit's prediction for the file's own rates.
    static func fileCurves(_ f: FitRecord, law: AnnealingLaw, fromStep: Int) -> [FitCurves.AnnealingCurve] {
        let files = (selection(f)?["curves"]?.array ?? []).compactMap(\.string)
        return files.compactMap { path -> FitCurves.AnnealingCurve? in
            guard let curve = try? LossCurve.read(path: path), curve.lastStep > 0 else { return nil }
            let predicted = law.predictCurve(theta(f), lrs: curve.denseLRs(totalSteps: curve.lastStep))
            let rows = curve.steps.indices.filter { curve.steps[$0] >= max(1, fromStep) }
            let stride = max(1, rows.count / 150)
            let picked = Swift.stride(from: 0, to: rows.count, by: stride).map { rows[$0] }
            return FitCurves.AnnealingCurve(schedule: (path as NSString).lastPathComponent,
                                            actual: picked.map { PlotPoint(Double(curve.steps[$0]), curve.losses[$0]) },
                                            predicted: picked.map { PlotPoint(Double(curve.steps[$0]), predicted[curve.steps[$0] - 1]) },
                                            heldOut: false)
        }
    }
}
