// swift-tools-version:6.1
// scalefit: scaling-law research on tiny language models, in Swift on CPU BLAS.
import Foundation
import PackageDescription

/// The trainer's elementwise kernels (softmax, GELU, LayerNorm, AdamW) vectorise 8 wide with AVX2
/// instead of 4 wide with the baseline SSE2: about 8% less CPU per step at d_model 64 and 128 (paired
/// runs, bit-identical losses: Swift never contracts a*b+c into FMA on its own, so only the vector width
/// changes). Only when the building machine has AVX2 (read from /proc/cpuinfo), so a build never emits
/// instructions its own CPU lacks; SCALEFIT_PORTABLE=1 turns it off for binaries meant for older CPUs.
#if arch(x86_64) && os(Linux)
let hostHasAVX2 = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
    .split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").contains("avx2") ?? false
let portable = ProcessInfo.processInfo.environment["SCALEFIT_PORTABLE"] == "1"
let trainerCPU = hostHasAVX2 && !portable ? ["-target-cpu", "haswell"] : []
#else
let trainerCPU: [String] = []
#endif

let package = Package(
    name: "scalefit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scalefit", targets: ["scalefit"]),
        .executable(name: "scalefit-bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // TOML 1.0 for sweep specs (a Swift wrapper around toml++).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C shims. GSL and CBLAS share ONE module: their headers disagree on CBLAS_TRANSPOSE
        // when imported as two Clang modules (see shared build notes). Links gsl + openblas,
        // never gslcblas, so cblas_* resolve to OpenBLAS.
        .systemLibrary(name: "CNumerics", path: "Sources/CNumerics"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),

        // Range checks of every number from flags, spec files and data files, before it becomes an Int.
        .target(name: "Validation"),
        // The one runner of external programs (Slurm's tools, rsvg-convert, the tests' scalefit binary).
        .target(name: "ChildProcess"),
        // Learning-rate schedules: shared by the trainer (to run them) and the annealing law (to predict them).
        .target(name: "Schedule", dependencies: ["Validation"]),
        // Tiny GPT trainer: flat Float32 buffers, hand-written backward, cblas_sgemm.
        .target(name: "Trainer", dependencies: ["CNumerics", "Schedule", "Validation"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"] + trainerCPU, .when(configuration: .release))]),
        // The one reader of data files: RFC 4180 CSV, JSON Lines, column aliases, strict decimals.
        .target(name: "Tabular", dependencies: ["Validation"]),
        // The results database: the only module that writes SQL.
        .target(name: "Store", dependencies: ["CSQLite", "Tabular", "Validation"]),
        // Scaling laws as value types (formula, Jacobian, start grid, paper reference).
        // Laws and Fit are optimised in debug builds too: the curve-law fits of the test suite (the
        // Multi-Power Law on real 24k-step curves) run 10-30x slower at -Onone.
        .target(name: "Laws", dependencies: ["Schedule"],
                swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
                                .unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Least squares / Huber fitting on GSL, multi-start, bootstrap, prediction.
        .target(name: "Fit", dependencies: ["Laws", "CNumerics", "Validation", "Tabular"],
                swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
                                .unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The law registry: one file per law (name, inputs, options, fit, prediction, stored form, report
        // curves), and the one stored fit type the CLI and the report use.
        .target(name: "LawRegistry", dependencies: ["Laws", "Fit", "Store", "Report", "Schedule", "Validation"]),
        // Sweep specs, planning, running, sharding.
        .target(name: "Sweep", dependencies: ["Trainer", "Store", "Schedule", "Report", "Validation", "ChildProcess",
                                             .product(name: "TOMLKit", package: "TOMLKit")]),
        // SVG plots and the HTML report; effective rank and CKA.
        .target(name: "Report", dependencies: ["CNumerics", "ChildProcess"]),
        .executableTarget(name: "scalefit", dependencies: [
            "Trainer", "Store", "Laws", "Fit", "LawRegistry", "Sweep", "Report", "Schedule", "Validation", "Tabular",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (run by Scripts/bench-*.sh, never by the tests).
        .executableTarget(name: "Bench", dependencies: ["Trainer", "Fit", "Laws", "CNumerics", "Schedule"],
                          swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),

        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "Trainer", "Schedule"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Tabular"]),
        .testTarget(name: "TrainerTests", dependencies: ["Trainer", "Schedule"]),
        .testTarget(name: "FitTests", dependencies: ["Fit", "Laws", "Schedule", "Tabular"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Store"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "LawRegistryTests", dependencies: ["LawRegistry", "Store", "Fit", "Laws"]),
        // The process harness shared by the CLI and fuzz tests (a plain target: test targets cannot depend on each other).
        .target(name: "CLITestSupport", dependencies: ["ChildProcess"], path: "Tests/CLITestSupport"),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
        .testTarget(name: "CLITests", dependencies: ["scalefit", "CLITestSupport", "ChildProcess"]),
        // Seeded hostile inputs for every reader and command (issue 10); spawns the built binary.
        .testTarget(name: "FuzzTests", dependencies: ["scalefit", "CLITestSupport", "Store", "Trainer", "Validation"]),
    ]
)
