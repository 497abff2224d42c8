/// Which fitted parameters the data do not pin down, judged from their bootstrap intervals.
///
/// A 95% interval that spans more than a factor 10 for a positive scale parameter (E, A, B, a
/// prefactor) says the data are consistent with values that mean a different law. An exponent
/// (alpha, beta, a rate) is judged on its sign and on its relative width: an interval that contains
/// zero leaves even the direction of the effect open, and one whose ends differ by more than a factor
/// 10 (alpha in [0.07, 27.5]) leaves the law's shape open, since N^-0.07 and N^-27.5 are different
/// laws however well either fits. Such a parameter is reported as "not identified by these data"
/// rather than as a number with decimals. A parameter whose interval was withheld (see
/// `BootstrapSamples.intervals`) is not judged here: its own note already says why.
public enum Identification {
    /// Exponent-like parameter names of the project's laws (their sign matters, their scale does not).
    public static let exponents: Set<String> = ["alpha", "beta", "a", "b", "p", "eta", "gamma"]
    /// Parameters judged by neither rule (lambda of the annealing law lives in (0, 1)).
    public static let unjudged: Set<String> = ["lambda"]
    /// A scale parameter's interval, or an exponent's (by magnitude), may span at most this factor.
    public static let maxScaleFactor = 10.0

    /// Why a parameter's interval does not identify it, or nil when it does.
    public enum Reason: Equatable, Sendable {
        /// An exponent's interval contains 0.
        case containsZero
        /// The interval's ends (an exponent's by magnitude) differ by more than `maxScaleFactor`.
        case spansFactor
        /// A scale parameter's interval reaches 0 or below.
        case notPositive
    }

    /// The rule for one parameter.
    public static func reason(name: String, interval iv: ClosedRange<Double>) -> Reason? {
        if unjudged.contains(name) { return nil }
        if exponents.contains(name) {
            if iv.lowerBound <= 0 && iv.upperBound >= 0 { return .containsZero }
            let lo = min(abs(iv.lowerBound), abs(iv.upperBound)), hi = max(abs(iv.lowerBound), abs(iv.upperBound))
            return hi > maxScaleFactor * lo ? .spansFactor : nil
        }
        if iv.lowerBound <= 0 { return .notPositive }
        return iv.upperBound > maxScaleFactor * iv.lowerBound ? .spansFactor : nil
    }

    /// Names of the parameters not identified, in `names` order.
    public static func unidentified(names: [String], intervals: [ClosedRange<Double>?]) -> [String] {
        zip(names, intervals).compactMap { name, iv in
            guard let iv, reason(name: name, interval: iv) != nil else { return nil }
            return name
        }
    }

    /// One note per unidentified parameter.
    public static func notes(names: [String], intervals: [ClosedRange<Double>?]) -> [String] {
        zip(names, intervals).compactMap { name, iv in
            guard let iv, let why = reason(name: name, interval: iv) else { return nil }
            let text = switch why {
            case .containsZero: "its 95% interval contains 0"
            case .spansFactor: "its 95% interval spans more than a factor \(Int(maxScaleFactor))"
            case .notPositive: "its 95% interval reaches 0"
            }
            return "\(name) not identified by these data (\(text): [\(fmt(iv.lowerBound)), \(fmt(iv.upperBound))])"
        }
    }

    public static func fmt(_ v: Double) -> String { String(format: "%.3g", v) }
}
