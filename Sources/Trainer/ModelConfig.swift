import Foundation
import Validation

/// Why a model configuration was rejected; the message names the offending field.
public enum ModelConfigError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let message): return message }
    }
}

/// Shape of a tiny GPT: pre-norm decoder blocks, learned positions, tied unembedding.
/// JSON keys are snake_case (`n_layer`, `d_model`, `n_head`, `seq_len`, `vocab_size`).
public struct ModelConfig: Codable, Sendable, Equatable, Hashable {
    public var nLayer: Int
    public var dModel: Int
    public var nHead: Int
    public var seqLen: Int
    public var vocabSize: Int

    public init(nLayer: Int, dModel: Int, nHead: Int, seqLen: Int, vocabSize: Int) {
        self.nLayer = nLayer
        self.dModel = dModel
        self.nHead = nHead
        self.seqLen = seqLen
        self.vocabSize = vocabSize
    }

    enum CodingKeys: String, CodingKey {
        case nLayer = "n_layer", dModel = "d_model", nHead = "n_head", seqLen = "seq_len", vocabSize = "vocab_size"
    }

    /// Width of one attention head.
    public var headDim: Int { dModel / nHead }

    /// Checks the sizes a user can get wrong; throws a one-line message naming the field. Each size
    /// is range-checked, then the parameter memory is computed in Double and compared with the
    /// machine's: a valid config's Int size arithmetic (`paramsTotal`, layouts) cannot overflow.
    public func validate() throws {
        let sizes = [("n_layer", nLayer), ("d_model", dModel), ("n_head", nHead), ("seq_len", seqLen), ("vocab_size", vocabSize)]
        for (name, value) in sizes where value <= 0 {
            throw ModelConfigError.invalid("\(name) must be > 0 (got \(value))")
        }
        // Memory first (it names what the sizes add up to), then each size's own cap.
        try MemoryEstimate(model: self, batch: 1).check()
        for (name, value) in sizes {
            do { _ = try InputNumber.integer(value, name, in: 1...InputLimits.maxDimension) } catch {
                throw ModelConfigError.invalid("\(error)")
            }
        }
        guard dModel % nHead == 0 else {
            throw ModelConfigError.invalid("d_model (\(dModel)) not divisible by n_head (\(nHead))")
        }
    }

    /// Parameters in one block: two LayerNorms (scale + shift), QKV and output projections with
    /// biases, and the 4x MLP with biases.
    public var paramsPerLayer: Int {
        let c = dModel
        return 2 * c + (3 * c * c + 3 * c) + (c * c + c) + 2 * c + (4 * c * c + 4 * c) + (4 * c * c + c)
    }

    /// All trainable parameters. The unembedding is tied to the token embedding, so it adds none.
    public var paramsTotal: Int { vocabSize * dModel + seqLen * dModel + paramsNonEmbedding }

    /// Parameters excluding the token and position embeddings (Kaplan et al. 2020's N): the blocks
    /// plus the final LayerNorm.
    public var paramsNonEmbedding: Int { nLayer * paramsPerLayer + 2 * dModel }

    /// Training FLOPs per token (forward + backward): 6 N_nonembedding + 12 n_layer d_model seq_len.
    ///
    /// 6N is the usual multiply-add count for the weight products (2N forward, 4N backward;
    /// Kaplan et al. 2020, Sec. 2.1). The attention term counts the QK^T and att*V products,
    /// 2 * 2 * seq_len * d_model forward FLOPs per token per layer, tripled for backward, over the
    /// full (not causally halved) score matrix, as in the model-FLOPs formula of PaLM
    /// (Chowdhery et al. 2022, App. B) and the Chinchilla appendix F accounting. The tied
    /// unembedding (6 d_model vocab) is left out, like Kaplan's N, so this slightly undercounts work
    /// for tiny models with a large vocabulary.
    public var flopsPerToken: Double {
        6 * Double(paramsNonEmbedding) + 12 * Double(nLayer) * Double(dModel) * Double(seqLen)
    }
}
