import Foundation

/// Compute-optimal allocation for the Chinchilla loss L(N, D) = E + A / N^alpha + B / D^beta under
/// the budget C = 6 N D (Hoffmann et al. 2022, eq. (4) and Appendix D.2).
///
/// Why closed form: substituting D = C / (6N) and setting dL/dN = 0 gives
/// alpha A N^-alpha = beta B D^-beta, whose solution is
///
///     G = (alpha A / (beta B))^(1 / (alpha + beta)),
///     N_opt = G (C/6)^(beta / (alpha + beta)),   D_opt = (C/6)^(alpha / (alpha + beta)) / G.
///
/// So the exponents of the optimal allocation are a = beta/(alpha+beta) for N and
/// b = alpha/(alpha+beta) for D, which is what IsoFLOP analysis (Approach 2) measures directly.
public struct ComputeOptimal: Sendable, Equatable {
    public var E: Double
    public var A: Double
    public var B: Double
    public var alpha: Double
    public var beta: Double

    public init(E: Double, A: Double, B: Double, alpha: Double, beta: Double) {
        self.E = E
        self.A = A
        self.B = B
        self.alpha = alpha
        self.beta = beta
    }

    /// From reported Chinchilla parameters in `ChinchillaLaw.parameterNames` order (E, A, B, alpha, beta).
    public init(reported p: [Double]) {
        precondition(p.count == 5, "ComputeOptimal needs (E, A, B, alpha, beta)")
        self.init(E: p[0], A: p[1], B: p[2], alpha: p[3], beta: p[4])
    }

    /// One optimal allocation of a compute budget.
    public struct Allocation: Sendable, Equatable {
        /// Training compute, FLOPs (C = 6 N D).
        public var compute: Double
        /// Optimal parameter count.
        public var N: Double
        /// Optimal training tokens.
        public var D: Double
        /// Predicted loss at (N, D).
        public var loss: Double
        /// D / N at the optimum (about 20 for Hoffmann et al.'s Approach 1 and 2).
        public var tokensPerParameter: Double { D / N }
    }

    /// Exponent of N_opt in C: beta / (alpha + beta).
    public var nExponent: Double { beta / (alpha + beta) }
    /// Exponent of D_opt in C: alpha / (alpha + beta).
    public var dExponent: Double { alpha / (alpha + beta) }

    public func loss(N: Double, D: Double) -> Double {
        E + A / pow(N, alpha) + B / pow(D, beta)
    }

    /// The loss-minimising (N, D) on the curve 6 N D = compute. Computed in log space so huge
    /// budgets (1e25 FLOPs and beyond) cannot overflow the intermediate powers.
    public func allocation(compute: Double) -> Allocation {
        let s = alpha + beta
        let logG = (log(alpha * A) - log(beta * B)) / s
        let logC6 = log(compute / 6)
        let n = exp(logG + nExponent * logC6)
        let d = exp(dExponent * logC6 - logG)
        return Allocation(compute: compute, N: n, D: d, loss: loss(N: n, D: d))
    }
}
