import Foundation
import Validation

/// Shape of a decay segment: how the learning rate goes from peak to floor as progress q runs 0 -> 1.
public enum DecayShape: String, Codable, Sendable, CaseIterable {
    case linear
    case cosine
    /// 1 - sqrt(q): the shape MiniCPM and Hägele et al. (2024) found best for WSD cooldowns.
    case oneMinusSqrt = "1-sqrt"

    /// Fraction of (peak - floor) left at progress q in [0, 1].
    @inlinable
    public func factor(_ q: Double) -> Double {
        let q = min(max(q, 0), 1)
        switch self {
        case .linear: return 1 - q
        case .cosine: return 0.5 * (1 + cos(Double.pi * q))
        case .oneMinusSqrt: return 1 - q.squareRoot()
        }
    }
}

/// The family of a learning-rate schedule. Every family starts with a linear warmup.
public enum ScheduleKind: String, Codable, Sendable, CaseIterable {
    case constant, cosine, linear, wsd
}

/// A learning-rate schedule over a fixed number of optimizer steps.
///
/// Convention (used by the trainer and by the annealing law alike): `lr(at: s)` is the rate used
/// for the update at step `s`, `s` in `0..<totalSteps`. Warmup is linear from `peak/warmup` at
/// step 0 to `peak` at step `warmup-1`. Decays reach `floor` exactly at the last step.
public struct LRSchedule: Codable, Sendable, Equatable {
    public var kind: ScheduleKind
    public var peak: Double
    public var totalSteps: Int
    public var warmupSteps: Int
    /// Final learning rate as a fraction of `peak` (cosine, linear, wsd).
    public var floorFraction: Double
    /// WSD only: fraction of `totalSteps` spent in the final decay.
    public var decayFraction: Double
    /// WSD only: the decay's shape (cosine and linear families use their own shape).
    public var decayShape: DecayShape

    public init(kind: ScheduleKind, peak: Double, totalSteps: Int, warmupSteps: Int = 0,
                floorFraction: Double = 0.0, decayFraction: Double = 0.2,
                decayShape: DecayShape = .linear) {
        self.kind = kind
        self.peak = peak
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
        self.floorFraction = floorFraction
        self.decayFraction = decayFraction
        self.decayShape = decayShape
    }

    public var floor: Double { peak * floorFraction }

    /// First step of the WSD decay phase.
    public var decayStart: Int {
        let decaySteps = Int((decayFraction * Double(totalSteps)).rounded())
        return max(warmupSteps, totalSteps - decaySteps)
    }

    /// Checks the values a user can get wrong; the message names the field.
    public func validate() throws {
        func bad(_ s: String) -> ScheduleError { ScheduleError.invalid(s) }
        guard peak.isFinite, peak > 0 else { throw bad("learning rate must be > 0 (got \(peak))") }
        guard totalSteps > 0 else { throw bad("steps must be > 0 (got \(totalSteps))") }
        guard totalSteps <= InputLimits.maxSteps else {
            throw bad("steps must be <= \(InputLimits.maxSteps), the cap on a schedule's length (got \(totalSteps))")
        }
        guard warmupSteps >= 0, warmupSteps <= totalSteps else {
            throw bad("warmup must be in 0...steps (got \(warmupSteps))")
        }
        guard floorFraction >= 0, floorFraction <= 1 else {
            throw bad("floor must be a fraction of the peak in [0, 1] (got \(floorFraction))")
        }
        guard decayFraction >= 0, decayFraction <= 1 else {
            throw bad("decay must be a fraction of the steps in [0, 1] (got \(decayFraction))")
        }
    }

    /// Learning rate for the update at step `s` (0-based).
    public func lr(at s: Int) -> Double {
        if s < warmupSteps { return peak * Double(s + 1) / Double(warmupSteps) }
        switch kind {
        case .constant:
            return peak
        case .cosine, .linear:
            let span = totalSteps - warmupSteps
            let q = span <= 1 ? 1.0 : Double(s - warmupSteps) / Double(span - 1)
            let shape: DecayShape = kind == .cosine ? .cosine : .linear
            return floor + (peak - floor) * shape.factor(q)
        case .wsd:
            let start = decayStart
            if s < start { return peak }
            let span = totalSteps - start
            let q = Double(s - start + 1) / Double(max(span, 1))
            return floor + (peak - floor) * decayShape.factor(q)
        }
    }

    /// The whole schedule, one rate per step.
    public func rates() -> [Double] { (0..<totalSteps).map { lr(at: $0) } }
}

public enum ScheduleError: Error, CustomStringConvertible, Equatable {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let s): return s }
    }
}

extension LRSchedule {
    /// Parses a schedule spec such as `cosine`, `wsd:warmup=100,decay=0.2,shape=1-sqrt,floor=0.1`
    /// or `constant:warmup=50`. `peak` and `totalSteps` come from the caller; the spec may also
    /// override them with `lr=` and `steps=`.
    public static func parse(_ spec: String, peak: Double, totalSteps: Int) throws -> LRSchedule {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kindName = parts.first?.trimmingCharacters(in: .whitespaces),
              let kind = ScheduleKind(rawValue: kindName.lowercased()) else {
            throw ScheduleError.invalid(
                "unknown schedule '\(spec)' (expected one of: \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var s = LRSchedule(kind: kind, peak: peak, totalSteps: totalSteps)
        if parts.count == 2 || spec.hasSuffix(":") {
            // `cosine:`, `cosine:,` and a key given twice (`warmup=1,warmup=2`, or `lr=` with `peak=`) are
            // typos: the defaults or the last value would be taken without a word.
            var seen = Set<String>()
            for item in (parts.count == 2 ? parts[1] : "").split(separator: ",", omittingEmptySubsequences: false) {
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                    throw ScheduleError.invalid("schedule '\(InputEcho.shown(spec))': option '\(InputEcho.shown(item))' is not key=value")
                }
                let (k, v) = (kv[0], kv[1])
                guard seen.insert(k == "peak" ? "lr" : k).inserted else {
                    throw ScheduleError.invalid("schedule '\(InputEcho.shown(spec))' sets \(k == "peak" || k == "lr" ? "the peak (lr= or peak=)" : k) twice")
                }
                func num() throws -> Double {
                    guard let d = InputNumber.parse(v) else {
                        throw ScheduleError.invalid("schedule option \(k)='\(InputEcho.shown(v))' is not a number")
                    }
                    return d
                }
                // Step counts must be whole and in range: `Int(1e30)` or `Int(1.5)` would trap or truncate.
                func whole() throws -> Int {
                    let d = try num()
                    guard d == d.rounded(), abs(d) <= 1e15 else {
                        throw ScheduleError.invalid("schedule option \(k)='\(InputEcho.shown(v))' is not a whole number of steps")
                    }
                    return Int(d)
                }
                switch k {
                case "warmup": s.warmupSteps = try whole()
                case "decay": s.decayFraction = try num()
                case "floor": s.floorFraction = try num()
                case "lr", "peak": s.peak = try num()
                case "steps": s.totalSteps = try whole()
                case "shape":
                    guard let sh = DecayShape(rawValue: v) else {
                        throw ScheduleError.invalid("unknown decay shape '\(v)' (expected linear, cosine or 1-sqrt)")
                    }
                    s.decayShape = sh
                default:
                    throw ScheduleError.invalid("unknown schedule option '\(k)' (expected warmup, decay, floor, shape, lr, steps)")
                }
            }
        }
        try s.validate()
        // A spec comes from a user (a flag, a sweep file, predict): a rate no optimiser trains at is a typo.
        // (`validate` leaves it to code that builds a schedule on purpose, e.g. to force a divergence.)
        guard s.peak <= InputLimits.maxLearningRate else {
            throw ScheduleError.invalid("learning rate must be <= \(InputEcho.shown(InputLimits.maxLearningRate)) (got \(s.peak)): no optimiser trains at it")
        }
        return s
    }

    /// A canonical spec string that `parse` reads back to the same schedule.
    public var spec: String {
        var opts = ["warmup=\(warmupSteps)", "floor=\(floorFraction)"]
        if kind == .wsd { opts += ["decay=\(decayFraction)", "shape=\(decayShape.rawValue)"] }
        return "\(kind.rawValue):" + opts.joined(separator: ",")
    }
}
