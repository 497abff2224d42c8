/// Offsets of the forward activations in the model's single activation buffer, for `batch` sequences
/// of `seqLen` tokens. Everything the backward pass needs is kept; the sublayer outputs are written
/// straight into the next residual stream.
struct ActivationLayout {
    struct Block {
        let ln1, ln1Mean, ln1Rstd, qkv, att, atty, res2, ln2, ln2Mean, ln2Rstd, fchSlope, fchGelu, res3: Int
    }

    let batch: Int
    let encoded: Int
    let blocks: [Block]
    let lnf, lnfMean, lnfRstd, logits, losses: Int
    let total: Int

    init(config: ModelConfig, batch: Int) {
        self.batch = batch
        let bt = batch * config.seqLen, c = config.dModel
        var cursor = 0
        func take(_ n: Int) -> Int { cursor += n; return cursor - n }
        encoded = take(bt * c)
        var blocks: [Block] = []
        for _ in 0..<config.nLayer {
            blocks.append(Block(
                ln1: take(bt * c), ln1Mean: take(bt), ln1Rstd: take(bt), qkv: take(bt * 3 * c),
                att: take(Attention.attSize(batch: batch, seqLen: config.seqLen, nHead: config.nHead)),
                atty: take(bt * c), res2: take(bt * c), ln2: take(bt * c), ln2Mean: take(bt), ln2Rstd: take(bt),
                fchSlope: take(bt * 4 * c), fchGelu: take(bt * 4 * c),
                res3: take(bt * c)))
        }
        self.blocks = blocks
        lnf = take(bt * c)
        lnfMean = take(bt)
        lnfRstd = take(bt)
        logits = take(bt * config.vocabSize)
        losses = take(bt)
        total = cursor
    }
}

/// Scratch for the backward pass: the gradient of the residual stream, of a LayerNorm output, and the
/// sublayers' internal gradients (reused by every block, one block at a time).
struct GradientScratchLayout {
    let dres, dln, dwide, datty, datt: Int
    let total: Int

    init(config: ModelConfig, batch: Int) {
        let bt = batch * config.seqLen, c = config.dModel
        dres = 0
        dln = bt * c
        dwide = 2 * bt * c            // [BT, 4C] for the MLP hidden, [BT, 3C] for attention's qkv
        datty = dwide + bt * 4 * c
        datt = datty + bt * c
        total = datt + Attention.attSize(batch: batch, seqLen: config.seqLen, nHead: config.nHead)
    }
}
