import Foundation
import Testing
@testable import Fit
import Laws
import Tabular

@Suite struct CurveTests {
    @Test func parsesAnyColumnOrderExtraColumnsAndCRLF() throws {
        let text = "Loss, tokens ,step,LR\r\n3.5,100,1,0.001\r\n3.1,200,2,0.002\r\n\r\n2.9,400,4,0.001\r\n"
        let curve = try LossCurve.parse(text: text, source: "run.csv")
        #expect(curve.steps == [1, 2, 4])
        #expect(curve.lrs == [0.001, 0.002, 0.001])
        #expect(curve.losses == [3.5, 3.1, 2.9])
        #expect(curve.lastStep == 4)
    }

    @Test func errorsNameFileAndLine() {
        func message(_ text: String) -> String {
            do {
                _ = try LossCurve.parse(text: text, source: "run.csv")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("step,lr\n1,0.1\n").hasPrefix("run.csv:1: no loss column (accepted names: loss, train/loss, train_loss"))
        #expect(message("step,lr,loss\n1,0.1,3\n2,abc,2.9\n") == "run.csv:3: lr = 'abc' is not a finite decimal number")
        #expect(message("step,lr,loss\n1,0.1,3\n2,0.1,nan\n") == "run.csv:3: loss = 'nan' is not a finite decimal number")
        #expect(message("step,lr,loss\n1,0x10,3\n") == "run.csv:2: lr = '0x10' is not a finite decimal number")
        #expect(message("step,lr,loss\n1,0.1,3\n5,0.1,2.9\n5,0.1,2.8\n") == "run.csv:4: steps must increase (step 5 after step 5)")
        #expect(message("step,lr,loss\n1.5,0.1,3\n") == "run.csv:2: step must be a non-negative integer (got '1.5')")
        #expect(message("step,lr,loss\n-1,0.1,3\n") == "run.csv:2: step must be a non-negative integer (got '-1')")
        #expect(message("step,lr,loss\n1,0.1,3\n99999999999999,0.1,2\n") == "run.csv:3: step '99999999999999' is beyond the cap of 100000000 steps per curve")
        #expect(message("step,lr,loss\n1,0.1\n") == "run.csv:2: 2 fields, the header (line 1) has 3")
        #expect(message("\n\n") == "run.csv: empty file (expected a header line naming the columns)")
        #expect(message("step,lr,loss\n") == "run.csv: no data rows after the header")
        #expect(message("step,lr,loss\n1,-0.1,3\n") == "run.csv:2: lr must be >= 0 (got -0.1)")
        #expect(message("step,lr,loss\n1,0.1,-3\n") == "run.csv:2: loss must be > 0 (got -3.0)")
        #expect(message("step,lr,loss\n1,0,3\n2,0,2\n").hasPrefix("run.csv: every lr value is 0"))
        #expect(message("step,lr,loss\n1,0.1,\n2,0.1,\n") == "run.csv: no rows with a loss value (2 rows read)")
        #expect(message("step,lr,loss,loss\n1,0.1,3,3\n") == "run.csv:1: column 'loss' appears twice (columns 3 and 4)")
        #expect(message("step,lr,loss\n1,0.1,\"3\n") == "run.csv:2: unterminated quote: the quoted field that starts on this line never closes")
    }

    /// Logger exports import without renaming: W&B (`Step`, `train/loss`, empty cells where other
    /// metrics were logged), Lightning (`lr-AdamW` on rows of its own), JSON Lines histories.
    @Test func loggerExportsNeedNoRenaming() throws {
        let wandb = "Step,train/loss,lr,val/acc\n1,3.5,0.001,\n2,,0.002,0.1\n3,3.1,0.002,\n4,,0.001,0.2\n5,2.9,0.001,\n"
        let w = try CurveFile.parse(try DataTable.csv(wandb, file: "w.csv"))
        #expect(w.curve.steps == [1, 3, 5] && w.curve.losses == [3.5, 3.1, 2.9] && w.curve.lrs == [0.001, 0.002, 0.001])
        #expect(w.rowsWithoutLoss == 2
                && w.notes == ["2 rows with an empty train/loss skipped (their rates still count in the curve's LR areas)"])
        // The rate-only rows give the curve its rate at every step (0-based: ramp before step 1).
        #expect(w.curve.rates == [0, 0.001, 0.002, 0.002, 0.001, 0.001])
        // Lightning's CSVLogger: the LR monitor writes its own rows; loss rows take interpolated rates.
        let lightning = "epoch,step,lr-AdamW,train_loss\n0,0,0.001,\n0,1,,3.5\n0,2,0.003,\n0,3,,3.0\n0,4,0.002,2.5\n"
        let l = try CurveFile.parse(try DataTable.csv(lightning, file: "metrics.csv"))
        #expect(l.curve.steps == [1, 3, 4] && l.curve.lrs == [0.002, 0.0025, 0.002])
        #expect(l.rowsWithoutLoss == 2 && l.interpolatedRates == 2)
        let hf = "{\"global_step\": 10, \"learning_rate\": 5e-4, \"loss\": 2.5}\n{\"global_step\": 20, \"learning_rate\": 4e-4, \"eval_loss\": 2.7}\n{\"global_step\": 30, \"learning_rate\": 3e-4, \"loss\": 2.25}\n"
        let h = try CurveFile.parse(try DataTable.jsonLines(hf, file: "h.jsonl"))
        #expect(h.curve.steps == [10, 30] && h.curve.lrs == [5e-4, 3e-4] && h.curve.losses == [2.5, 2.25])
        // Other names need the flags; a flag naming no column is an error listing the columns.
        let other = "it,eta,objective\n1,0.1,3\n2,0.1,2\n"
        #expect(throws: TableFileError.self) { try CurveFile.parse(try DataTable.csv(other, file: "o.csv")) }
        let o = try CurveFile.parse(try DataTable.csv(other, file: "o.csv"), columns: CurveColumns(step: "IT", lr: "eta", loss: "objective"))
        #expect(o.curve.steps == [1, 2] && o.curve.losses == [3, 2])
        #expect(throws: TableFileError(file: "o.csv", line: 1, message: "no column 'loss' for loss (columns: it, eta, objective)")) {
            try CurveFile.parse(try DataTable.csv(other, file: "o.csv"), columns: CurveColumns(step: "it", lr: "eta", loss: "loss"))
        }
    }

    @Test func readsFilesAndReportsUnreadableOnes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curve-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lrFile = dir.appendingPathComponent("lr.csv")
        try "lr,step\n0.5,2\n0.25,4\n".write(to: lrFile, atomically: true, encoding: .utf8)
        let trace = try LRTrace.read(path: lrFile.path)
        #expect(trace == LRTrace(steps: [2, 4], lrs: [0.5, 0.25]))
        let curveFile = dir.appendingPathComponent("curve.csv")
        try "step,lr,loss\n1,0.1,3\nx,0.1,2\n".write(to: curveFile, atomically: true, encoding: .utf8)
        #expect(throws: TableFileError(file: curveFile.path, line: 3, message: "step = 'x' is not a finite decimal number")) {
            try LossCurve.read(path: curveFile.path)
        }
        let missing = dir.appendingPathComponent("missing.csv").path
        #expect(throws: TableFileError(file: missing, line: 0, message: "no such file")) { try LRTrace.read(path: missing) }
    }

    @Test func denseInterpolatesLinearlyAndHoldsEnds() {
        // Logged at (0-based) steps 3, 5, 9: row s is the rate of step s; before 3 a warmup ramp from 0
        // (or its LR held), between interpolate, after 9 hold.
        let curve = LossCurve(steps: [3, 5, 9], lrs: [1.0, 2.0, 0.0], losses: [3, 2, 1])
        let dense = curve.denseLRs(totalSteps: 11)
        #expect(dense == [0, 1.0 / 3, 2.0 / 3, 1, 1.5, 2, 1.5, 1, 0.5, 0, 0])
        #expect(curve.lrTrace.dense(totalSteps: 11, before: .hold) == [1, 1, 1, 1, 1.5, 2, 1.5, 1, 0.5, 0, 0])
        // Shorter than the log: truncated.
        #expect(curve.denseLRs(totalSteps: 5) == [0, 1.0 / 3, 2.0 / 3, 1, 1.5])
        // Every step logged: returned as is, through the last row.
        let full = LRTrace(steps: [0, 1, 2], lrs: [0.3, 0.2, 0.1])
        #expect(full.dense() == [0.3, 0.2, 0.1])
    }

    @Test func denseWarmupAsPeak() {
        let trace = LRTrace(steps: [0, 1, 2, 3, 4], lrs: [0.25, 0.5, 1.0, 0.8, 0.4])
        #expect(trace.dense(warmupAsPeak: 2) == [1.0, 1.0, 1.0, 0.8, 0.4])
        #expect(trace.dense(warmupAsPeak: 0) == [0.25, 0.5, 1.0, 0.8, 0.4])
    }

    @Test func exactRatesOverrideInterpolation() {
        // Sparse loss rows (steps 3 and 6) but every update's rate known: the areas use the rates.
        let rates = [0.5, 1.0, 1.0, 1.0, 0.2, 0.1]
        let curve = LossCurve(steps: [3, 6], lrs: [1.0, 0.1], losses: [3, 2], rates: rates)
        #expect(curve.denseLRs(totalSteps: 6) == rates)
        #expect(curve.denseLRs(totalSteps: 8) == rates + [0.1, 0.1])
        #expect(curve.denseLRs(totalSteps: 6, warmupAsPeak: 1) == [1.0, 1.0, 1.0, 1.0, 0.2, 0.1])
        #expect(curve.warmupSteps == 1)
        // Without rates the warmup is read off the logged rows.
        #expect(LossCurve(steps: [3, 6], lrs: [1.0, 0.1], losses: [3, 2]).warmupSteps == 3)
    }
}
