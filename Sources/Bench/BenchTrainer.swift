// Trainer throughput benchmark: OpenBLAS sgemm GFLOP/s as the ceiling, then training steps of the tiny
// GPT on random tokens, reported as tokens/s, model GFLOP/s (flopsPerToken * tokens/s) and the ratio.
// Step-throughput uses the median step time (see benchTraining).
@preconcurrency import CNumerics
import Foundation
import Trainer

/// Options: --threads N (2), --steps N (10), --warmup N (2), --dmodels 64,128,256,
/// --strategy sequences|hybrid|workers|blas|all, comma-separated (sequences, the training default), --layers 4, --seq 128, --batch 16, --vocab 256,
/// --ceiling GFLOPS (skip the sgemm measurement and use this figure instead: for profiling runs).
func runTrainerBench(_ args: [String]) {
    var options = BenchTrainerOptions()
    do { try options.parse(args) } catch {
        FileHandle.standardError.write("scalefit-bench trainer: \(error)\n".data(using: .utf8)!)
        exit(2)
    }
    print("scalefit-bench trainer: threads \(options.threads), \(options.steps) timed steps after \(options.warmup) warm-up")
    print("NOTE: the machine is shared; figures are noisy.")
    let sgemmRate = options.ceiling ?? measureSgemm(threads: options.threads)
    for strategy in options.strategies {
        BLASThreads.set(options.threads, strategy: strategy)
        print("\nstrategy \(strategy.rawValue): trainer workers \(BLASThreads.workers), OpenBLAS threads \(BLASThreads.blasThreads) (large linears: \(strategy == .hybrid ? options.threads : BLASThreads.blasThreads); sequences: batch split \(strategy == .sequences ? options.threads : 1) ways)")
        print("d_model  n_head  params      tok/s      model GFLOP/s  vs sgemm  final loss  CPU ms/step")
        for d in options.dModels {
            let config = ModelConfig(nLayer: options.layers, dModel: d, nHead: max(1, d / 32),
                                     seqLen: options.seqLen, vocabSize: options.vocab)
            let result = benchTraining(config: config, options: options)
            let gflops = config.flopsPerToken * result.tokensPerSecond / 1e9
            print(String(format: "%7d  %6d  %9d  %9.0f  %13.2f  %7.1f%%  %10.6f  %11.1f", d, config.nHead,
                         config.paramsTotal, result.tokensPerSecond, gflops, 100 * gflops / sgemmRate, result.finalLoss,
                         1000 * result.cpuSecondsPerStep))
        }
    }
    print(String(format: "\npeak RSS (VmHWM): %.1f MiB", Double(peakRSSKiB()) / 1024))
}

struct BenchTrainerOptions {
    var threads = 2
    var steps = 10
    var warmup = 2
    var dModels = [64, 128, 256]
    var strategies: [BLASThreads.Strategy] = [.sequences]
    var layers = 4
    var seqLen = 128
    var batch = 16
    var vocab = 256
    var ceiling: Double?

    enum ParseError: Error, CustomStringConvertible {
        case bad(String)
        var description: String { switch self { case .bad(let m): return m } }
    }

    mutating func parse(_ args: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count else { throw ParseError.bad("missing value for \(args[i - 1])") }
            return args[i]
        }
        func int() throws -> Int {
            let text = try value()
            guard let n = Int(text), n > 0 else { throw ParseError.bad("expected a positive integer, got \(text)") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--threads": threads = try int()
            case "--steps": steps = try int()
            case "--warmup": warmup = try int()
            case "--layers": layers = try int()
            case "--seq": seqLen = try int()
            case "--batch": batch = try int()
            case "--vocab": vocab = try int()
            case "--ceiling": ceiling = Double(try int())
            case "--dmodels": dModels = try value().split(separator: ",").compactMap { Int($0) }
            case "--strategy":
                let s = try value()
                if s == "all" {
                    strategies = BLASThreads.Strategy.allCases
                } else {
                    strategies = try s.split(separator: ",").map {
                        guard let k = BLASThreads.Strategy(rawValue: String($0)) else {
                            throw ParseError.bad("strategy: sequences|workers|blas|hybrid|all (comma-separated)")
                        }
                        return k
                    }
                }
            default: throw ParseError.bad("unknown option \(args[i])")
            }
            i += 1
        }
    }
}

private func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Best-of-several GFLOP/s of C = A B^T for m x k times (n x k)^T, at OpenBLAS's current thread count.
private func sgemmGFLOPs(m: Int, n: Int, k: Int) -> Double {
    SgemmPeak.gflops(m: m, n: n, k: k, threads: Int(openblas_get_num_threads()))
}

/// Prints sgemm rates and returns the square-1024 rate at `threads` OpenBLAS threads (the ceiling).
private func measureSgemm(threads: Int) -> Double {
    var ceiling = 0.0
    for t in Set([1, threads]).sorted() {
        openblas_set_num_threads(Int32(t))
        let square = sgemmGFLOPs(m: 1024, n: 1024, k: 1024)
        // Transformer shapes at B*T = 2048 rows, d_model 256: QKV projection and MLP up-projection.
        let qkv = sgemmGFLOPs(m: 2048, n: 768, k: 256)
        let fc = sgemmGFLOPs(m: 2048, n: 1024, k: 256)
        let head = sgemmGFLOPs(m: 128, n: 128, k: 32)
        print(String(format: "sgemm GFLOP/s, %d thread(s): 1024^3 %.1f | 2048x768x256 %.1f | 2048x1024x256 %.1f | 128x128x32 %.1f",
                     t, square, qkv, fc, head))
        if t == threads { ceiling = square }
    }
    return ceiling
}

/// Trains `warmup + steps` steps on fresh random tokens. Throughput is taken from the MEDIAN step time:
/// on the shared machine single steps get descheduled, and the median is far less noisy than the mean.
/// Also reports the process CPU time per timed step (all threads, mean): on a loaded machine it shows
/// the work a step costs even when wall-clock figures are inflated by other jobs.
private func benchTraining(config: ModelConfig, options: BenchTrainerOptions)
    -> (tokensPerSecond: Double, finalLoss: Float, cpuSecondsPerStep: Double) {
    let model = Model(config: config, seed: 1, maxBatch: options.batch)
    var adam = AdamW(layout: model.layout)
    var rng = SplitMix64(seed: 2)
    let n = options.batch * config.seqLen
    var inputs = [Int32](repeating: 0, count: n), targets = inputs
    var loss: Float = 0
    var stepTimes: [Double] = []
    var cpuTime = 0.0
    for step in 0..<(options.warmup + options.steps) {
        for i in 0..<n {
            inputs[i] = Int32(rng.nextInt(below: config.vocabSize))
            targets[i] = Int32(rng.nextInt(below: config.vocabSize))
        }
        let start = now(), cpuStart = processCPUTime()
        model.zeroGrad()
        loss = model.forward(inputs: inputs, targets: targets, batch: options.batch)
        model.backward()
        model.clipGradients(maxNorm: 1)
        adam.update(model, lr: 3e-4)
        if step >= options.warmup {
            stepTimes.append(now() - start)
            cpuTime += processCPUTime() - cpuStart
        }
    }
    let median = stepTimes.sorted()[stepTimes.count / 2]
    return (Double(n) / median, loss, cpuTime / Double(options.steps))
}

private func processCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Peak resident set size in KiB, from the VmHWM line of /proc/self/status (0 if unavailable).
private func peakRSSKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}
