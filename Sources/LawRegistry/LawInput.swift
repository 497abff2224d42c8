import Foundation

/// The kinds of data a law is fitted on. The command loads each kind one way (runs or imported
/// points, evaluations, curves), so a new law names the kind it takes and needs no loader.
public enum LawInput: String, Sendable, CaseIterable {
    /// (N, D, loss) per run or imported point, with the compute level it was trained at.
    case sizePoints
    /// (validation loss, downstream error) per evaluation or imported point.
    case lossErrorPairs
    /// Whole loss curves with the LR of every step (`--run`, `--curve`).
    case lossCurves

    /// How a fit of this kind is called in messages ("curve-law fits").
    public var label: String {
        switch self {
        case .sizePoints: return "size-law"
        case .lossErrorPairs: return "loss-to-error"
        case .lossCurves: return "curve-law"
        }
    }

    /// Where this kind of data comes from, for messages refusing a data option.
    public var dataHint: String {
        switch self {
        case .sizePoints: return "they fit runs or --source points"
        case .lossErrorPairs: return "they fit evaluations of runs or --source points"
        case .lossCurves: return "they fit --run ID or --curve FILE"
        }
    }

    /// `fit` options that select this kind of data.
    public var flags: Set<FitFlag> {
        switch self {
        case .sizePoints: return [.source, .predicate, .sweep, .params]
        case .lossErrorPairs: return [.source, .predicate, .sweep]
        case .lossCurves: return [.curve, .checkCurve, .checkRun, .fromStep, .objective, .loss, .trainWindows, .curveLR, .stepCol,
                                  .lrCol, .lossCol]
        }
    }

    /// Whether several laws of this kind can be fitted on the same data and compared in one table.
    public var comparable: Bool { self == .lossCurves }
}
