import Foundation

/// e^u with u capped at `CappedExp.cap`, and the derivative of exactly that function.
///
/// Why: the laws' power terms (S1^-alpha, exp(-gamma L), N^p) are exponentials of a trial
/// parameter times a log input, and an absurd trial step of the solver would overflow them to inf,
/// which poisons a whole Jacobian. Capping the exponent keeps them finite (the solver then rejects
/// the step), but the capped function is flat beyond the cap: its derivative there is 0, not e^u.
/// A Jacobian that kept e^u beyond the cap would point the solver along a slope the objective
/// does not have. At u = cap exactly the derivative from below (e^cap) is used.
public enum CappedExp {
    /// exp(700) ~ 1e304 is still finite in Double (overflow starts above 709.78).
    public static let cap = 700.0

    /// (e^min(u, cap), d/du of it): e^u and e^u below or at the cap, e^cap and 0 beyond it.
    @inline(__always)
    public static func eval(_ u: Double) -> (value: Double, slope: Double) {
        if u > cap { return (Foundation.exp(cap), 0) }
        let v = Foundation.exp(u)
        return (v, v)
    }
}
