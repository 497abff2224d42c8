import Foundation
import Tabular
import Validation

/// The columns of a curve file that hold the step, the learning rate and the loss: named by the
/// user (`--step-col`, `--lr-col`, `--loss-col`) or recognised from the names loggers write:
/// W&B (`_step`, `train/loss`, panel exports `RUN - train/loss`), PyTorch Lightning's
/// CSVLogger (`step`, `train_loss`, `lr-AdamW`), Hugging Face's Trainer (`global_step`,
/// `learning_rate`, `loss`), TensorBoard exports (`Step`).
public struct CurveColumns: Sendable, Equatable {
    public var step: String?
    public var lr: String?
    public var loss: String?

    public init(step: String? = nil, lr: String? = nil, loss: String? = nil) {
        self.step = step
        self.lr = lr
        self.loss = loss
    }

    static let stepSpec = ColumnSpec("step", aliases: ["step", "_step", "global_step", "trainer/global_step",
                                                       "train/global_step"])
    static let lrSpec = ColumnSpec("learning-rate", aliases: ["lr", "learning_rate", "train/lr", "train/learning_rate"],
                                   prefixes: ["lr-", "lr/"])
    /// Training loss first (the annealing law describes it); validation loss when that is all there is.
    static let lossSpec = ColumnSpec("loss", aliases: ["loss", "train/loss", "train_loss", "train_loss_step",
                                                       "train/loss_step", "val/loss", "val_loss"])
}

/// A curve or LR file read row by row: the step of every row, its rate and loss where logged.
///
/// Loggers interleave metrics: a row may carry the loss and not the rate, or the rate alone
/// (Lightning's LearningRateMonitor writes `lr-AdamW` on rows of its own). Rows without a loss
/// are skipped (and counted for a note); a loss row without a rate takes the rate interpolated
/// linearly between the rows that have one (held flat before the first and after the last).
/// Steps are non-negative integers, strictly increasing among the loss rows (non-decreasing
/// among the rate rows, which may share a step with a loss row); losses are finite and > 0;
/// rates finite, >= 0 and not all 0.
public struct CurveFile: Sendable {
    public var curve: LossCurve
    /// Rows skipped because their loss cell was empty.
    public var rowsWithoutLoss: Int
    /// Loss rows whose rate was interpolated from neighbouring rows.
    public var interpolatedRates: Int
    /// The columns used, as named in the file.
    public var columnsUsed: (step: String, lr: String, loss: String)

    /// The largest step a curve may log (`InputLimits.maxSteps`): the annealing law sums one
    /// rate per step, so a curve claiming 10^14 steps would need terabytes.
    public static let maxStep = InputLimits.maxSteps

    /// What to tell the user about rows that were skipped or filled in (for `note:` lines).
    public var notes: [String] {
        var n: [String] = []
        if rowsWithoutLoss > 0 {
            n.append("\(rowsWithoutLoss) row\(rowsWithoutLoss == 1 ? "" : "s") with an empty \(columnsUsed.loss) skipped"
                     + (curve.rates != nil ? " (their rates still count in the curve's LR areas)" : ""))
        }
        if interpolatedRates > 0 {
            n.append("\(interpolatedRates) row\(interpolatedRates == 1 ? "" : "s") without \(columnsUsed.lr): rate interpolated from the rows that have it")
        }
        return n
    }

    public static func read(path: String, columns: CurveColumns = CurveColumns()) throws -> CurveFile {
        try parse(try DataTable.read(path: path), columns: columns)
    }

    /// A curve file whose rates come from an LR file (`step, lr`, every step or interpolated between
    /// its rows, a ramp from 0 before its first row): the curve file needs no LR column, and one it
    /// has is not used. The LR file must reach the curve's last row.
    public static func read(path: String, columns: CurveColumns = CurveColumns(), rates: LRTrace) throws -> CurveFile {
        let t = try DataTable.read(path: path)
        let sk = try t.requiredColumn(CurveColumns.stepSpec, explicit: columns.step, flag: "--step-col")
        let ok = try t.requiredColumn(CurveColumns.lossSpec, explicit: columns.loss, flag: "--loss-col")
        let rows = try StepRows(t, step: sk, values: [ok])
        let lossRows = rows.steps.indices.filter { rows.values[0][$0] != nil }
        guard let last = lossRows.last else { throw t.error(0, "no rows with a \(t.columns[ok]) value (\(t.rows.count) rows read)") }
        try rows.checkIncreasing(lossRows)
        for i in lossRows where !(rows.values[0][i]! > 0) {
            throw t.error(rows.lines[i], "\(t.columns[ok]) must be > 0 (got \(rows.values[0][i]!))")
        }
        guard rates.lastStep >= rows.steps[last] else {
            throw t.error(rows.lines[last], "the LR file ends at step \(rates.lastStep), before this row's step \(rows.steps[last])")
        }
        let dense = rates.dense()
        var curve = LossCurve(steps: lossRows.map { rows.steps[$0] }, lrs: lossRows.map { dense[rows.steps[$0]] },
                              losses: lossRows.map { rows.values[0][$0]! })
        curve.rates = dense
        return CurveFile(curve: curve, rowsWithoutLoss: t.rows.count - lossRows.count, interpolatedRates: 0,
                         columnsUsed: (t.columns[sk], "lr (LR file)", t.columns[ok]))
    }

    public static func parse(_ t: DataTable, columns: CurveColumns = CurveColumns()) throws -> CurveFile {
        let sk = try t.requiredColumn(CurveColumns.stepSpec, explicit: columns.step, flag: "--step-col")
        let lk = try t.requiredColumn(CurveColumns.lrSpec, explicit: columns.lr, flag: "--lr-col")
        let ok = try t.requiredColumn(CurveColumns.lossSpec, explicit: columns.loss, flag: "--loss-col")
        let rows = try StepRows(t, step: sk, values: [lk, ok])
        let lrs = rows.values[0], losses = rows.values[1]
        let lossRows = rows.steps.indices.filter { losses[$0] != nil }
        guard !lossRows.isEmpty else {
            throw t.error(0, "no rows with a \(t.columns[ok]) value (\(t.rows.count) rows read)")
        }
        try rows.checkIncreasing(lossRows)
        for i in lossRows where !(losses[i]! > 0) {
            throw t.error(rows.lines[i], "\(t.columns[ok]) must be > 0 (got \(losses[i]!))")
        }
        let trace = try rows.trace(column: 0, name: t.columns[lk])
        var curveLRs: [Double] = [], interpolated = 0
        for i in lossRows {
            if let v = lrs[i] { curveLRs.append(v) } else {
                curveLRs.append(trace.rate(at: rows.steps[i]))
                interpolated += 1
            }
        }
        var curve = LossCurve(steps: lossRows.map { rows.steps[$0] }, lrs: curveLRs, losses: lossRows.map { losses[$0]! })
        // Rows with a rate and no loss (a file with every step's LR, losses where logged) give the
        // curve its rates between loss rows: a step drop between two logged losses is then exact,
        // where interpolating the loss rows' rates would smear it (docs/curve-laws.md).
        if trace.steps.count > lossRows.count { curve.rates = trace.dense() }
        return CurveFile(curve: curve, rowsWithoutLoss: t.rows.count - lossRows.count, interpolatedRates: interpolated,
                         columnsUsed: (t.columns[sk], t.columns[lk], t.columns[ok]))
    }

    /// An LR file (`predict --lr-file`): step and rate columns, rows without a rate skipped.
    static func readTrace(_ t: DataTable, columns: CurveColumns = CurveColumns()) throws -> LRTrace {
        let sk = try t.requiredColumn(CurveColumns.stepSpec, explicit: columns.step, flag: "--step-col")
        let lk = try t.requiredColumn(CurveColumns.lrSpec, explicit: columns.lr, flag: "--lr-col")
        let rows = try StepRows(t, step: sk, values: [lk])
        return try rows.trace(column: 0, name: t.columns[lk], strictly: true)
    }
}

/// The rows of a step-indexed table: steps checked, the requested columns as optional numbers.
private struct StepRows {
    let table: DataTable
    var lines: [Int] = []
    var steps: [Int] = []
    var values: [[Double?]]

    /// Rows where every one of `values` is empty are dropped; a row with values needs a step.
    init(_ t: DataTable, step sk: Int, values columns: [Int]) throws {
        table = t
        values = Array(repeating: [], count: columns.count)
        guard !t.rows.isEmpty else { throw t.error(0, "no data rows after the header") }
        for row in t.rows {
            let vs = try columns.map { try t.number(row, $0) }
            if vs.allSatisfy({ $0 == nil }) { continue }
            guard let s = try t.number(row, sk) else { throw t.error(row.line, "\(t.columns[sk]) is empty") }
            guard s >= 0, s == s.rounded(.towardZero) else {
                throw t.error(row.line, "\(t.columns[sk]) must be a non-negative integer (got \(TableFileError.quote(row.cells[sk] ?? "")))")
            }
            guard s <= Double(CurveFile.maxStep) else {
                throw t.error(row.line, "\(t.columns[sk]) \(TableFileError.quote(row.cells[sk] ?? "")) is beyond the cap of \(CurveFile.maxStep) steps per curve")
            }
            lines.append(row.line)
            steps.append(Int(s))
            for k in vs.indices { values[k].append(vs[k]) }
        }
    }

    func checkIncreasing(_ rows: [Int]) throws {
        for (a, b) in zip(rows, rows.dropFirst()) where steps[b] <= steps[a] {
            throw table.error(lines[b], "steps must increase (step \(steps[b]) after step \(steps[a]))")
        }
    }

    /// The rate column as a trace; rates >= 0, not all 0, steps increasing (ties allowed unless
    /// `strictly`: a rate row may share its step with a loss row; the later value wins).
    func trace(column c: Int, name: String, strictly: Bool = false) throws -> LRTrace {
        let rows = steps.indices.filter { values[c][$0] != nil }
        guard !rows.isEmpty else { throw table.error(0, "no rows with a \(name) value") }
        var ts: [Int] = [], ls: [Double] = []
        for (k, i) in rows.enumerated() {
            let v = values[c][i]!
            guard v >= 0 else { throw table.error(lines[i], "\(name) must be >= 0 (got \(v))") }
            guard v <= InputLimits.maxLearningRate else {
                throw table.error(lines[i], "\(name) must be <= \(InputEcho.shown(InputLimits.maxLearningRate)) (got \(v)): not a learning rate")
            }
            if k > 0 {
                let prev = rows[k - 1]
                if steps[i] < steps[prev] || (strictly && steps[i] == steps[prev]) {
                    throw table.error(lines[i], "steps must increase (step \(steps[i]) after step \(steps[prev]))")
                }
            }
            if ts.last == steps[i] { ls[ls.count - 1] = v } else { ts.append(steps[i]); ls.append(v) }
        }
        guard ls.contains(where: { $0 > 0 }) else {
            throw table.error(0, "every \(name) value is 0 (a curve needs the learning rate it was trained with)")
        }
        return LRTrace(steps: ts, lrs: ls)
    }
}

extension LRTrace {
    /// The rate at `step`: logged, or linear between the neighbouring logged rows, held flat
    /// outside them (as `dense` fills steps in).
    func rate(at step: Int) -> Double {
        guard let hi = steps.firstIndex(where: { $0 >= step }) else { return lrs.last ?? 0 }
        if steps[hi] == step || hi == 0 { return lrs[hi] }
        let (s0, s1) = (Double(steps[hi - 1]), Double(steps[hi]))
        return lrs[hi - 1] + (Double(step) - s0) / (s1 - s0) * (lrs[hi] - lrs[hi - 1])
    }
}
