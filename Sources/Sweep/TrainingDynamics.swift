import Foundation
import Report
import Store
import Trainer

/// Records the training-dynamics measures of Diehl Martinez et al. (2024), "Tending Towards
/// Stability": the effective rank (Roy and Vetterli 2007) of every weight matrix at every
/// evaluation, and, at the end, the linear CKA between each block's output at every evaluation and
/// at the final one, on a fixed probe batch of held-out windows.
///
/// Activations are kept in memory between evaluations, so after a resume the CKA covers the
/// evaluations since the resume (the effective ranks are stored as they are measured).
final class TrainingDynamics {
    let store: Store
    let runID: Int64
    let probeInputs: [Int32]
    let probeTargets: [Int32]
    let probeBatch: Int
    var snapshots: [(step: Int, layers: [[Float]])] = []

    init(store: Store, runID: Int64, validation: [UInt8], seqLen: Int, probeBatch: Int = 4) {
        self.store = store
        self.runID = runID
        let windows = BatchSampler.evaluationWindows(tokens: validation, seqLen: seqLen, maxWindows: probeBatch)
        self.probeBatch = windows.count
        probeInputs = windows.flatMap { $0.prefix(seqLen).map(Int32.init) }
        probeTargets = windows.flatMap { $0.dropFirst().prefix(seqLen).map(Int32.init) }
    }

    func record(_ model: Model, step: Int) throws {
        let ranks = model.weightMatrices().map { m in
            (matrix: m.name, erank: EffectiveRank.of(matrix: m.values, rows: m.rows, cols: m.cols))
        }
        try store.appendEffectiveRanks(runID: runID, step: step, ranks: ranks)
        guard probeBatch > 0 else { return }
        snapshots.append((step, model.blockOutputs(inputs: probeInputs, targets: probeTargets, batch: probeBatch)))
    }

    /// CKA of every stored snapshot against the last one, per block.
    func finish(model: ModelConfig) throws {
        guard let last = snapshots.last else { return }
        let n = probeBatch * model.seqLen, d = model.dModel
        for s in snapshots {
            let values = s.layers.indices.map { l in
                (layer: l, cka: CKA.linear(s.layers[l], last.layers[l], n: n, dx: d, dy: d))
            }.filter { $0.cka.isFinite }
            try store.appendLayerCKA(runID: runID, step: s.step, values: values)
        }
    }
}
