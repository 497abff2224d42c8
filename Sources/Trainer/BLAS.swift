@preconcurrency import CNumerics
import Foundation
import Synchronization

/// Thread control for the trainer. Two kinds of parallelism exist: OpenBLAS's own threads inside one
/// sgemm, and the trainer's workers that run independent pieces (one per (batch, head) in attention,
/// one row band per worker in linear layers and elementwise loops) on single-threaded BLAS.
/// Measured on the 2-core machine: small GEMMs (per-head attention, d_model 64 linears) run slower with
/// 2 OpenBLAS threads than with 1, while the largest linears gain from OpenBLAS's own partitioning.
/// A third kind splits the batch: each worker runs whole sequences through the entire forward and
/// backward pass on single-threaded BLAS, with its own gradient buffer, so the step has one fork and one
/// join instead of one per layer, and every sgemm runs at the 1-thread rate (which beats 2-thread
/// OpenBLAS on these shapes, see the shared build notes).
/// `set(_:)` uses `.sequences`; `set(_:strategy:)` lets a benchmark compare the strategies.
public enum BLASThreads {
    public enum Strategy: String, Sendable, CaseIterable {
        /// Trainer workers everywhere, OpenBLAS single-threaded.
        case workers
        /// OpenBLAS threads inside every sgemm, trainer loops serial.
        case blas
        /// Trainer workers, except linear layers of at least `largeGEMMFlops` which run one sgemm on
        /// OpenBLAS's threads.
        case hybrid
        /// Each trainer worker takes a contiguous share of the batch's sequences for the whole forward
        /// and backward pass; their weight gradients are added in worker order. A one-sequence call
        /// (evaluation, log-likelihoods) runs as `.hybrid`.
        case sequences
    }

    /// Multiply-adds * 2 above which `.hybrid` hands a linear-layer sgemm to OpenBLAS's threads.
    /// At 2048 rows (batch 16 x seq 128) three paired runs were 2-7% faster at d_model 128 and 256 with
    /// this crossover than with 2 * 2048 * 256 * 256: d_model 128's MLP linears do better on worker bands.
    public static let largeGEMMFlops = 2 * 2048 * 256 * 512

    private static let workerCount = Atomic<Int>(1)
    private static let largeCount = Atomic<Int>(1)
    private static let splitBatch = Atomic<Bool>(false)
    private static let configured = Atomic<Bool>(false)

    /// OpenBLAS starts with one thread per core; a model built before any `set` call gets one
    /// thread everywhere instead, so the default is deterministic and matches `workers == 1`.
    static func configureIfNeeded() {
        if !configured.load(ordering: .relaxed) { set(1) }
    }

    /// Uses `n` threads for training with the `.sequences` strategy.
    public static func set(_ n: Int) {
        set(n, strategy: .sequences)
    }

    public static func set(_ n: Int, strategy: Strategy) {
        let n = max(1, n)
        configured.store(true, ordering: .relaxed)
        OpenBLASSpin.shorten()
        openblas_set_num_threads(Int32(strategy == .blas ? n : 1))
        workerCount.store(strategy == .blas ? 1 : n, ordering: .relaxed)
        largeCount.store(strategy == .hybrid || strategy == .sequences ? n : 1, ordering: .relaxed)
        splitBatch.store(strategy == .sequences, ordering: .relaxed)
    }

    /// Parts a batch is split into under `.sequences`: a constant, not the worker count. Each part's
    /// weight gradient is its own sum and the parts are added in order, so the rounding of a step
    /// depends on how many parts there are. Tying that to the threads made `--threads 2` and
    /// `--threads 1` follow different paths (one demo run ended at 0.5358 against 0.5558); with a fixed
    /// count every thread count gives the same losses bit for bit. Two parts use two threads per
    /// model; a model given more still splits its batch in two (further threads stay idle inside it).
    public static let sequenceParts = 2

    /// How many parts a batch of `batch` sequences is split into under `.sequences` (1: no split).
    static func batchParts(_ batch: Int) -> Int {
        splitBatch.load(ordering: .relaxed) ? max(1, min(sequenceParts, batch)) : 1
    }

    /// Number of trainer workers (1 means every loop runs on the calling thread).
    public static var workers: Int { workerCount.load(ordering: .relaxed) }

    /// OpenBLAS threads given to one large linear-layer sgemm under `.hybrid` (1 otherwise).
    /// Always 1 inside a batch-split worker, where the other core is busy with the other sequences.
    static var largeGEMMThreads: Int { Parallel.isNested ? 1 : largeCount.load(ordering: .relaxed) }

    /// Number of threads OpenBLAS currently uses inside one sgemm call.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS using `largeGEMMThreads` threads, then restores single-threaded BLAS.
    /// Only called from the training thread outside any worker section, so no sgemm runs concurrently.
    @inline(__always)
    static func withLargeGEMMThreads(_ body: () -> Void) {
        let n = largeGEMMThreads
        openblas_set_num_threads(Int32(n))
        body()
        openblas_set_num_threads(1)
    }
}

/// OpenBLAS's pthread server keeps an idle helper thread polling with sched_yield for 2^28 cycles
/// (about 0.1 s) after every threaded sgemm. Under `.hybrid` that means the helper spins through the
/// trainer's own worker sections, taking a core from them: perf showed ~23% of a d_model 128 run in
/// sched_yield and 2.5 s of 12 s CPU in the kernel. OpenBLAS reads OPENBLAS_THREAD_TIMEOUT (log2 cycles,
/// minimum 4) only when it starts its threads, which happens when the library loads, so this sets the
/// variable (unless the user did), re-reads the environment and restarts the pool through OpenBLAS's
/// exported `openblas_read_env`, `blas_thread_shutdown_` and `blas_thread_init`. If the symbols are
/// missing (another BLAS build) it does nothing: only speed depends on it, never results.
enum OpenBLASSpin {
    private static let done = Atomic<Bool>(false)

    static func shorten() {
        if done.exchange(true, ordering: .relaxed) { return }
        setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0)
        guard let handle = dlopen(nil, RTLD_NOW),
              let readEnv = dlsym(handle, "openblas_read_env"),
              let shutdown = dlsym(handle, "blas_thread_shutdown_"),
              let start = dlsym(handle, "blas_thread_init") else { return }
        typealias VoidFn = @convention(c) () -> Void
        typealias IntFn = @convention(c) () -> Int32
        unsafeBitCast(readEnv, to: VoidFn.self)()
        _ = unsafeBitCast(shutdown, to: IntFn.self)()
        _ = unsafeBitCast(start, to: IntFn.self)()
    }
}

/// Runs independent work items on the trainer's workers. Each item must write disjoint memory, so the
/// result does not depend on scheduling: runs are bit-identical for a given worker count.
enum Parallel {
    /// Thread-specific marker for "this thread is one of `split`'s workers": nested parallel loops then
    /// run inline. Thread-specific rather than global so concurrent models (tests) do not see each other.
    private static let nestedKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True on a thread that is running one part of `split`.
    @inline(__always)
    static var isNested: Bool { pthread_getspecific(nestedKey) != nil }

    /// Runs `body(part)` for part in 0..<parts concurrently (up to the worker count); inside, every other `Parallel` loop runs
    /// serially on the calling worker and `largeGEMMThreads` is 1. With one part it just calls `body(0)`.
    /// With one worker the parts run one after the other on the calling thread, to the same bits.
    static func split(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        if BLASThreads.workers <= 1 || isNested {
            let outer = isNested
            pthread_setspecific(nestedKey, UnsafeRawPointer(bitPattern: 1))
            for part in 0..<parts { body(part) }
            if !outer { pthread_setspecific(nestedKey, nil) }
            return
        }
        concurrent(parts) { part in
            pthread_setspecific(nestedKey, UnsafeRawPointer(bitPattern: 1))
            body(part)
            pthread_setspecific(nestedKey, nil)
        }
    }

    @inline(__always)
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if BLASThreads.workers <= 1 || count <= 1 || isNested {
            for i in 0..<count { body(i) }
        } else {
            concurrent(count, body)
        }
    }

    /// How many bands `bands(total, minimum:)` would use.
    @inline(__always)
    static func bandCount(_ total: Int, minimum: Int = 1) -> Int {
        if isNested { return 1 }
        return min(BLASThreads.workers, max(1, total / max(1, minimum)))
    }

    /// Splits 0..<total into `BLASThreads.workers` contiguous bands and runs `body(start, count)` on each.
    @inline(__always)
    static func bands(_ total: Int, minimum: Int = 1, _ body: (Int, Int) -> Void) {
        let parts = bandCount(total, minimum: minimum)
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
