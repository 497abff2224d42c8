import ArgumentParser
import Foundation
import Store

/// Which runs `fit --holdout` leaves out of the fit to predict them afterwards.
enum HoldoutKind: String, ExpressibleByArgument, CaseIterable {
    /// The largest model size (every budget of it): extrapolation in N.
    case size
    /// Each size's longest budget (sizes trained at one budget only are left in): extrapolation in D.
    case tokens

    /// Which observations are held out.
    func heldOut(_ o: SizeObservations) -> [Bool] {
        switch self {
        case .size:
            let largest = o.n.max() ?? 0
            return o.n.map { $0 == largest }
        case .tokens:
            var longest: [Double: Double] = [:], budgets: [Double: Set<Double>] = [:]
            for i in o.n.indices {
                longest[o.n[i]] = max(longest[o.n[i]] ?? 0, o.d[i])
                budgets[o.n[i], default: []].insert(o.d[i])
            }
            return o.n.indices.map { budgets[o.n[$0]]!.count > 1 && o.d[$0] == longest[o.n[$0]] }
        }
    }
}

/// A size-law fit's predictions of the runs it was not fitted on ("predicted before it was
/// trained"), against their measured final losses.
struct HoldoutResult {
    struct Point {
        var runID: Int64?
        var n: Double
        var d: Double
        var loss: Double
        var predicted: Double
        var relError: Double { abs(predicted - loss) / loss }
    }

    var kind: HoldoutKind
    var points: [Point]

    var meanRelError: Double { points.map(\.relError).reduce(0, +) / Double(max(points.count, 1)) }
    var maxRelError: Double { points.map(\.relError).max() ?? .nan }

    var json: JSONText.Value {
        .object([
            ("kind", .string(kind.rawValue)), ("points", .int(Int64(points.count))),
            ("max_rel_error", .number(maxRelError)), ("mean_rel_error", .number(meanRelError)),
            ("runs", .array(points.map { p in
                .object([("run_id", p.runID.map { .int($0) } ?? .null), ("N", .number(p.n)), ("D", .number(p.d)),
                         ("loss", .number(p.loss)), ("predicted", .number(p.predicted)),
                         ("rel_error", .number(p.relError))])
            })),
        ])
    }

    /// The table output's lines.
    var lines: [String] {
        let what = kind == .size ? "the largest size" : "each size's longest budget"
        var out = [String(format: "  holdout (%@): fitted without %@; on its %d runs mean |error| %.3f%%, max %.3f%%",
                          kind.rawValue, what, points.count, 100 * meanRelError, 100 * maxRelError)]
        for p in points {
            out.append(String(format: "    %@N %@ D %@: measured %.4f, predicted %.4f (%+.3f%%)",
                              p.runID.map { "run \($0) " } ?? "", formatNumber(p.n), formatNumber(p.d), p.loss,
                              p.predicted, 100 * (p.predicted - p.loss) / p.loss))
        }
        return out
    }
}
