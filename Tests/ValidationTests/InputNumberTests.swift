import Schedule
import Trainer
import Validation
import XCTest

final class InputNumberTests: XCTestCase {
    func testStrictDecimalSyntax() {
        for (text, value) in [("16", 16.0), ("-5", -5), ("+2", 2), ("0.5", 0.5), (".5", 0.5), ("5.", 5), ("1e3", 1000),
                              ("1E-3", 0.001), ("3e+2", 300), ("1e300", 1e300)] {
            XCTAssertEqual(InputNumber.parse(text), value, text)
        }
        for text in ["", " 1", "1 ", "0x10", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "1e", "e5", "--1", "1-",
                     "1.2.3", "1_000", "١٢", "½", ".", "-", "1e+", "0x1p3"] {
            XCTAssertNil(InputNumber.parse(text), text)
        }
    }

    func testIntegersAreCheckedAsDoublesBeforeConversion() throws {
        XCTAssertEqual(try InputNumber.integer(3.0, "seed", in: 0...10), 3)
        for (value, message) in [(0.5, "seed must be a whole number (got 0.5)"), (1e30, "seed must be <= 10 (got 1e+30)"),
                                 (-1, "seed must be >= 0 (got -1)"), (.nan, "seed must be a finite number (got nan)"),
                                 (.infinity, "seed must be a finite number (got inf)"),
                                 (9.3e18, "seed must be <= 10 (got 9.3e+18)")] {
            XCTAssertThrowsError(try InputNumber.integer(value, "seed", in: 0...10)) {
                XCTAssertEqual("\($0)", message)
            }
        }
        // The full Int64 range: 2^63 as a Double must not reach Int(), which would trap.
        XCTAssertThrowsError(try InputNumber.integer(9.223372036854775808e18, "x", in: 0...Int.max))
        XCTAssertThrowsError(try InputNumber.integer(-5, "--steps", in: 1...100)) {
            XCTAssertEqual("\($0)", "--steps must be > 0 (got -5)")
        }
        XCTAssertThrowsError(try InputNumber.integer(Int.max, "--steps", in: 1...InputLimits.maxSteps)) {
            XCTAssertEqual("\($0)", "--steps must be <= 100000000 (got 9223372036854775807)")
        }
        XCTAssertEqual(try InputNumber.integer(text: "1e6", "n", in: 0...InputLimits.maxCount), 1_000_000)
        XCTAssertThrowsError(try InputNumber.integer(text: "0x10", "n", in: 0...100))
    }

    func testRealsAndEcho() throws {
        XCTAssertEqual(try InputNumber.real(0.1, "--lr", min: 0, minExclusive: true), 0.1)
        XCTAssertThrowsError(try InputNumber.real(0, "--lr", min: 0, minExclusive: true)) {
            XCTAssertEqual("\($0)", "--lr must be > 0 (got 0)")
        }
        XCTAssertThrowsError(try InputNumber.real(2, "--floor", min: 0, max: 1)) {
            XCTAssertEqual("\($0)", "--floor must be <= 1 (got 2)")
        }
        let long = String(repeating: "9", count: 100_000)
        XCTAssertThrowsError(try InputNumber.real(text: long + "x", "v")) {
            XCTAssertLessThan("\($0)".count, 100)
        }
        XCTAssertEqual(MachineMemory.format(bytes: 27e12), "27 TB")
        XCTAssertEqual(MachineMemory.format(bytes: 1.5e9), "1.5 GB")
        XCTAssertGreaterThan(MachineMemory.totalBytes, 1e8)
    }

    func testModelMemoryIsBoundedWithoutOverflow() throws {
        // The QA crashes: widths and depths whose Int products wrap. Each is now a one-line error.
        for (layers, width, heads) in [(2, 3_000_000_000, 2), (100_000_000, 64, 2), (2, 4_294_967_296, 4_294_967_296)] {
            let m = ModelConfig(nLayer: layers, dModel: width, nHead: heads, seqLen: 64, vocabSize: 256)
            XCTAssertThrowsError(try m.validate())
        }
        // Each size in range, the product far beyond memory: the message names both sizes.
        let big = ModelConfig(nLayer: 1000, dModel: 1 << 20, nHead: 1, seqLen: 64, vocabSize: 256)
        XCTAssertThrowsError(try big.validate()) {
            XCTAssertTrue("\($0)".hasPrefix("model needs 264 PB, more than this machine's "), "\($0)")
        }
        let ok = ModelConfig(nLayer: 2, dModel: 64, nHead: 2, seqLen: 64, vocabSize: 256)
        XCTAssertNoThrow(try ok.validate())
        // The estimate counts the parameters exactly as the model does.
        XCTAssertEqual(MemoryEstimate(model: ok, batch: 1).parameters, Double(ok.paramsTotal))
        // The batch's activations count too: a small model with an enormous batch is refused.
        let sched = LRSchedule(kind: .constant, peak: 1e-3, totalSteps: 10)
        let huge = TrainingConfig(model: ok, batch: 10_000_000, schedule: sched, seed: 0)
        XCTAssertThrowsError(try huge.validate()) { XCTAssertTrue("\($0)".hasPrefix("model needs"), "\($0)") }
        XCTAssertNoThrow(try TrainingConfig(model: ok, batch: 16, schedule: sched, seed: 0).validate())
    }

    func testStepAndTokenCaps() throws {
        let ok = ModelConfig(nLayer: 1, dModel: 32, nHead: 1, seqLen: 64, vocabSize: 256)
        XCTAssertThrowsError(try LRSchedule(kind: .cosine, peak: 1e-3, totalSteps: 100_000_000_001).validate()) {
            XCTAssertTrue("\($0)".contains("<= 100000000"), "\($0)")
        }
        XCTAssertThrowsError(try LRSchedule.parse("cosine:steps=1000000000000", peak: 1e-3, totalSteps: 10))
        XCTAssertThrowsError(try LRSchedule.parse("cosine:warmup=0x10", peak: 1e-3, totalSteps: 100))
        // 10^8 steps of 16 x 1024 tokens is 1.6e12 tokens: over the token cap.
        let wide = ModelConfig(nLayer: 1, dModel: 32, nHead: 1, seqLen: 1024, vocabSize: 256)
        let cfg = TrainingConfig(model: wide, batch: 16, schedule: LRSchedule(kind: .constant, peak: 1e-3, totalSteps: 100_000_000),
                                 seed: 0)
        XCTAssertThrowsError(try cfg.validate()) { XCTAssertTrue("\($0)".contains("1000000000000"), "\($0)") }
        for bad in [TrainingConfig(model: ok, batch: 1, schedule: LRSchedule(kind: .constant, peak: 1, totalSteps: 5), seed: 0,
                                   evalWindows: 0),
                    TrainingConfig(model: ok, batch: 1, schedule: LRSchedule(kind: .constant, peak: 1, totalSteps: 5), seed: 0,
                                   downstreamItems: -1),
                    TrainingConfig(model: ok, batch: 1, schedule: LRSchedule(kind: .constant, peak: 1, totalSteps: 5),
                                   seed: UInt64.max)] {
            XCTAssertThrowsError(try bad.validate())
        }
    }
}
