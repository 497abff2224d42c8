import Fit
import Foundation
import Laws

/// Over-training, Gadre et al. 2024 (Eq. 4): L(N, M) = E + a N^p + b 6^(p/2) (M N)^p with M = D/N,
/// least squares as the paper's code fits it (`OvertrainLaw`). Predicts the loss at (N, D), (N, M)
/// or (C, M).
public struct OvertrainEntry: LawDefinition {
    /// Nothing beyond the common fields.
    public struct Stored: Codable, Sendable {}

    public init() {}

    public let name = "overtrain"
    public let summary = "Gadre et al. 2024: L(N,M) = E + a N^p + b 6^(p/2) (M N)^p, M = D/N, C = 6ND"
    public let queryHelp = "--N --D, --N --M or --compute --M for the loss"
    public let input = LawInput.sizePoints
    public let fitFlags: Set<FitFlag> = [.starts, .holdout, .lr]
    public let thetaCount = 4
    public let queries: [Set<QueryFlag>] = [[.N, .D], [.N, .M], [.compute, .M]]

    public func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .sizePoints(let points) = data else { throw WrongLawInput(law: name, expected: input) }
        var options = settings.fitOptions
        options.starts = settings.startSubset(OvertrainLaw().startGrid())
        let x = points.n.indices.map { OvertrainLaw.inputs(N: points.n[$0], D: points.d[$0]) }
        var fit = try PointLawFit.fit(OvertrainLaw(), named: name, Dataset(x: x, y: points.loss), options: options)
        try fit.setLawForm(Stored())
        fit.recordRange(points.range)
        return fit
    }

    public func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        if let n = query.n, let d = query.tokens { return .values([("loss", OvertrainLaw().predict(theta, N: n, D: d))]) }
        guard let c = query.compute, let m = query.m else {
            throw LawError("overtrain fits predict from --N with --D or --M, or --compute with --M")
        }
        return .values([("loss", OvertrainLaw().predict(theta, C: c, M: m))])
    }
}
