import Foundation

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
