import Foundation
import Testing
@testable import Trainer

@Suite struct CheckpointTests {
    static let config = ModelConfig(nLayer: 2, dModel: 16, nHead: 2, seqLen: 8, vocabSize: 32)

    static func tempURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sf-ckpt-\(getpid())-\(name).ckpt")
    }

    @Test func roundTripsEveryField() throws {
        let model = Model(config: Self.config, seed: 1)
        var adam = AdamW(layout: model.layout, weightDecay: 0.05)
        var data = TestData(seed: 2)
        model.gradients.load(data.gaussian(model.gradients.count))
        adam.update(model, lr: 1e-3)
        let rng: [String: UInt64] = ["data": UInt64.max - 12345, "init": 0x9E37_79B9_7F4A_7C15]
        let original = Checkpoint(model: model, optimizer: adam, step: 17, rngStates: rng, metadata: ["run": "a"])
        let url = Self.tempURL("roundtrip")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.write(original, to: url)
        let loaded = try Checkpoint.read(from: url)
        #expect(loaded == original)
        #expect(loaded.rngStates["data"] == UInt64.max - 12345)
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(Array(bytes[0..<4]) == Array("SFCK".utf8))
        #expect(bytes[4] == 2 && bytes[5] == 0)   // version 2, little-endian
        // No temporary file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.contains(url.lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func rejectsCorruptFiles() throws {
        let model = Model(config: Self.config, seed: 1)
        let url = Self.tempURL("corrupt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.write(Checkpoint(model: model, optimizer: AdamW(layout: model.layout), step: 0), to: url)
        var bytes = try [UInt8](Data(contentsOf: url))
        try Data(bytes.dropLast(4)).write(to: url)
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        bytes[0] = UInt8(ascii: "X")
        try Data(bytes).write(to: url)
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        bytes[0] = UInt8(ascii: "S")
        bytes[4] = 9
        try Data(bytes).write(to: url)
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        // A checkpoint for another config is refused by restore.
        let other = Model(config: ModelConfig(nLayer: 1, dModel: 16, nHead: 2, seqLen: 8, vocabSize: 32), seed: 1)
        let good = Checkpoint(model: model, optimizer: AdamW(layout: model.layout), step: 0)
        #expect(throws: CheckpointError.self) { _ = try good.restore(into: other) }
    }
}

/// In the serialized TrainingTests suite because it compares losses bit for bit: no other test may
/// change the process-wide thread setting while it runs.
extension TrainingTests {
    /// Train 3 steps, checkpoint, train 3 more; a fresh model (different seed) restored from the
    /// checkpoint, fed the same data stream from the saved RNG state, reproduces the last 3 losses bit for bit.
    @Test func resumingGivesBitIdenticalLosses() throws {
        let model = Model(config: CheckpointTests.config, seed: 10, maxBatch: 2)
        var adam = AdamW(layout: model.layout)
        var data = TestData(seed: 20)
        for _ in 0..<3 { _ = trainStep(model, &adam, randomBatch(&data, CheckpointTests.config, batch: 2), batchSize: 2, lr: 1e-3) }
        let url = CheckpointTests.tempURL("resume")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.write(Checkpoint(model: model, optimizer: adam, step: 3, rngStates: ["data": data.rng.state]), to: url)
        let continued = (0..<3).map { _ in
            trainStep(model, &adam, randomBatch(&data, CheckpointTests.config, batch: 2), batchSize: 2, lr: 1e-3)
        }

        let checkpoint = try Checkpoint.read(from: url)
        let resumed = Model(config: checkpoint.config, seed: 999, maxBatch: 2)
        var resumedAdam = try checkpoint.restore(into: resumed)
        var resumedData = TestData(seed: 0)
        resumedData.rng.state = try #require(checkpoint.rngStates["data"])
        #expect(checkpoint.step == 3 && resumedAdam.step == 3)
        let replayed = (0..<3).map { _ in
            trainStep(resumed, &resumedAdam, randomBatch(&resumedData, CheckpointTests.config, batch: 2), batchSize: 2, lr: 1e-3)
        }
        #expect(replayed.map(\.bitPattern) == continued.map(\.bitPattern))
        #expect(resumed.parameters.array == model.parameters.array)
    }
}
