import Foundation
import Store

/// Which data a fit used, recorded so it can be reproduced (and so the report finds the data again).
public struct FitSelection: Codable, Sendable, Equatable {
    public var source: String?
    public var predicate: String?
    public var sweep: Int64?
    public var runs: [Int64] = []
    public var curves: [String] = []
    /// How runs' N was counted: "total" or "nonembedding".
    public var params = "total"

    public init(source: String? = nil, predicate: String? = nil, sweep: Int64? = nil, runs: [Int64] = [],
                curves: [String] = [], params: String = "total") {
        self.source = source
        self.predicate = predicate
        self.sweep = sweep
        self.runs = runs
        self.curves = curves
        self.params = params
    }

    enum CodingKeys: String, CodingKey {
        case source, predicate = "where", sweep, runs, curves, params
    }

    /// Tolerant: every key may be missing (rows of earlier versions, hand-written rows).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try? c.decodeIfPresent(String.self, forKey: .source)
        predicate = try? c.decodeIfPresent(String.self, forKey: .predicate)
        sweep = try? c.decodeIfPresent(Int64.self, forKey: .sweep)
        runs = (try? c.decodeIfPresent([Int64].self, forKey: .runs)) ?? []
        curves = (try? c.decodeIfPresent([String].self, forKey: .curves)) ?? []
        params = (try? c.decodeIfPresent(String.self, forKey: .params)) ?? "total"
    }

    /// The stored JSON object (keys only for what was given, as the `fits.selection` column holds it).
    public var json: JSONText.Value {
        var o: [(String, JSONText.Value)] = []
        if let source { o.append(("source", .string(source))) }
        if let predicate { o.append(("where", .string(predicate))) }
        if let sweep { o.append(("sweep", .int(sweep))) }
        if !runs.isEmpty { o.append(("runs", .array(runs.map { .int($0) }))) }
        if !curves.isEmpty { o.append(("curves", .array(curves.map { .string($0) }))) }
        o.append(("params", .string(params)))
        return .object(o)
    }
}
