/// Which fitted parameters the data do not pin down, judged from their bootstrap intervals.
///
/// A 95% interval that spans more than a factor 10 for a positive scale parameter (E, A, B, a
/// prefactor), or that contains zero for an exponent (alpha, beta, a rate), says the data are
/// consistent with values that mean a different law: such a parameter is reported as "not identified
/// by these data" rather than as a number with decimals. A parameter whose interval was withheld (see
/// `BootstrapSamples.intervals`) is not judged here: its own note already says why.
public enum Identification {
    /// Exponent-like parameter names of the project's laws (their sign matters, their scale does not).
    public static let exponents: Set<String> = ["alpha", "beta", "a", "b", "p", "eta", "gamma"]
    /// Parameters judged by neither rule (lambda of the annealing law lives in (0, 1)).
    public static let unjudged: Set<String> = ["lambda"]
    /// A scale parameter's interval may span at most this factor.
    public static let maxScaleFactor = 10.0

    /// Names of the parameters not identified, in `names` order.
    public static func unidentified(names: [String], intervals: [ClosedRange<Double>?]) -> [String] {
        zip(names, intervals).compactMap { name, iv in
            guard let iv, !unjudged.contains(name) else { return nil }
            if exponents.contains(name) { return iv.lowerBound <= 0 && iv.upperBound >= 0 ? name : nil }
            return iv.lowerBound <= 0 || iv.upperBound / iv.lowerBound > maxScaleFactor ? name : nil
        }
    }

    /// One note per unidentified parameter.
    public static func notes(names: [String], intervals: [ClosedRange<Double>?]) -> [String] {
        let ivs = Dictionary(zip(names, intervals).compactMap { n, iv in iv.map { (n, $0) } }, uniquingKeysWith: { a, _ in a })
        return unidentified(names: names, intervals: intervals).map { name in
            let iv = ivs[name]!
            let why = exponents.contains(name) ? "its 95% interval contains 0"
                : "its 95% interval spans more than a factor \(Int(maxScaleFactor))"
            return "\(name) not identified by these data (\(why): [\(fmt(iv.lowerBound)), \(fmt(iv.upperBound))])"
        }
    }

    static func fmt(_ v: Double) -> String { String(format: "%.3g", v) }
}
