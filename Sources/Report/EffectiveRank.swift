import Foundation

/// Effective rank of a matrix (Roy and Vetterli 2007, "The effective rank: a measure of
/// effective dimensionality", EUSIPCO, Definition 1):
///
///     p_i = sigma_i / sum_k sigma_k,      erank(A) = exp( -sum_i p_i ln p_i )
///
/// i.e. the exponential of the Shannon entropy of the normalised singular-value spectrum.
/// It lies in [1, min(rows, cols)] for any non-zero matrix, equals the rank when the non-zero
/// singular values are all equal, and is invariant to scaling A by a non-zero constant. We track
/// it per weight matrix over training to see whether layers use their full width.
public enum EffectiveRank {
    /// Effective rank of a row-major `rows x cols` Double matrix.
    ///
    /// Conventions: terms with p_i = 0 are skipped (the limit of p ln p is 0). The zero matrix
    /// (and an empty matrix) has no spectrum to normalise; we define its effective rank as 0,
    /// which keeps it distinguishable from any non-zero matrix (whose erank is >= 1).
    /// A matrix with a non-finite entry gives NaN.
    public static func of(matrix: [Double], rows: Int, cols: Int) -> Double {
        guard let sigma = SingularValues.of(matrix, rows: rows, cols: cols) else { return .nan }
        return fromSingularValues(sigma)
    }

    /// Effective rank of a row-major `rows x cols` Float matrix (e.g. a model weight), computed
    /// in Double.
    public static func of(matrix: [Float], rows: Int, cols: Int) -> Double {
        of(matrix: matrix.map(Double.init), rows: rows, cols: cols)
    }

    /// Effective rank from a list of singular values (non-negative). 0 if they sum to 0.
    public static func fromSingularValues(_ sigma: [Double]) -> Double {
        let total = sigma.reduce(0, +)
        guard total > 0, total.isFinite else { return total == 0 ? 0 : .nan }
        var entropy = 0.0
        for s in sigma where s > 0 {
            let p = s / total
            entropy -= p * log(p)
        }
        return exp(entropy)
    }
}
