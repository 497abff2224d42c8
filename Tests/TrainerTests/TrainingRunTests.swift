import Foundation
import Schedule
import Testing
@testable import Trainer

@Suite(.serialized) struct TrainingRunTests {
    func config(steps: Int) -> TrainingConfig {
        TrainingConfig(model: ModelConfig(nLayer: 1, dModel: 32, nHead: 2, seqLen: 16, vocabSize: 256), batch: 4,
                       schedule: LRSchedule(kind: .cosine, peak: 2e-3, totalSteps: steps, warmupSteps: 4, floorFraction: 0.1),
                       seed: 7, evalEvery: 10, evalWindows: 4, downstreamItems: 0)
    }

    @Test func resumingFromACheckpointContinuesBitForBit() throws {
        BLASThreads.set(1)
        let corpus = Corpus.synthetic(seed: 0, trainTokens: 1 << 16, validationTokens: 1 << 13)
        let run = try TrainingRun(config: config(steps: 30), corpus: corpus, tasks: [])
        var full: [Double] = []
        _ = try run.run { if case .step(_, _, _, let loss, _, _) = $0 { full.append(loss) } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sf-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.ckpt")
        var first: [Double] = []
        let partial = try run.run(stopAfter: 20, checkpointURL: url) {
            if case .step(_, _, _, let loss, _, _) = $0 { first.append(loss) }
        }
        #expect(partial.stepsDone == 20)
        let ck = try Checkpoint.read(from: url)
        #expect(ck.step == 20)
        var rest: [Double] = []
        let done = try run.run(from: ck) { if case .step(_, _, _, let loss, _, _) = $0 { rest.append(loss) } }
        #expect(done.stepsDone == 30)
        #expect(first + rest == full)
    }

    @Test func nonFiniteLossStopsTheRunAsDiverged() throws {
        BLASThreads.set(1)
        var c = config(steps: 100)
        c.schedule = LRSchedule(kind: .constant, peak: 1e4, totalSteps: 100)
        c.gradClip = 0
        let corpus = Corpus.synthetic(seed: 0, trainTokens: 1 << 16, validationTokens: 1 << 13)
        let out = try TrainingRun(config: c, corpus: corpus, tasks: []).run()
        #expect(out.status == .diverged)
        #expect((out.divergedStep ?? 1000) < 100)
    }

    @Test func evaluationStepsAreEveryKAndTheLast() {
        let c = config(steps: 25)
        #expect((1...25).filter(c.isEvalStep) == [10, 20, 25])
    }
}
