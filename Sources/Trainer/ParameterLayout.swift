/// Where each named tensor lives in the model's single flat parameter buffer. Gradients and the two
/// AdamW moments use the same offsets in their own flat buffers, so one loop updates everything.
///
/// Order: wte [V, C], wpe [T, C], then per block (contiguous, so a block is one slice):
/// ln1.w [C], ln1.b [C], attn.qkv.w [3C, C], attn.qkv.b [3C], attn.proj.w [C, C], attn.proj.b [C],
/// ln2.w [C], ln2.b [C], mlp.fc.w [4C, C], mlp.fc.b [4C], mlp.proj.w [C, 4C], mlp.proj.b [C],
/// and finally lnf.w [C], lnf.b [C]. Linear weights are [out, in] (llm.c convention: y = x W^T + b).
public struct ParameterLayout: Sendable, Equatable {
    /// One named tensor: its offset and element count in the flat buffer.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let offset: Int
        public let count: Int
        /// True for the matrices of linear layers: the only tensors AdamW decays by default.
        public let isLinearWeight: Bool
    }

    /// Offsets of one block's tensors.
    public struct Block: Sendable, Equatable {
        public let ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb: Int
    }

    public let config: ModelConfig
    public let wte: Int
    public let wpe: Int
    public let blocks: [Block]
    public let lnfw: Int
    public let lnfb: Int
    public let total: Int
    public let tensors: [Tensor]

    public init(config: ModelConfig) {
        self.config = config
        let c = config.dModel
        var tensors: [Tensor] = []
        var cursor = 0
        func take(_ name: String, _ count: Int, linear: Bool = false) -> Int {
            tensors.append(Tensor(name: name, offset: cursor, count: count, isLinearWeight: linear))
            cursor += count
            return cursor - count
        }
        wte = take("wte", config.vocabSize * c)
        wpe = take("wpe", config.seqLen * c)
        var blocks: [Block] = []
        for l in 0..<config.nLayer {
            let p = "h\(l)."
            blocks.append(Block(
                ln1w: take(p + "ln1.w", c), ln1b: take(p + "ln1.b", c),
                qkvw: take(p + "attn.qkv.w", 3 * c * c, linear: true), qkvb: take(p + "attn.qkv.b", 3 * c),
                projw: take(p + "attn.proj.w", c * c, linear: true), projb: take(p + "attn.proj.b", c),
                ln2w: take(p + "ln2.w", c), ln2b: take(p + "ln2.b", c),
                fcw: take(p + "mlp.fc.w", 4 * c * c, linear: true), fcb: take(p + "mlp.fc.b", 4 * c),
                fcprojw: take(p + "mlp.proj.w", 4 * c * c, linear: true), fcprojb: take(p + "mlp.proj.b", c)))
        }
        self.blocks = blocks
        lnfw = take("lnf.w", c)
        lnfb = take("lnf.b", c)
        total = cursor
        self.tensors = tensors
    }

    /// The tensor with this name, if any.
    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }
}
