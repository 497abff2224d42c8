import Foundation
import Testing
@testable import Fit
import Laws

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
        #expect(message("step,lr\n1,0.1\n") == "run.csv:1: missing column 'loss' (header has: step, lr)")
        #expect(message("step,lr,loss\n1,0.1,3\n2,abc,2.9\n").hasPrefix("run.csv:3: column 'lr' is not a finite number: 'abc'"))
        #expect(message("step,lr,loss\n1,0.1,3\n2,0.1,nan\n").hasPrefix("run.csv:3: column 'loss'"))
        #expect(message("step,lr,loss\n1,0.1,3\n5,0.1,2.9\n5,0.1,2.8\n") == "run.csv:4: steps must increase (step 5 after step 5)")
        #expect(message("step,lr,loss\n1.5,0.1,3\n").hasPrefix("run.csv:2: step must be a non-negative integer"))
        #expect(message("step,lr,loss\n1,0.1\n").hasPrefix("run.csv:2: missing value for column 'loss'"))
        #expect(message("\n\n") .hasPrefix("run.csv: empty file"))
        #expect(message("step,lr,loss\n") == "run.csv: no data rows after the header")
        #expect(message("step,lr,loss\n1,-0.1,3\n").contains("negative learning rate"))
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
        #expect(throws: CurveFileError(source: curveFile.path, line: 3, message: "column 'step' is not a finite number: 'x'")) {
            try LossCurve.read(path: curveFile.path)
        }
        let missing = dir.appendingPathComponent("missing.csv").path
        #expect(throws: CurveFileError.self) { try LRTrace.read(path: missing) }
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
