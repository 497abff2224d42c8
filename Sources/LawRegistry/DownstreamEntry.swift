import Fit
import Foundation
import Laws
import Report

/// Loss to downstream error, Gadre et al. 2024 (Eq. 5): Err(L) = eps - k exp(-gamma L), least
/// squares; the bootstrap resamples whole runs (the evaluations of one run are one trajectory).
/// Predicts the error at a loss; the report draws the pairs and the fitted curve.
public struct DownstreamEntry: LawDefinition {
    /// Nothing beyond the common fields.
    public struct Stored: Codable, Sendable {}

    public init() {}

    public let name = "downstream"
    public let summary = "Gadre et al. 2024: Err(L) = eps - k exp(-gamma L)"
    public let queryHelp = "--loss L for the top-1 error"
    public let input = LawInput.lossErrorPairs
    public let fitFlags: Set<FitFlag> = [.starts]
    public let thetaCount = 3
    public let queries: [Set<QueryFlag>] = [[.loss]]

    public func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .lossErrorPairs(let pairs) = data else { throw WrongLawInput(law: name, expected: input) }
        var options = settings.fitOptions
        options.starts = settings.startSubset(DownstreamLaw().startGrid())
        var fit = try PointLawFit.fit(DownstreamLaw(), named: name,
                                      Dataset(x: pairs.loss.map { [$0] }, y: pairs.error, groups: pairs.unit), options: options,
                                      targets: "errors", lowR2Hint: " (errors near chance do not change with loss yet)")
        try fit.setLawForm(Stored())
        fit.recordRange([("loss_min", pairs.loss.min() ?? .nan), ("loss_max", pairs.loss.max() ?? .nan)])
        return fit
    }

    public func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        guard let loss = query.loss else { throw LawError("downstream fits predict from --loss L") }
        return .values([("error", DownstreamLaw().predict(theta, [loss]))])
    }

    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into c: inout FitCurves) throws {
        guard let f = fits.last, f.theta.count == thetaCount else { return }
        var pts: [PlotPoint] = []
        if f.importedSource != nil {
            pts = try context.points(f).compactMap { p in p.downstreamError.map { PlotPoint(p.loss, $0) } }
            c.dataNotes["downstream"] = "Data: imported (loss, downstream_error) pairs of \(f.describedSource); curve: fit \(f.id ?? 0)."
        } else {
            for r in context.finished {
                for e in try context.evals(r.id!) {
                    if let v = e.valLoss, let d = e.downstreamError { pts.append(PlotPoint(v, d)) }
                }
            }
        }
        let law = DownstreamLaw()
        if let lo = pts.map(\.x).min(), let hi = pts.map(\.x).max() {
            let fitted = (0...50).map { i -> PlotPoint in
                let l = lo + (hi - lo) * Double(i) / 50
                return PlotPoint(l, law.predict(f.theta, [l]))
            }
            c.downstream = .init(points: pts, fitted: fitted)
        }
    }
}
