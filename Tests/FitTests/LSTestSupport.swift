import Foundation
import Testing
@testable import Fit
import Laws

/// Multi-start least squares over the law's own start grid, keeping the best converged local
/// fit. (Stands in for `Fitter.fit` until that lands; same signature the lead will swap.)
func bestFit<L: ScalingLaw>(_ law: L, _ data: Dataset) -> LocalFit? {
    var best: LocalFit?
    for start in law.startGrid() {
        let local = LeastSquaresSolver.solve(law, data, start: start, maxIterations: 500)
        if local.converged, local.objective < (best?.objective ?? .infinity) { best = local }
    }
    return best
}

/// Checks `law.residualGradient` against central finite differences at theta, for every row.
func expectJacobianMatchesFiniteDifferences<L: ScalingLaw>(_ law: L, theta: [Double], rows: [[Double]],
                                                           y: Double = 0, relTol: Double = 1e-6) {
    let p = theta.count
    var grad = [Double](repeating: 0, count: p)
    for x in rows {
        law.residualGradient(theta, x, y, into: &grad)
        for j in 0..<p {
            let h = 1e-6 * max(abs(theta[j]), 1e-3)
            var plus = theta, minus = theta
            plus[j] += h
            minus[j] -= h
            let fd = (law.residual(plus, x, y) - law.residual(minus, x, y)) / (2 * h)
            let scale = max(abs(fd), abs(grad[j]), 1e-8)
            #expect(abs(fd - grad[j]) / scale < relTol,
                    "d r / d \(law.thetaNames[j]) at x = \(x): analytic \(grad[j]) vs FD \(fd)")
        }
    }
}

/// Deterministic Gaussian noise (SplitMix64 + Box-Muller), so synthetic tests are reproducible.
struct TestRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func nextUniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992.0
    }
    mutating func gaussian(sd: Double) -> Double {
        sd * (-2 * log(nextUniform())).squareRoot() * cos(2 * Double.pi * nextUniform())
    }
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

// MARK: - Reference data (Gadre et al. 2024, Data/reference)

/// The package's `Data/reference` directory, located from this file's path (Tests/FitTests/...),
/// so the tests read the copies shipped with the project whatever the working directory.
func referenceDirectory() throws -> URL {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let dir = root.appendingPathComponent("Data/reference")
    guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("README.md").path) else {
        throw FitError.invalidData("Data/reference not found in the package at \(root.path)")
    }
    return dir
}

/// One row of gadre2024_scaling_runs.csv (the columns these tests use).
struct GadreRun {
    var dataset: String
    var N: Double
    var M: Double
    var lossC4: Double
    var errAvg46: Double
    var errAvg17: Double
}

func loadGadreRuns() throws -> [GadreRun] {
    let url = try referenceDirectory().appendingPathComponent("gadre2024_scaling_runs.csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)  // the file has CRLF line ends
    let header = lines[0].split(separator: ",").map(String.init)
    func col(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else { throw FitError.invalidData("no column \(name)") }
        return i
    }
    let (ds, n, m, loss, e46, e17) = (try col("dataset"), try col("N_params"), try col("token_multiplier_M"),
                                      try col("loss_c4_val"), try col("err_avg46"), try col("err_avg17_subset"))
    return lines.dropFirst().map { line in
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return GadreRun(dataset: f[ds], N: Double(f[n])!, M: Double(f[m])!, lossC4: Double(f[loss])!,
                        errAvg46: Double(f[e46])!, errAvg17: Double(f[e17])!)
    }
}

/// The reference JSON (constants reproduced from the paper's code, and the notebook's errors).
func loadGadreReference() throws -> [String: Any] {
    let url = try referenceDirectory().appendingPathComponent("gadre2024_fits_reproduced.json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

func referenceFit(_ key: String) throws -> [String: Double] {
    let fits = try #require(try loadGadreReference()["fits"] as? [String: [String: Double]])
    return try #require(fits[key])
}

/// The notebook's reported relative error in percent ("0.7103%" -> 0.7103).
func referenceNotebookError(_ key: String) throws -> Double {
    let errors = try #require(try loadGadreReference()["repo_notebook_reported_errors_rpj"] as? [String: String])
    let text = try #require(errors[key])
    return try #require(Double(text.replacingOccurrences(of: "%", with: "")))
}

/// The paper's loss-fit runs for one dataset: 0.011B, 0.079B, 0.154B, 0.411B at M = 20 plus
/// 0.011B at M = 320 (the `fit_ds` selection in mlfoundations/scaling).
func gadreLossFitRuns(_ runs: [GadreRun], dataset: String) -> [GadreRun] {
    let small = runs.filter { $0.dataset == dataset && $0.N < 0.5e9 }
    let smallest = small.map(\.N).min() ?? 0
    return small.filter { $0.M == 20 || ($0.M == 320 && $0.N == smallest) }
}

/// The run of `dataset` with about `billions` parameters (within 10%) at multiplier M.
func gadreRun(_ runs: [GadreRun], dataset: String, billions: Double, M: Double) throws -> GadreRun {
    try #require(runs.first { $0.dataset == dataset && abs($0.N - billions * 1e9) < 0.1 * billions * 1e9 && $0.M == M })
}
