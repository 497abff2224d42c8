import ArgumentParser
import Fit
import LawRegistry
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

    /// The selection as stored with the fit.
    var stored: FitSelection {
        FitSelection(source: source, predicate: predicate, sweep: sweep, runs: runIDs, curves: curves, params: paramCount.rawValue)
    }
}

enum ParamCount: String, CaseIterable {
    case nonembedding, total

    /// This count of a run's parameters, as the fits' N.
    func of(_ r: RunRecord) -> Double {
        Double(self == .total ? r.paramsTotal : r.paramsNonEmbedding)
    }
}

/// How a size-law fit treats runs of one (N, D) at several learning rates.
enum LRChoice: String, ExpressibleByArgument, CaseIterable {
    /// The lowest final loss over the LRs: the envelope that IsoFLOP and hyperparameter-scaling
    /// studies fit (Hoffmann et al. 2022 tune the LR schedule per run; Porian et al. 2024 show that an
    /// untuned LR per size bends small-scale fits).
    case best
    /// Every run as its own point.
    case all
}

/// (N, D, loss) observations: imported points when a source is given, else finished runs (with
/// the run id and the LR each point used).
struct SizeObservations {
    var n: [Double] = []
    var d: [Double] = []
    var loss: [Double] = []
    var ids: [Int64?] = []
    var lrs: [Double?] = []
    /// Compute budget per observation: an imported point's `compute`, a run's `compute_level` (nil: unknown).
    var level: [Double?] = []

    mutating func append(n: Double, d: Double, loss: Double, id: Int64?, lr: Double?, level: Double?) {
        self.level.append(level)
        self.n.append(n)
        self.d.append(d)
        self.loss.append(loss)
        ids.append(id)
        lrs.append(lr)
    }

    static func load(_ store: Store, _ sel: DataSelection, lr: LRChoice = .all) throws -> SizeObservations {
        var o = SizeObservations()
        if let source = sel.source {
            let all = try store.points(source: source, where: sel.predicate)
            guard !all.isEmpty else { throw CLIError("no points with source '\(source)'\(sel.predicate.map { " matching \($0)" } ?? "")") }
            // (loss, downstream error) pairs have no N and D: they are the downstream law's data.
            let pts = all.filter { $0.n != nil && $0.d != nil }
            guard !pts.isEmpty else {
                let pairLaws = LawRegistry.standard.laws.filter { $0.input == .lossErrorPairs }.map(\.name)
                throw CLIError("the \(all.count) points of source '\(source)' have no N and D (they are (loss, downstream_error) pairs: fit them with --law \(pairLaws.joined(separator: " or --law ")))")
            }
            for p in pts { o.append(n: p.n!, d: p.d!, loss: p.loss, id: nil, lr: nil, level: p.compute) }
        } else {
            var runs = try store.runs(sweepID: sel.sweep, where: sel.predicate).filter { $0.status == "finished" }
            if !sel.runIDs.isEmpty { runs = runs.filter { sel.runIDs.contains($0.id ?? -1) } }
            var best: [String: Int] = [:]   // (N, D) -> index of the kept run
            for r in runs {
                guard let l = r.finalValLoss else { continue }
                let key = "\(sel.paramCount.of(r))|\(r.tokensDone)"
                if lr == .best, let k = best[key] {
                    if l < o.loss[k] { o.loss[k] = l; o.ids[k] = r.id; o.lrs[k] = r.lr; o.level[k] = r.computeLevel }
                    continue
                }
                best[key] = o.loss.count
                o.append(n: sel.paramCount.of(r), d: Double(r.tokensDone), loss: l, id: r.id, lr: r.lr, level: r.computeLevel)
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

    /// The observations as a size law takes them.
    var sizePoints: SizePoints { SizePoints(n: n, d: d, loss: loss, level: level) }

    func subset(_ keep: [Bool]) -> SizeObservations {
        var o = SizeObservations()
        for i in loss.indices where keep[i] { o.append(n: n[i], d: d[i], loss: loss[i], id: ids[i], lr: lrs[i], level: level[i]) }
        return o
    }
}

/// (validation loss, downstream error) pairs: every evaluation of finished runs, or imported points.
/// `run` labels each pair with its run (the bootstrap resamples whole runs: the evaluations of one
/// run are one weight trajectory, not independent draws); imported points are their own units.
func downstreamPairs(_ store: Store, _ sel: DataSelection) throws -> LossErrorPairs {
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
    return LossErrorPairs(loss: l, error: e, unit: unit)
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

extension SizeObservations {
    /// Every point with its run and LR, as stored with the fit and printed by `--json`.
    var json: JSONText.Value {
        .array(loss.indices.map { i in
            .object([("run_id", ids[i].map { .int($0) } ?? .null), ("N", .number(n[i])), ("D", .number(d[i])),
                     ("lr", lrs[i].map { .number($0) } ?? .null), ("loss", .number(loss[i]))])
        })
    }

    /// "LR per size" lines for the table output: which LR each size's points used.
    var lrLines: [String] {
        guard lrs.contains(where: { $0 != nil }) else { return [] }
        var bySize: [Double: Set<Double>] = [:]
        for i in n.indices { if let lr = lrs[i] { bySize[n[i], default: []].insert(lr) } }
        let parts = bySize.keys.sorted().map { size in
            "N \(formatNumber(size)): " + bySize[size]!.sorted().map { formatNumber($0) }.joined(separator: "/")
        }
        return ["  LR of the fitted points: " + parts.joined(separator: ", ")]
    }
}
