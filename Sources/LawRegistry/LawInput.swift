import Fit
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
        case .lossCurves: return [.curve, .checkCurve, .checkRun, .fromStep, .objective, .loss, .trainWindows]
        }
    }

    /// Whether several laws of this kind can be fitted on the same data and compared in one table.
    public var comparable: Bool { self == .lossCurves }
}

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

/// (N, D, loss) observations; `level` is the compute budget each was trained at (nil: unknown).
public struct SizePoints: Sendable {
    public var n: [Double]
    public var d: [Double]
    public var loss: [Double]
    public var level: [Double?]

    public init(n: [Double], d: [Double], loss: [Double], level: [Double?]) {
        self.n = n
        self.d = d
        self.loss = loss
        self.level = level
    }

    /// The largest N, D and C = 6ND seen (what predictions extrapolate from).
    public var range: [(String, Double)] {
        [("N_max", n.max() ?? .nan), ("D_max", d.max() ?? .nan),
         ("C_max", zip(n, d).map { 6 * $0 * $1 }.max() ?? .nan)]
    }
}

/// (loss, downstream error) pairs; `unit` labels each pair's resampling unit (its run).
public struct LossErrorPairs: Sendable {
    public var loss: [Double]
    public var error: [Double]
    public var unit: [Int]

    public init(loss: [Double], error: [Double], unit: [Int]) {
        self.loss = loss
        self.error = error
        self.unit = unit
    }
}

/// A law was handed data of another kind (a registry or command bug, not bad input).
public struct WrongLawInput: Error, CustomStringConvertible {
    public let law: String
    public let expected: LawInput
    public init(law: String, expected: LawInput) { self.law = law; self.expected = expected }
    public var description: String { "the \(law) law is fitted on \(expected.rawValue) data" }
}
