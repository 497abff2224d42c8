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

    /// Evaluation (validation windows and batched downstream scoring) runs mid-run on the training
    /// model's buffers; it must leave the trajectory alone: the same run evaluated every 3 steps and only
    /// at its end trains to the same losses and gradient norms bit for bit.
    @Test func evaluatingMidRunLeavesTrainingLossesUnchanged() throws {
        BLASThreads.set(1)
        let corpus = Corpus.quanta(seed: 0, parameters: .init(phrases: 64, exponent: 1.6),
                                   trainTokens: 1 << 15, validationTokens: 1 << 12)
        let tasks = DownstreamTask.recall(corpus: corpus, itemsPerTask: 6)
        #expect(!tasks.isEmpty)
        func trajectory(evalEvery: Int) throws -> (steps: [Double], evals: Int) {
            var c = config(steps: 24)
            c.evalEvery = evalEvery
            var steps: [Double] = [], evals = 0
            _ = try TrainingRun(config: c, corpus: corpus, tasks: tasks).run { event in
                switch event {
                case .step(_, _, _, let loss, let norm, _): steps += [loss, norm]
                case .eval: evals += 1
                case .checkpoint: break
                }
            }
            return (steps, evals)
        }
        let often = try trajectory(evalEvery: 3), once = try trajectory(evalEvery: 0)
        #expect(often.evals == 8 && once.evals == 1)
        #expect(often.steps == once.steps)
    }

    /// The same run on 1, 2 and 3 threads: every step's loss and gradient norm, every evaluation
    /// (validation loss, downstream error) and the final losses are bit-identical. The batch is split
    /// into a fixed number of parts whatever the threads, and the clip norm is summed in fixed chunks;
    /// the model (d 64, 87k parameters) is big enough that the norm has several chunks and clipping acts.
    @Test func everyThreadCountTrainsToTheSameBits() throws {
        defer { BLASThreads.set(1) }
        let corpus = Corpus.quanta(seed: 0, parameters: .init(phrases: 64, exponent: 1.6),
                                   trainTokens: 1 << 15, validationTokens: 1 << 12)
        let tasks = DownstreamTask.recall(corpus: corpus, itemsPerTask: 6)
        func trace(threads: Int) throws -> [UInt64] {
            BLASThreads.set(threads)
            var c = config(steps: 24)
            c.model = ModelConfig(nLayer: 1, dModel: 64, nHead: 4, seqLen: 16, vocabSize: 256)
            c.batch = 5
            c.gradClip = 0.05
            c.evalEvery = 8
            var values: [Double] = []
            let out = try TrainingRun(config: c, corpus: corpus, tasks: tasks).run { event in
                switch event {
                case .step(_, _, _, let loss, let norm, _): values += [loss, norm]
                case .eval(_, _, let val, let err, _): values += [val, err ?? .nan]
                case .checkpoint: break
                }
            }
            values += [out.finalTrainLoss ?? .nan, out.finalValLoss ?? .nan]
            return values.map(\.bitPattern)
        }
        let one = try trace(threads: 1), two = try trace(threads: 2), three = try trace(threads: 3)
        #expect(one.count == 2 * 24 + 2 * 3 + 2)
        #expect(one == two)
        #expect(one == three)
    }

    @Test func evaluationStepsAreEveryKAndTheLast() {
        let c = config(steps: 25)
        #expect((1...25).filter(c.isEvalStep) == [10, 20, 25])
    }
}
