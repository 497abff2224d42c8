import Fit
import Foundation
import Store

/// Which data a fit uses, read from the database. Recorded with the fit so it can be reproduced.
struct DataSelection {
    var source: String?
    var predicate: String?
    var sweep: Int64?
    var runIDs: [Int64] = []
    var curves: [String] = []
    var paramCount: ParamCount = .total

    var json: JSONText.Value {
        var o: [(String, JSONText.Value)] = []
        if let source { o.append(("source", .string(source))) }
        if let predicate { o.append(("where", .string(predicate))) }
        if let sweep { o.append(("sweep", .int(sweep))) }
        if !runIDs.isEmpty { o.append(("runs", .array(runIDs.map { .int($0) }))) }
        if !curves.isEmpty { o.append(("curves", .array(curves.map { .string($0) }))) }
        o.append(("params", .string(paramCount.rawValue)))
        return .object(o)
    }
}

enum ParamCount: String, CaseIterable {
    case nonembedding, total

    /// This count of a run's parameters, as the fits' N.
    func of(_ r: RunRecord) -> Double {
        Double(self == .total ? r.paramsTotal : r.paramsNonEmbedding)
    }
}

/// (N, D, loss) observations: imported points when a source is given, else finished runs.
struct SizeObservations {
    var n: [Double] = []
    var d: [Double] = []
    var loss: [Double] = []
    /// Compute budget per observation: an imported point's `compute`, a run's `compute_level` (nil: unknown).
    var level: [Double?] = []

    static func load(_ store: Store, _ sel: DataSelection) throws -> SizeObservations {
        var o = SizeObservations()
        if let source = sel.source {
            let all = try store.points(source: source, where: sel.predicate)
            guard !all.isEmpty else { throw CLIError("no points with source '\(source)'\(sel.predicate.map { " matching \($0)" } ?? "")") }
            // (loss, downstream error) pairs have no N and D: they are the downstream law's data.
            let pts = all.filter { $0.n != nil && $0.d != nil }
            guard !pts.isEmpty else {
                throw CLIError("the \(all.count) points of source '\(source)' have no N and D (they are (loss, downstream_error) pairs: fit them with --law downstream)")
            }
            for p in pts { o.n.append(p.n!); o.d.append(p.d!); o.loss.append(p.loss); o.level.append(p.compute) }
        } else {
            var runs = try store.runs(sweepID: sel.sweep, where: sel.predicate).filter { $0.status == "finished" }
            if !sel.runIDs.isEmpty { runs = runs.filter { sel.runIDs.contains($0.id ?? -1) } }
            for r in runs {
                guard let l = r.finalValLoss else { continue }
                o.n.append(sel.paramCount.of(r))
                o.d.append(Double(r.tokensDone))
                o.loss.append(l)
                o.level.append(r.computeLevel)
            }
            guard !o.loss.isEmpty else {
                throw CLIError("no finished runs to fit in the database (run 'scalefit sweep' or pass --source NAME for imported points)")
            }
        }
        for i in o.loss.indices {
            guard o.n[i].isFinite, o.d[i].isFinite, o.loss[i].isFinite else { throw CLIError("observation \(i + 1) has a NaN or infinite value") }
            guard o.n[i] > 0, o.d[i] > 0, o.loss[i] > 0 else {
                throw CLIError("observation \(i + 1) has a non-positive N, D or loss (\(o.n[i]), \(o.d[i]), \(o.loss[i]))")
            }
        }
        return o
    }

    /// The largest N, D and C = 6ND seen (what predictions extrapolate from).
    var range: [(String, Double)] {
        [("N_max", n.max() ?? .nan), ("D_max", d.max() ?? .nan),
         ("C_max", zip(n, d).map { 6 * $0 * $1 }.max() ?? .nan)]
    }

    func subset(_ keep: [Bool]) -> SizeObservations {
        var o = SizeObservations()
        for i in loss.indices where keep[i] { o.n.append(n[i]); o.d.append(d[i]); o.loss.append(loss[i]); o.level.append(level[i]) }
        return o
    }
}

/// (validation loss, downstream error) pairs: every evaluation of finished runs, or imported points.
/// `run` labels each pair with its run (the bootstrap resamples whole runs: the evaluations of one
/// run are one weight trajectory, not independent draws); imported points are their own units.
func downstreamPairs(_ store: Store, _ sel: DataSelection) throws -> (loss: [Double], err: [Double], run: [Int]) {
    var l: [Double] = [], e: [Double] = [], unit: [Int] = []
    if let source = sel.source {
        for p in try store.points(source: source, where: sel.predicate) {
            if let err = p.downstreamError { l.append(p.loss); e.append(err); unit.append(unit.count) }
        }
    } else {
        var runs = try store.runs(sweepID: sel.sweep, where: sel.predicate).filter { $0.status == "finished" }
        if !sel.runIDs.isEmpty { runs = runs.filter { sel.runIDs.contains($0.id ?? -1) } }
        for r in runs {
            for ev in try store.evals(runID: r.id!) {
                if let v = ev.valLoss, let d = ev.downstreamError, v.isFinite, d.isFinite {
                    l.append(v); e.append(d); unit.append(Int(r.id!))
                }
            }
        }
    }
    guard !l.isEmpty else { throw CLIError("no (loss, downstream error) pairs found: train runs with downstream tasks, or import points with a downstream_error column") }
    return (l, e, unit)
}

/// Loss curves for the annealing law: CSV files (`step, lr, loss`) and/or runs' curves, of the
/// loss `source` picks (see `CurveLoss`).
func lossCurves(_ store: Store?, runIDs: [Int64], files: [String], source: CurveLoss = .train,
                windows: Int = RunCurve.trainWindows, columns: CurveColumnOptions? = nil)
    throws -> [(label: String, curve: LossCurve)] {
    var out: [(String, LossCurve)] = []
    for f in files { out.append((f, try (columns ?? CurveColumnOptions()).read(f))) }
    if !runIDs.isEmpty {
        guard let store else { throw CLIError("no run with id \(runIDs[0])") }
        for id in runIDs { out.append(("run \(id)", try RunCurve.load(store, runID: id, loss: source, windows: windows))) }
    }
    guard !out.isEmpty else { throw CLIError("curve laws need loss curves: --run ID (repeatable) or --curve FILE.csv") }
    return out
}
