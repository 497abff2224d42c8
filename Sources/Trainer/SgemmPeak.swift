@preconcurrency import CNumerics
import Foundation

/// The machine's sgemm rate, measured in-process: the ceiling a training throughput is compared
/// with ("model FLOP/s as a share of the sgemm peak").
public enum SgemmPeak {
    /// Best-of-`tries` GFLOP/s of C = A B^T (m x k times (n x k)^T) on `threads` OpenBLAS threads,
    /// each try about `flopsPerTry` FLOPs. Restores OpenBLAS's thread count afterwards.
    public static func gflops(m: Int, n: Int, k: Int, threads: Int, flopsPerTry: Double = 2e9, tries: Int = 3) -> Double {
        let before = openblas_get_num_threads()
        openblas_set_num_threads(Int32(max(1, threads)))
        defer { openblas_set_num_threads(before) }
        var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: n * k)
        var c = [Float](repeating: 0, count: m * n)
        var rng = SplitMix64(seed: 1)
        for i in a.indices { a[i] = Float(rng.nextUniform() - 0.5) }
        for i in b.indices { b[i] = Float(rng.nextUniform() - 0.5) }
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        let reps = max(1, Int(flopsPerTry / flops))
        var best = 0.0
        let clock = ContinuousClock()
        for _ in 0..<max(1, tries) {
            let start = clock.now
            for _ in 0..<reps {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k),
                            b, Int32(k), 0, &c, Int32(n))
            }
            best = max(best, flops * Double(reps) / (clock.now - start).seconds / 1e9)
        }
        return best
    }

    /// The 1024^3 rate on `threads` threads in about a second: the sweep's reference peak.
    public static func quick(threads: Int) -> Double {
        gflops(m: 1024, n: 1024, k: 1024, threads: threads, flopsPerTry: 1.5e9, tries: 3)
    }
}
