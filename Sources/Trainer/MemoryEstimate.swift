import Foundation
import Validation

/// The memory one training run needs, computed in Double so no product of user-given sizes can
/// overflow (the trainer is compiled with `-Ounchecked`, where Int overflow wraps silently).
///
/// Counts the buffers `Model`, `AdamW` and `TrainingRun` allocate: weights, gradients, AdamW's two
/// moments and one per-thread partial gradient (5 Float32 copies of the parameters), the forward
/// activations `ActivationLayout` keeps for the backward pass, the backward scratch of
/// `GradientScratchLayout`, and the token arrays. A lower bound (allocator overhead, the corpus and
/// further per-thread gradients come on top), so a model it refuses can never have fitted.
public struct MemoryEstimate: Sendable, Equatable {
    public let parameters: Double
    public let parameterBytes: Double
    public let activationBytes: Double
    public var totalBytes: Double { parameterBytes + activationBytes }

    public init(model m: ModelConfig, batch: Int) {
        let c = Double(m.dModel), layers = Double(m.nLayer), t = Double(m.seqLen), v = Double(m.vocabSize)
        let perLayer = 12 * c * c + 13 * c
        parameters = v * c + t * c + layers * perLayer + 2 * c
        parameterBytes = 5 * 4 * parameters
        let bt = Double(batch) * t
        let att = Double(batch) * Double(m.nHead) * t * t
        let acts = bt * c + layers * (16 * bt * c + 4 * bt + att) + bt * c + 3 * bt + bt * v + bt
        let scratch = 7 * bt * c + att
        activationBytes = 4 * (acts + scratch) + 2 * 4 * bt
    }

    /// Throws when the run needs more memory than the machine has, naming both.
    public func check(available: Double = MachineMemory.totalBytes) throws {
        guard totalBytes <= available else {
            throw ModelConfigError.invalid("model needs \(MachineMemory.format(bytes: totalBytes)), more than this machine's "
                                           + "\(MachineMemory.format(bytes: available)) (" + String(format: "%.3g", parameters) + " parameters)")
        }
    }
}
