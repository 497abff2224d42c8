import Fit
import Foundation
import Laws

/// `scalefit-bench multipower [--data DIR] [--sizes 25,100,400] [--fit a,b,c] [--from-step S]
/// [--prior W] [--objective huber|lsq] [--huber-delta D] [--starts K] [--law annealing [--warmup-as-peak] [--s2-from-peak]
/// [--lambda-grid l1,l2,...] [--absolute] [--constant-anchor W]
/// [--lambda-min L --lambda-max L]] [--exact-lrs | --exact-test | --hold-before-first] [--params p1,...,p7]
/// [--dump CURVE]`: fits the Multi-Power Law (Luo et al. 2025) on
/// the paper's three fit curves of each size (Data/reference/mpl2025) and prints the fit's wall
/// time and its PredE / WorstE / final error on every other curve of that size. Run by
/// Scripts/bench-multipower.sh; also the experiment driver behind docs/curve-laws.md.
func runMultiPowerBench(_ args: [String]) {
    func value(_ name: String) -> String? {
        args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
    }
    let dir = value("--data") ?? "Data/reference/mpl2025"
    let sizes = (value("--sizes") ?? "25,100,400").split(separator: ",").map(String.init)
    let fitNames = (value("--fit") ?? "cosine_24000,constant_24000,wsdcon_9").split(separator: ",").map(String.init)
    let all = ["constant_24000", "cosine_24000", "wsdcon_9", "constant_72000", "cosine_72000", "wsd_20000_24000",
               "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
    var options = MultiPowerFit.Options()
    var fixedParameters: [Double]?
    if let s = value("--from-step").flatMap(Int.init) { options.fromStep = s }
    if let w = value("--prior").flatMap(Double.init) { options.priorWidth = w }
    if let k = value("--starts").flatMap(Int.init) { options.starts = k }
    if let w = value("--prior-weights") { options.priorWeights = w.split(separator: ",").compactMap { Double($0) } }
    if let u = value("--rate-units").flatMap(MultiPowerFit.RateUnits.init(rawValue:)) { options.rateUnits = u }
    if let q = value("--row-power").flatMap(Double.init) { options.rowWeightPower = q }
    if args.contains("--equal-curves") { options.equalCurves = true }
    if args.contains("--absolute") { options.absoluteResiduals = true }
    if let w = value("--constant-anchor").flatMap(Double.init) { options.constantAnchor = w }
    if let p = value("--params") {
        // Score fixed parameters (e.g. the paper's published fit) instead of fitting.
        fixedParameters = p.split(separator: ",").compactMap { Double($0) }
    }
    if value("--objective") == "lsq" { options.objective = .leastSquares }
    if let d = value("--huber-delta").flatMap(Double.init) { options.objective = .huber(delta: d) }
    let exact = args.contains("--exact-lrs")
    let hold = args.contains("--hold-before-first")
    /// A curve as `fit --curve` reads it (rates interpolated between the logged rows, a ramp
    /// before the first), or with the paper's exact per-step rates, or held flat before the first row.
    let exactTest = args.contains("--exact-test")
    func load(_ path: String, test: Bool = false) throws -> LossCurve {
        var c = try LossCurve.read(path: path)
        if exact || (test && exactTest) {
            let name = String(path.split(separator: "/").last!.dropLast(4))
            c.rates = (0...c.lastStep).map { MPLSchedules.lr(name, step: $0) }
        } else if hold {
            c.rates = c.lrTrace.dense(before: .hold)
        }
        return c
    }
    do {
        var meanPred: [Double] = [], meanWorst: [Double] = []
        for size in sizes {
            let full = try fitNames.map { try load("\(dir)/csv_\(size)/\($0).csv") }
            // --truncate F: fit on the rows up to F of each fit curve, report the error on the rest (a
            // forward-chaining validation inside the fitted curves).
            let cut = value("--truncate").flatMap(Double.init)
            let curves = full.map { c -> LossCurve in
                guard let cut else { return c }
                let keep = c.steps.indices.filter { Double(c.steps[$0]) <= cut * Double(c.lastStep) }
                return LossCurve(steps: keep.map { c.steps[$0] }, lrs: keep.map { c.lrs[$0] },
                                 losses: keep.map { c.losses[$0] }, rates: c.rates)
            }
            let clock = ContinuousClock()
            var predictAt: (LossCurve) -> [Double] = { _ in [] }
            var summary = ""
            let elapsed = try clock.measure {
                if value("--law") == "annealing" {
                    let lo = value("--lambda-min").flatMap(Double.init) ?? 0.99
                    let hi = value("--lambda-max").flatMap(Double.init) ?? 0.9999
                    let warm = args.contains("--warmup-as-peak") ? curves.map(\.warmupSteps).max() : nil
                    // --lambda-grid v1,v2,...: the best of these values (a plain script's grid) instead of a search.
                    let grid = value("--lambda-grid").map { $0.split(separator: ",").compactMap { Double($0) } }
                    let a = try AnnealingFit.fit(curves, lambda: grid.map { .grid($0) } ?? .fitted(lo...hi), warmupAsPeak: warm,
                                                 fromStep: options.fromStep, objective: options.objective,
                                                 warmupRiseInS2: !args.contains("--s2-from-peak"))
                    predictAt = { a.predict(at: $0) }
                    summary = "rows=\(a.n) objective=\(a.objective) params=" + a.parameters.map { String(format: "%.4g", $0) }.joined(separator: ",")
                } else {
                    var f = try MultiPowerFit.fit(curves, options: options)
                    if let fixedParameters, fixedParameters.count == 7 { f.parameters = fixedParameters }
                    predictAt = { f.predict(at: $0) }
                    summary = "rows=\(f.n) starts=\(f.startsConverged)/\(f.startsTried) objective=\(f.objectiveValue) params="
                        + f.parameters.map { String(format: "%.4g", $0) }.joined(separator: ",")
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("size=\(size) seconds=\(String(format: "%.2f", seconds)) " + summary)
            if let cut {
                var cv: [Double] = []
                for c in full {
                    let p = predictAt(c)
                    let later = c.steps.indices.filter { Double(c.steps[$0]) > cut * Double(c.lastStep) }
                    cv.append(later.map { abs(p[$0] - c.losses[$0]) / c.losses[$0] }.reduce(0, +) / Double(later.count))
                }
                print(String(format: "  cv_e=%.3f%% ", 100 * cv.reduce(0, +) / Double(cv.count))
                      + cv.map { String(format: "%.3f%%", 100 * $0) }.joined(separator: " "))
            }
            var pred: [Double] = [], worst: [Double] = [], final: [Double] = []
            // Order of the final losses of three 24k-step schedules, predicted and measured (fitted or not).
            let ordered = ["wsd_20000_24000", "wsdld_20000_24000", "cosine_24000"]
            var lastPredicted: [Double] = [], lastMeasured: [Double] = []
            for name in ordered {
                let curve = try load("\(dir)/csv_\(size)/\(name).csv", test: true)
                lastPredicted.append(predictAt(curve).last!)
                lastMeasured.append(curve.losses.last!)
            }
            func order(_ v: [Double]) -> String { v.indices.sorted { v[$0] < v[$1] }.map { ordered[$0].prefix(5) }.joined(separator: "<") }
            print("  final order predicted \(order(lastPredicted)) measured \(order(lastMeasured)) "
                  + (order(lastPredicted) == order(lastMeasured) ? "MATCH" : "MISMATCH") + " "
                  + zip(lastPredicted, lastMeasured).map { String(format: "%.4f/%.4f", $0, $1) }.joined(separator: " "))
            for name in all where !fitNames.contains(name) {
                let curve = try load("\(dir)/csv_\(size)/\(name).csv", test: true)
                let e = CurveErrors(predicted: predictAt(curve), measured: curve.losses)
                if value("--dump") == name {
                    let p = predictAt(curve)
                    for i in Swift.stride(from: 0, to: curve.steps.count, by: 25) {
                        print(String(format: "    step %6d loss %.4f pred %.4f rel %+.3f%%", curve.steps[i], curve.losses[i], p[i],
                                     100 * (p[i] - curve.losses[i]) / curve.losses[i]))
                    }
                }
                pred.append(e.predE)
                worst.append(e.worstE)
                final.append(e.finalE)
                print(String(format: "  %-18@ pred_e=%.3f%% worst_e=%.3f%% final_e=%.3f%%", name, 100 * e.predE,
                             100 * e.worstE, 100 * e.finalE))
            }
            let mp = pred.reduce(0, +) / Double(pred.count), mw = worst.reduce(0, +) / Double(worst.count)
            meanPred.append(mp)
            meanWorst.append(mw)
            let mf = final.reduce(0, +) / Double(final.count)
            print(String(format: "  mean pred_e=%.3f%% worst_e=%.3f%% final_e=%.3f%%", 100 * mp, 100 * mw, 100 * mf))
        }
    } catch {
        FileHandle.standardError.write("multipower benchmark failed: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
}

/// The exact per-step rates of the paper's nine schedules (Data/reference/mpl2025/README.md).
enum MPLSchedules {
    static func lr(_ name: String, step t: Int) -> Double {
        let peak = 3e-4, w = 2160
        if t < w { return peak * Double(t) / 2159 }
        let parts = name.split(separator: "_").map(String.init)
        switch parts[0] {
        case "constant": return peak
        case "cosine":
            let T = Double(parts[1])!
            return 3e-5 + 0.5 * (peak - 3e-5) * (1 + cos(Double.pi * Double(t - w) / (T - Double(w))))
        case "wsdcon": return t < 8000 ? peak : Double(parts[1])! * 1e-5
        case "wsd": return t < 20000 ? peak : pow(peak, Double(24000 - t) / 4000) * pow(3e-5, Double(t - 20000) / 4000)
        case "wsdld": return t < 20000 ? peak : peak + (3e-5 - peak) * Double(t - 20000) / 4000
        default: return .nan
        }
    }
}
