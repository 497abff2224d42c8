@preconcurrency import CNumerics

/// Singular values of a dense matrix, computed with GSL's one-sided Golub-Reinsch SVD
/// (`gsl_linalg_SV_decomp`). Internal helper for `EffectiveRank`.
enum SingularValues {
    /// The singular values of the row-major `rows x cols` matrix `a`, in decreasing order.
    ///
    /// GSL requires M >= N, so a wide matrix is transposed first (the transpose has the same
    /// singular values). Returns nil when GSL reports an error or an entry is non-finite
    /// (GSL's iteration is undefined on NaN/Inf input).
    static func of(_ a: [Double], rows: Int, cols: Int) -> [Double]? {
        precondition(rows >= 0 && cols >= 0 && a.count == rows * cols, "matrix size mismatch")
        if rows == 0 || cols == 0 { return [] }
        guard a.allSatisfy({ $0.isFinite }) else { return nil }
        gsl_set_error_handler_off()

        let transpose = rows < cols
        let m = transpose ? cols : rows
        let n = transpose ? rows : cols
        guard let mat = gsl_matrix_alloc(m, n), let v = gsl_matrix_alloc(n, n),
              let s = gsl_vector_alloc(n), let work = gsl_vector_alloc(n) else { return nil }
        defer {
            gsl_matrix_free(mat); gsl_matrix_free(v)
            gsl_vector_free(s); gsl_vector_free(work)
        }
        // gsl_matrix is row-major with row stride `tda`.
        let tda = mat.pointee.tda
        let data = mat.pointee.data!
        a.withUnsafeBufferPointer { src in
            for i in 0..<rows {
                for j in 0..<cols {
                    let value = src[i &* cols &+ j]
                    if transpose { data[j &* tda &+ i] = value } else { data[i &* tda &+ j] = value }
                }
            }
        }
        guard gsl_linalg_SV_decomp(mat, v, s, work) == GSL_SUCCESS else { return nil }
        let stride = s.pointee.stride
        return (0..<n).map { s.pointee.data[$0 &* stride] }
    }
}
