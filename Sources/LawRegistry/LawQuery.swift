import Foundation

/// The `predict` options a law may predict from; each law lists the sets it accepts
/// (`LawDefinition.queries`) and any other set is refused.
public enum QueryFlag: String, CaseIterable, Sendable, Hashable {
    case N = "--N", D = "--D", M = "--M", compute = "--compute", loss = "--loss"
    case schedule = "--schedule", steps = "--steps", lr = "--lr", lrFile = "--lr-file", likeRun = "--like-run"

    /// Options that describe a schedule: the command turns them into per-step rates (`LawQuery.lrs`).
    public static let scheduleFlags: Set<QueryFlag> = [.schedule, .lrFile, .likeRun]

    /// The option sets of laws that predict a whole loss curve.
    public static let curveQueries: [Set<QueryFlag>] = [
        [.schedule], [.schedule, .steps], [.schedule, .lr], [.schedule, .steps, .lr],
        [.lrFile], [.lrFile, .steps], [.likeRun], [.likeRun, .steps],
    ]
}

/// What `predict` asks a law: the values given, and for a schedule its per-step rates.
public struct LawQuery: Sendable {
    public var n: Double?
    public var d: Double?
    public var m: Double?
    public var compute: Double?
    public var loss: Double?
    /// `lrs[t]`: the rate of 0-based step t of the schedule to predict.
    public var lrs: [Double]?

    public init(n: Double? = nil, d: Double? = nil, m: Double? = nil, compute: Double? = nil, loss: Double? = nil,
                lrs: [Double]? = nil) {
        self.n = n
        self.d = d
        self.m = m
        self.compute = compute
        self.loss = loss
        self.lrs = lrs
    }

    /// D, given directly or as M * N.
    public var tokens: Double? { d ?? m.flatMap { m in n.map { m * $0 } } }
}

/// A law's answer to a query.
public enum LawPrediction: Sendable {
    /// Named quantities (loss, N_opt, error, ...), in the order printed.
    case values([(String, Double)])
    /// The loss after each update 1...lrs.count of the queried schedule.
    case curve([Double])

    public var values: [(String, Double)] {
        if case .values(let v) = self { return v }
        return []
    }

    public var curve: [Double] {
        if case .curve(let c) = self { return c }
        return []
    }
}

/// A query the law cannot answer from what it was given (shown as `error: ...`).
public struct LawQueryError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
