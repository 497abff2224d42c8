import Fit
import Foundation
import Laws

/// `scalefit-bench fit [--points PATH]`: the full Hoffmann et al. Approach 3 fit (4,500 BFGS2
/// starts, Huber delta 1e-3) on Epoch's 240 Chinchilla points, timed end to end. Prints
/// `key=value` lines that Scripts/bench-fit.sh compares with scipy's L-BFGS-B.
/// `--stride K` keeps every K-th grid start: a small, representative run for callgrind, whose
/// instruction counts are the only steady measure on a shared machine.
func runFitBench(_ args: [String]) {
    var path = "Data/reference/chinchilla_points.csv"  // relative to the package root, where the scripts run
    if let k = args.firstIndex(of: "--points"), k + 1 < args.count { path = args[k + 1] }
    var stride = 1
    if let k = args.firstIndex(of: "--stride"), k + 1 < args.count { stride = max(1, Int(args[k + 1]) ?? 1) }
    do {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let data = try Dataset(csv: text, inputColumns: ["N", "D"], targetColumn: "loss").droppingLargestTargets(5)
        let law = ChinchillaLaw()
        let grid = law.startGrid()
        let options = FitOptions(starts: Swift.stride(from: 0, to: grid.count, by: stride).map { grid[$0] })
        let clock = ContinuousClock()
        var result: FitResult?
        let elapsed = try clock.measure { result = try Fitter.fit(law, data, options: options) }
        let fit = result!
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("points=\(data.count)")
        print("starts=\(fit.startsTried) converged=\(fit.startsConverged)")
        print("objective=\(fit.objectiveValue)")
        for (name, value) in zip(fit.parameterNames, fit.parameters) { print("\(name)=\(value)") }
        print("status=\(fit.status)")
        print("evaluations_per_start=\(Double(fit.startEvaluations) / Double(fit.startsTried))")
        print("seconds=\(seconds)")
        print("starts_per_second=\(Double(fit.startsTried) / seconds)")
    } catch {
        FileHandle.standardError.write("fit benchmark failed: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
}
