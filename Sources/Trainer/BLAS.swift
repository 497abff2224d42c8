@preconcurrency import CNumerics
import Foundation
import Synchronization

/// Thread control for the trainer. Two kinds of parallelism exist: OpenBLAS's own threads inside one
/// large sgemm, and the trainer's workers that run independent small products (one per (batch, head)
/// in attention, one row band per worker in the big linear layers) on single-threaded BLAS.
/// On the 2-core machine small GEMMs run slower with 2 BLAS threads than with 1, so `set(_:)` keeps
/// OpenBLAS single-threaded and gives the threads to the trainer's workers instead (see
/// `Parallel`); `set(_:blasInternal:)` lets a benchmark compare the two strategies.
public enum BLASThreads {
    private static let workerCount = Atomic<Int>(1)

    /// Uses `n` threads for training: n trainer workers, each calling single-threaded OpenBLAS.
    public static func set(_ n: Int) {
        set(n, blasInternal: false)
    }

    /// `blasInternal == true`: OpenBLAS gets `n` threads and the trainer runs its loops serially.
    public static func set(_ n: Int, blasInternal: Bool) {
        let n = max(1, n)
        openblas_set_num_threads(Int32(blasInternal ? n : 1))
        workerCount.store(blasInternal ? 1 : n, ordering: .relaxed)
    }

    /// Number of trainer workers (1 means every loop runs on the calling thread).
    public static var workers: Int { workerCount.load(ordering: .relaxed) }

    /// Number of threads OpenBLAS uses inside one sgemm call.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }
}

/// Runs independent work items on the trainer's workers. Each item must write disjoint memory, so the
/// result does not depend on scheduling: runs are bit-identical for a given worker count.
enum Parallel {
    @inline(__always)
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if BLASThreads.workers <= 1 || count <= 1 {
            for i in 0..<count { body(i) }
        } else {
            concurrent(count, body)
        }
    }

    /// Splits 0..<total into `BLASThreads.workers` contiguous bands and runs `body(start, count)` on each.
    @inline(__always)
    static func bands(_ total: Int, minimum: Int = 1, _ body: (Int, Int) -> Void) {
        let parts = min(BLASThreads.workers, max(1, total / max(1, minimum)))
        if parts <= 1 { body(0, total); return }
        concurrent(parts) { p in
            let start = total * p / parts
            let end = total * (p + 1) / parts
            body(start, end - start)
        }
    }

    /// concurrentPerform wants a @Sendable closure; the bodies here capture raw pointers into
    /// disjoint regions, which is safe but not expressible to the checker, hence the unchecked box.
    private static func concurrent(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Row-major single-precision GEMM, C = alpha * op(A) * op(B) + beta * C, with op(A) m x k and
/// op(B) k x n. A thin wrapper so every product in the model reads the same way.
@inline(__always)
func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
           _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
           _ b: UnsafePointer<Float>, _ ldb: Int,
           _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    if m == 0 || n == 0 { return }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
