import Fit
import Foundation

/// The data of one fit, of the kind its law takes.
public enum LawData: Sendable {
    case sizePoints(SizePoints)
    case lossErrorPairs(LossErrorPairs)
    case lossCurves([LossCurve])

    public var kind: LawInput {
        switch self {
        case .sizePoints: return .sizePoints
        case .lossErrorPairs: return .lossErrorPairs
        case .lossCurves: return .lossCurves
        }
    }
}
