import Foundation
import Laws
import Report
import Store

/// The data of the report's Chinchilla figure set (`ReportBuilder.chinchillaFigurePlots`) from one
/// fit of runs: every run with its prediction, the compute-optimal frontier and path (Hoffmann et
/// al. 2022, Eq. 4, `ComputeOptimal`), iso-loss contours of Eq. 2 solved for D, and the surface
/// along each IsoFLOP budget.
extension ChinchillaEntry {
    /// Contour levels drawn: evenly spaced in log between the lowest and highest measured loss.
    static let contourLevels = 6

    func figures(_ f: StoredFit, finished: [RunRecord], paramCount: (RunRecord) -> Double) -> ChinchillaFigures? {
        guard !finished.isEmpty, f.theta.count == thetaCount else { return nil }
        let law = ChinchillaLaw()
        let th = f.theta
        let runs = finished.map { r -> ChinchillaFigures.RunPoint in
            let n = paramCount(r), d = Double(r.tokensDone)
            return .init(label: "\(r.nLayer)x\(r.dModel) D=\(r.tokensDone)", params: n, tokens: d, computeLevel: r.computeLevel,
                         measured: r.finalValLoss!, predicted: law.predict(th, [n, d]))
        }
        let surface = ComputeOptimal(reported: law.reported(th))
        let ns = runs.map(\.params), ds = runs.map(\.tokens), cs = runs.map(\.compute)
        let nRange = (ns.min()! / 4)...(ns.max()! * 16), dRange = (ds.min()! / 16)...(ds.max()! * 16)
        let allocations = ReportContext.logGrid(cs.min()! / 2, cs.max()! * 100, intervals: 60)
            .map(surface.allocation(compute:)).filter { $0.loss.isFinite && $0.N.isFinite && $0.D.isFinite }
        return ChinchillaFigures(
            fit: "fit \(f.id ?? 0)", runs: runs,
            frontier: allocations.map { PlotPoint($0.compute, $0.loss) },
            optimalPath: allocations.filter { nRange.contains($0.N) && dRange.contains($0.D) }.map { PlotPoint($0.N, $0.D) },
            contours: contours(surface, losses: runs.map(\.measured), nRange: nRange, dRange: dRange),
            isoflop: isoflopSlices(runs, th))
    }

    /// Iso-loss lines: for each level L, D(N) = (B / (L - E - A/N^alpha))^(1/beta) where L - E - A/N^alpha > 0.
    func contours(_ s: ComputeOptimal, losses: [Double], nRange: ClosedRange<Double>, dRange: ClosedRange<Double>)
        -> [ChinchillaFigures.Contour] {
        guard let lo = losses.min(), let hi = losses.max(), lo > 0, hi > lo else { return [] }
        let k = Self.contourLevels
        return (0..<k).compactMap { i in
            let level = lo * pow(hi / lo, (Double(i) + 0.5) / Double(k))
            let points = ReportContext.logGrid(nRange.lowerBound, nRange.upperBound, intervals: 80).compactMap { n -> PlotPoint? in
                let gap = level - s.E - s.A / pow(n, s.alpha)
                guard gap > 0 else { return nil }
                let d = exp((log(s.B) - log(gap)) / s.beta)
                return d.isFinite && dRange.contains(d) ? PlotPoint(n, d) : nil
            }
            return points.count >= 2 ? .init(loss: level, points: points) : nil
        }
    }

    /// Per `[budgets] flops` level with at least two sizes: the surface along the budget, D following
    /// the level's runs (log D regressed on log N: slope -1 when N is the count the levels were planned
    /// with, close to it when the fit counts total parameters), and the curve's interior minimum.
    func isoflopSlices(_ runs: [ChinchillaFigures.RunPoint], _ th: [Double]) -> [ChinchillaFigures.IsoFLOPSlice] {
        let law = ChinchillaLaw()
        let levels = Dictionary(grouping: runs.filter { $0.computeLevel != nil }, by: { $0.computeLevel! })
        return levels.keys.sorted().compactMap { c in
            let group = levels[c]!
            let x = group.map { log($0.params) }, y = group.map { log($0.tokens) }
            let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
            let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
            guard sxx > 1e-12 else { return nil }
            let slope = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +) / sxx
            let grid = ReportContext.logGrid(exp(x.min()!) / 1.5, exp(x.max()!) * 1.5, intervals: 120)
            let points = grid.map { n in PlotPoint(n, law.predict(th, [n, exp(my + slope * (log(n) - mx))])) }
                .filter { $0.y.isFinite }
            guard points.count >= 3, let best = points.indices.min(by: { points[$0].y < points[$1].y }) else { return nil }
            let interior = best > 0 && best < points.count - 1
            return .init(compute: c, points: points, minimum: interior ? points[best] : nil)
        }
    }
}
