import Foundation

/// The units of the rates inside a Multi-Power Law fit, and what its priors are centred on.
extension MultiPowerFit {
    /// Centres of the priors: C 2, beta 0.6, gamma 0.6, the values Luo et al. report for all three
    /// model sizes of their runs, whose peak rate is `referencePeak`. The fit rescales the rates so
    /// that the fitted curves' peak is this reference (`RateUnits.reference`), so the priors say the
    /// same for a run at peak 6e-4 as for one at 3e-3.
    enum Prior {
        static let c = 2.0
        static let beta = 0.6
        static let gamma = 0.6
        static let referencePeak = 3e-4
    }

    /// What a rate of 1 means inside the fit (docs/curve-laws.md measures all three).
    public enum RateUnits: String, Sendable {
        /// The fitted curves' peak is `Prior.referencePeak` (the default).
        case reference
        /// The fitted curves' peak is 1 (the prior on C at C' = 2 * 3e-4^0.4).
        case peak
        /// The rates as given (priors in absolute units: not scale-free).
        case absolute
    }

    /// Rates divided by a unit u: with eta' = eta / u and S' = S / u the law is unchanged when
    /// A = A' u^alpha, B = B' / u and C = C' u^(gamma - 1).
    struct Scale {
        let unit: Double
        /// Parameters for rates in absolute units from parameters for rates in units of `unit`.
        func absolute(_ r: [Double]) -> [Double] {
            [r[0], r[1] * Foundation.pow(unit, r[2]), r[2], r[3] / unit, r[4] * Foundation.pow(unit, r[6] - 1), r[5], r[6]]
        }
    }
}
