import Foundation
import Schedule
import Testing
@testable import Trainer

/// Checkpoint checksums, temporary files on failure, and run totals carried across resumes.
@Suite struct CheckpointIntegrityTests {
    static let config = ModelConfig(nLayer: 1, dModel: 16, nHead: 2, seqLen: 8, vocabSize: 32)

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sf-ckint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func sample(seed: UInt64 = 3) -> Checkpoint {
        let model = Model(config: Self.config, seed: seed)
        return Checkpoint(model: model, optimizer: AdamW(layout: model.layout), step: 5, metadata: ["k": "v"])
    }

    @Test func aFlippedBitAnywhereIsACorruptCheckpoint() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("r.ckpt")
        try Checkpoint.write(sample(), to: url)
        let good = try [UInt8](Data(contentsOf: url))
        // One bit in the weights, in the Adam state, in the JSON header, and in the checksum itself.
        let n = Self.config.paramsTotal
        for offset in [good.count - 12 * n + 7, good.count - 4 * n + 1, good.count - 1, 30, 17] {
            var bytes = good
            bytes[offset] ^= 0x10
            try Data(bytes).write(to: url)
            #expect(throws: CheckpointError.corrupt(path: url.path), "bit at \(offset)") { try Checkpoint.read(from: url) }
        }
        #expect(CheckpointError.corrupt(path: url.path).description == "checkpoint \(url.path) is corrupt (checksum mismatch)")
        try Data(good).write(to: url)
        #expect(try Checkpoint.read(from: url) == sample())
    }

    @Test func aVersionOneCheckpointIsRefusedWithAClearMessage() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("old.ckpt")
        var bytes = Array("SFCK".utf8) + [1, 0, 0, 0] + [2, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8)
        bytes += [UInt8](repeating: 0, count: 64)
        try Data(bytes).write(to: url)
        #expect(throws: CheckpointError.unchecked(path: url.path)) { try Checkpoint.read(from: url) }
        #expect(CheckpointError.unchecked(path: url.path).description.contains("no checksum"))
    }

    @Test func aFailedWriteLeavesNoTemporaryAndKeepsTheOldCheckpoint() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("r.ckpt")
        try Checkpoint.write(sample(seed: 1), to: url)
        struct DiskFull: Error {}
        // Half the bytes reach the temporary file, then the disk is full.
        #expect(throws: CheckpointError.self) {
            try Checkpoint.write(sample(seed: 2), to: url) { data, tmp in
                try data.prefix(data.count / 2).write(to: tmp)
                throw DiskFull()
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names == ["r.ckpt"], "\(names)")
        #expect(try Checkpoint.read(from: url) == sample(seed: 1))
    }

    @Test func staleTemporariesOfACrashedWriterAreRemoved() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("r.ckpt")
        for pid in [123, 99999] { try Data([1, 2, 3]).write(to: dir.appendingPathComponent(".r.ckpt.tmp-\(pid)")) }
        try Data([9]).write(to: dir.appendingPathComponent(".other.ckpt.tmp-5"))
        Checkpoint.removeStaleTemporaries(for: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [".other.ckpt.tmp-5"])
    }
}

extension TrainingTests {
    /// Wall time and tokens/s after a resume cover both segments: the checkpoint carries the
    /// totals, and the resumed run continues them.
    @Test func resumedRunAccumulatesWallTimeAndThroughput() throws {
        BLASThreads.set(1)
        let cfg = TrainingConfig(model: ModelConfig(nLayer: 1, dModel: 32, nHead: 2, seqLen: 16, vocabSize: 256), batch: 4,
                                 schedule: LRSchedule(kind: .cosine, peak: 2e-3, totalSteps: 24, warmupSteps: 2, floorFraction: 0.1),
                                 seed: 3, evalEvery: 6, evalWindows: 2, downstreamItems: 0)
        let corpus = Corpus.synthetic(seed: 0, trainTokens: 1 << 15, validationTokens: 1 << 12)
        let run = try TrainingRun(config: cfg, corpus: corpus, tasks: [])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sf-acc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.ckpt")
        let first = try run.run(stopAfter: 12, checkpointURL: url)
        let ck = try Checkpoint.read(from: url)
        let carried = TrainingTotals(metadata: ck.metadata)
        #expect(carried.trainedSteps == 12)
        #expect(carried.wallSeconds > 0 && carried.wallSeconds <= first.wallSeconds)
        #expect(carried.trainSeconds > 0 && carried.trainSeconds <= carried.wallSeconds)
        var elapsed: [Double] = []
        let second = try run.run(from: ck, checkpointURL: url, carried: carried) {
            if case .step(_, _, _, _, _, let e) = $0 { elapsed.append(e) }
        }
        #expect(second.stepsDone == 24)
        // Step timestamps continue from the first segment's, and the total covers both.
        #expect(elapsed.first! > carried.wallSeconds)
        #expect(second.wallSeconds > carried.wallSeconds && second.wallSeconds >= elapsed.last!)
        let final = TrainingTotals(metadata: try Checkpoint.read(from: url).metadata)
        #expect(final.trainedSteps == 24)
        #expect(final.trainSeconds > carried.trainSeconds)
        #expect(second.tokensPerSecond == Double(24 * cfg.tokensPerStep) / final.trainSeconds)
    }
}
