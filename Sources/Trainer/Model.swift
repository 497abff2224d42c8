import Foundation

/// A tiny GPT-2-style language model trained on CPU (structure after llm.c's train_gpt2.c):
/// token + learned position embedding, `nLayer` pre-norm blocks
/// (x += Attn(LN1(x)); x += MLP(LN2(x))), a final LayerNorm and a tied unembedding
/// (logits = h wte^T), trained with mean softmax cross-entropy. Attention and MLP linears have biases,
/// as in GPT-2.
///
/// Parameters, gradients and activations are each one flat Float32 buffer (`parameters`, `gradients`;
/// offsets in `layout`). Activations are sized for `maxBatch` sequences of `config.seqLen` tokens and
/// grow if a call asks for more. Not thread-safe: one model per training loop.
///
/// Determinism: the same config, seed, data and `BLASThreads` setting give bit-identical losses on one
/// machine (work is split into fixed pieces and every reduction runs in a fixed order). Different thread
/// settings may differ in the last bits: OpenBLAS picks different kernels for different matrix sizes.
public final class Model {
    public let config: ModelConfig
    public let layout: ParameterLayout
    public let parameters: FloatBuffer
    public let gradients: FloatBuffer
    public private(set) var maxBatch: Int

    private var acts: FloatBuffer
    private var actLayout: ActivationLayout
    private var scratch: FloatBuffer
    private var scratchLayout: GradientScratchLayout
    private var tokens: [Int32]
    private var targets: [Int32]
    /// Gradient buffers of batch parts 1... under `BLASThreads.Strategy.sequences` (kept zeroed between steps).
    private var partGradients: [FloatBuffer] = []
    /// When set, the number of batch parts regardless of `BLASThreads` (tests pin it, because other test
    /// suites running at the same time may change the process-wide thread setting).
    var batchPartsOverride: Int?
    private var forwardBatch = 0
    private var readyForBackward = false
    /// The last forward's mean loss before rounding to Float (finite-difference tests need the digits).
    private(set) var lastMeanLoss = 0.0

    /// GPT-2 initialisation (Radford et al. 2019): linear weights and embeddings ~ N(0, 0.02), the two
    /// residual projections per block scaled by 1/sqrt(2 nLayer), biases 0, LayerNorm scale 1 and shift 0.
    /// Draws come from SplitMix64(seed) in layout order, so the seed fixes every weight.
    /// `config` must be valid (`validate()`); an invalid one stops the program.
    public init(config: ModelConfig, seed: UInt64, maxBatch: Int = 1) {
        do { try config.validate() } catch { preconditionFailure("invalid model config: \(error)") }
        BLASThreads.configureIfNeeded()
        self.config = config
        layout = ParameterLayout(config: config)
        parameters = FloatBuffer(count: layout.total)
        gradients = FloatBuffer(count: layout.total)
        self.maxBatch = max(1, maxBatch)
        actLayout = ActivationLayout(config: config, batch: self.maxBatch)
        acts = FloatBuffer(count: actLayout.total)
        scratchLayout = GradientScratchLayout(config: config, batch: self.maxBatch)
        scratch = FloatBuffer(count: scratchLayout.total)
        tokens = Array(repeating: 0, count: self.maxBatch * config.seqLen)
        targets = tokens
        initialiseWeights(seed: seed)
    }

    private func initialiseWeights(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let residualStd = 0.02 / (2 * Double(config.nLayer)).squareRoot()
        let p = parameters.base
        for tensor in layout.tensors {
            let name = tensor.name
            let isNorm = name.hasPrefix("lnf") || name.contains(".ln1.") || name.contains(".ln2.")
            let range = tensor.offset..<(tensor.offset + tensor.count)
            if isNorm {
                let value: Float = name.hasSuffix(".w") ? 1 : 0
                for i in range { p[i] = value }
            } else if tensor.isLinearWeight || name == "wte" || name == "wpe" {
                let std = name.hasSuffix("proj.w") ? residualStd : 0.02
                for i in range { p[i] = Float(rng.nextGaussian() * std) }
            } else {
                for i in range { p[i] = 0 }
            }
        }
    }

    /// Grows the activation and scratch buffers to hold `batch` sequences.
    private func ensureCapacity(batch: Int) {
        guard batch > maxBatch else { return }
        maxBatch = batch
        actLayout = ActivationLayout(config: config, batch: batch)
        acts = FloatBuffer(count: actLayout.total)
        scratchLayout = GradientScratchLayout(config: config, batch: batch)
        scratch = FloatBuffer(count: scratchLayout.total)
        tokens = Array(repeating: 0, count: batch * config.seqLen)
        targets = tokens
    }

    private func store(inputs: UnsafePointer<Int32>, targets tgt: UnsafePointer<Int32>, batch: Int) {
        precondition(batch >= 1, "batch must be >= 1")
        ensureCapacity(batch: batch)
        let n = batch * config.seqLen, v = Int32(config.vocabSize)
        for i in 0..<n {
            precondition(inputs[i] >= 0 && inputs[i] < v && tgt[i] >= 0 && tgt[i] < v,
                         "token out of range 0..<\(v) at position \(i)")
            tokens[i] = inputs[i]
            targets[i] = tgt[i]
        }
        forwardBatch = batch
    }

    // MARK: - Public training API

    /// Forward pass on `batch` sequences (`batch * seqLen` inputs and next-token targets, row-major);
    /// returns the mean cross-entropy in nats and keeps the activations for `backward()`.
    /// A non-finite result signals divergence; the caller decides what to do.
    public func forward(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, batch: Int) -> Float {
        store(inputs: inputs, targets: targets, batch: batch)
        let loss = runForward()
        readyForBackward = true
        return loss
    }

    public func forward(inputs: [Int32], targets: [Int32], batch: Int) -> Float {
        precondition(inputs.count >= batch * config.seqLen && targets.count >= batch * config.seqLen,
                     "need batch * seqLen inputs and targets")
        return inputs.withUnsafeBufferPointer { i in
            targets.withUnsafeBufferPointer { t in forward(inputs: i.baseAddress!, targets: t.baseAddress!, batch: batch) }
        }
    }

    /// Mean loss without preparing a backward pass (validation).
    public func evaluateLoss(inputs: [Int32], targets: [Int32], batch: Int) -> Float {
        let loss = forward(inputs: inputs, targets: targets, batch: batch)
        readyForBackward = false
        return loss
    }

    public func zeroGrad() { gradients.zero() }

    /// Each block's output (the residual stream after block l) for `batch` sequences: nLayer arrays of
    /// batch * seqLen * dModel values, row-major. Used for layer-convergence CKA on a fixed probe batch.
    public func blockOutputs(inputs: [Int32], targets: [Int32], batch: Int) -> [[Float]] {
        _ = evaluateLoss(inputs: inputs, targets: targets, batch: batch)
        let n = batch * config.seqLen * config.dModel
        return actLayout.blocks.map { block in Array(UnsafeBufferPointer(start: acts.base + block.res3, count: n)) }
    }

    /// The linear weight matrices by name with their (rows, cols) shapes, for effective-rank analysis.
    public func weightMatrices() -> [(name: String, values: [Float], rows: Int, cols: Int)] {
        let c = config.dModel
        return layout.tensors.filter { $0.isLinearWeight || $0.name == "wte" }.map { t in
            let values = Array(UnsafeBufferPointer(start: parameters.base + t.offset, count: t.count))
            // Linear weights are stored [out, in]: only the MLP's output projection has in = 4c.
            let cols = t.name.hasSuffix("mlp.proj.w") ? 4 * c : c
            return (t.name, values, t.count / cols, cols)
        }
    }

    /// Summed natural-log probability of `continuation` following `context` (bytes as tokens), for
    /// multiple-choice evaluation. The joined sequence is truncated from the left to seqLen + 1 tokens;
    /// only continuation tokens that keep a predecessor inside the window are scored (so with an empty
    /// context the first continuation token is not scored: there is no beginning-of-text token).
    /// Positions after the sequence are padded; the causal mask keeps them from affecting the result.
    public func logLikelihood(context: [UInt8], continuation: [UInt8]) -> Double {
        logLikelihoods([(context, continuation)])[0]
    }

    /// `logLikelihood` of every pair, `maxBatch` sequences per forward pass instead of one: a
    /// multiple-choice evaluation scores hundreds of short sequences, and one-row passes ran its
    /// small matrix products far below their batched speed. Each sequence's scores depend only on
    /// its own tokens (rows never mix), up to the last bits of the batched products.
    public func logLikelihoods(_ pairs: [(context: [UInt8], continuation: [UInt8])]) -> [Double] {
        let t = config.seqLen
        var out = [Double](repeating: 0, count: pairs.count)
        var inputs = [Int32](repeating: 0, count: maxBatch * t)
        var tgts = inputs
        var start = 0
        while start < pairs.count {
            let b = min(maxBatch, pairs.count - start)
            var scored: [(row: Int, first: Int, end: Int)] = []
            for r in 0..<b {
                let (context, continuation) = pairs[start + r]
                let joined = (context + continuation).suffix(t + 1).map { Int32($0) }
                let firstScored = max(1, joined.count - continuation.count)  // index in joined of a scored target
                for i in 0..<t {
                    inputs[r * t + i] = i < joined.count - 1 ? joined[i] : 0
                    tgts[r * t + i] = i < joined.count - 1 ? joined[i + 1] : 0
                }
                if joined.count >= 2, firstScored < joined.count { scored.append((r, firstScored - 1, joined.count - 1)) }
            }
            _ = evaluateLoss(inputs: inputs, targets: tgts, batch: b)
            let losses = acts.base + actLayout.losses
            for s in scored {
                var sum = 0.0
                for position in s.first..<s.end { sum -= Double(losses[s.row * t + position]) }
                out[start + s.row] = sum
            }
            start += b
        }
        return out
    }

    // MARK: - Forward

    /// Runs the forward pass, split over whole sequences when `BLASThreads.batchParts` says so: every
    /// activation is stored row-major by sequence, so a part is the same code on offset pointers.
    private func runForward() -> Float {
        let b = forwardBatch, rows = b * config.seqLen
        let parts = batchParts(b)
        Parallel.split(parts) { part in
            let first = b * part / parts
            forward(firstSequence: first, count: b * (part + 1) / parts - first)
        }
        let losses = acts.base + actLayout.losses
        var sum = 0.0
        for i in 0..<rows { sum += Double(losses[i]) }
        lastMeanLoss = sum / Double(rows)
        return Float(lastMeanLoss)
    }

    private func batchParts(_ batch: Int) -> Int {
        if let n = batchPartsOverride { return max(1, min(n, batch)) }
        return BLASThreads.batchParts(batch)
    }

    /// Forward pass for sequences first..<first+count of the stored batch.
    private func forward(firstSequence first: Int, count b: Int) {
        let t = config.seqLen, c = config.dModel, nh = config.nHead
        let v = config.vocabSize, rows = b * t, r0 = first * t
        let a = acts.base, p = UnsafePointer(parameters.base), lay = actLayout
        /// The part's rows of an activation that is `width` floats per position.
        func at(_ offset: Int, _ width: Int) -> UnsafeMutablePointer<Float> { a + offset + r0 * width }
        let attOffset = first * nh * t * t
        tokens.withUnsafeBufferPointer { tok in
            Embedding.forward(out: at(lay.encoded, c), tokens: tok.baseAddress! + r0, wte: p + layout.wte,
                              wpe: p + layout.wpe, batch: b, seqLen: t, channels: c)
        }
        var residual = UnsafePointer(at(lay.encoded, c))
        for l in 0..<config.nLayer {
            let pb = layout.blocks[l], ab = lay.blocks[l]
            let ln1 = at(ab.ln1, c), res2 = at(ab.res2, c), ln2 = at(ab.ln2, c), res3 = at(ab.res3, c)
            LayerNorm.forward(out: ln1, mean: at(ab.ln1Mean, 1), rstd: at(ab.ln1Rstd, 1), inp: residual,
                              weight: p + pb.ln1w, bias: p + pb.ln1b, rows: rows, channels: c)
            Attention.forward(out: res2, qkv: at(ab.qkv, 3 * c), att: a + ab.att + attOffset, atty: at(ab.atty, c),
                              inp: ln1, qkvw: p + pb.qkvw, qkvb: p + pb.qkvb,
                              projw: p + pb.projw, projb: p + pb.projb,
                              batch: b, seqLen: t, channels: c, nHead: nh, residual: residual)
            LayerNorm.forward(out: ln2, mean: at(ab.ln2Mean, 1), rstd: at(ab.ln2Rstd, 1), inp: res2,
                              weight: p + pb.ln2w, bias: p + pb.ln2b, rows: rows, channels: c)
            MLP.forward(out: res3, fchSlope: at(ab.fchSlope, 4 * c), fchGelu: at(ab.fchGelu, 4 * c), inp: ln2,
                        fcw: p + pb.fcw, fcb: p + pb.fcb, projw: p + pb.fcprojw, projb: p + pb.fcprojb,
                        rows: rows, channels: c, residual: res2)
            residual = UnsafePointer(res3)
        }
        let lnf = at(lay.lnf, c), logits = at(lay.logits, v)
        LayerNorm.forward(out: lnf, mean: at(lay.lnfMean, 1), rstd: at(lay.lnfRstd, 1), inp: residual,
                          weight: p + layout.lnfw, bias: p + layout.lnfb, rows: rows, channels: c)
        Linear.forward(out: logits, inp: lnf, weight: p + layout.wte, bias: nil, rows: rows, inC: c, outC: v)
        targets.withUnsafeBufferPointer { tg in
            CrossEntropy.forward(probs: logits, losses: at(lay.losses, 1), logits: logits,
                                 targets: tg.baseAddress! + r0, rows: rows, vocab: v)
        }
    }

    // MARK: - Backward

    /// Accumulates d(mean loss)/d parameters into `gradients` for the last `forward` (call `zeroGrad()`
    /// between steps). Consumes the saved activations: call once per forward.
    /// With a split batch, part 0 accumulates into `gradients` and part k > 0 into its own zeroed buffer,
    /// which is then added in part order (and re-zeroed in the same pass): fixed for a worker count.
    public func backward() {
        precondition(readyForBackward, "backward() needs a preceding forward(inputs:targets:batch:)")
        readyForBackward = false
        let b = forwardBatch
        let parts = batchParts(b)
        while partGradients.count < parts - 1 { partGradients.append(FloatBuffer(count: layout.total)) }
        Parallel.split(parts) { part in
            let first = b * part / parts
            backward(firstSequence: first, count: b * (part + 1) / parts - first,
                     into: part == 0 ? gradients.base : partGradients[part - 1].base)
        }
        let g = gradients.base, total = layout.total
        for extra in partGradients.prefix(parts - 1) {
            let e = extra.base
            Parallel.bands(total, minimum: 1 << 15) { start, n in
                for i in start..<(start &+ n) {
                    g[i] += e[i]
                    e[i] = 0
                }
            }
        }
    }

    /// Backward pass for sequences first..<first+count, accumulating parameter gradients into `g`.
    private func backward(firstSequence first: Int, count b: Int, into g: UnsafeMutablePointer<Float>) {
        let t = config.seqLen, c = config.dModel, nh = config.nHead
        let v = config.vocabSize, rows = b * t, r0 = first * t
        let a = acts.base, p = UnsafePointer(parameters.base)
        let s = scratch.base, lay = actLayout, sl = scratchLayout
        func at(_ offset: Int, _ width: Int) -> UnsafeMutablePointer<Float> { a + offset + r0 * width }
        // dwide holds [rows, 4C] for the MLP and [rows, 3C] for attention: each part's share starts at
        // r0 * 4C for both, or part 0's MLP hidden gradient would overlap part 1's qkv gradient.
        func scratchAt(_ offset: Int, _ width: Int) -> UnsafeMutablePointer<Float> { s + offset + r0 * width }
        let attOffset = first * nh * t * t
        let dres = scratchAt(sl.dres, c), dln = scratchAt(sl.dln, c)
        let logits = at(lay.logits, v)
        targets.withUnsafeBufferPointer { tg in
            CrossEntropy.backward(dlogits: logits, dloss: 1, probs: logits, targets: tg.baseAddress! + r0,
                                  rows: rows, vocab: v, meanOver: forwardBatch * t)
        }
        // The sublayer gradients below overwrite dln (accumulateInput: false), so it needs no zeroing.
        Linear.backward(dinp: dln, dweight: g + layout.wte, dbias: nil, dout: logits, inp: at(lay.lnf, c),
                        weight: p + layout.wte, rows: rows, inC: c, outC: v, accumulateInput: false)
        let lastResidual = config.nLayer > 0 ? lay.blocks[config.nLayer - 1].res3 : lay.encoded
        dres.update(repeating: 0, count: rows * c)
        LayerNorm.backward(dinp: dres, dweight: g + layout.lnfw, dbias: g + layout.lnfb, dout: dln,
                           inp: at(lastResidual, c), weight: p + layout.lnfw, mean: at(lay.lnfMean, 1),
                           rstd: at(lay.lnfRstd, 1), rows: rows, channels: c)
        for l in stride(from: config.nLayer - 1, through: 0, by: -1) {
            let pb = layout.blocks[l], ab = lay.blocks[l]
            let residualIn = l == 0 ? lay.encoded : lay.blocks[l - 1].res3
            // res3 = res2 + MLP(LN2(res2)): dres already holds d res3, which is also the direct part of d res2.
            MLP.backward(dinp: dln, dfcw: g + pb.fcw, dfcb: g + pb.fcb, dprojw: g + pb.fcprojw, dprojb: g + pb.fcprojb,
                         dout: dres, fchSlope: at(ab.fchSlope, 4 * c), fchGelu: at(ab.fchGelu, 4 * c),
                         inp: at(ab.ln2, c),
                         fcw: p + pb.fcw, projw: p + pb.fcprojw, dfch: scratchAt(sl.dwide, 4 * c),
                         rows: rows, channels: c, accumulateInput: false)
            LayerNorm.backward(dinp: dres, dweight: g + pb.ln2w, dbias: g + pb.ln2b, dout: dln, inp: at(ab.res2, c),
                               weight: p + pb.ln2w, mean: at(ab.ln2Mean, 1), rstd: at(ab.ln2Rstd, 1),
                               rows: rows, channels: c)
            // res2 = res1 + Attn(LN1(res1)).
            Attention.backward(dinp: dln, dqkvw: g + pb.qkvw, dqkvb: g + pb.qkvb, dprojw: g + pb.projw,
                               dprojb: g + pb.projb, dout: dres, qkv: at(ab.qkv, 3 * c), att: a + ab.att + attOffset,
                               atty: at(ab.atty, c), inp: at(ab.ln1, c), qkvw: p + pb.qkvw, projw: p + pb.projw,
                               datty: scratchAt(sl.datty, c), dqkv: scratchAt(sl.dwide, 4 * c),
                               datt: s + sl.datt + attOffset,
                               batch: b, seqLen: t, channels: c, nHead: nh, accumulateInput: false)
            LayerNorm.backward(dinp: dres, dweight: g + pb.ln1w, dbias: g + pb.ln1b, dout: dln, inp: at(residualIn, c),
                               weight: p + pb.ln1w, mean: at(ab.ln1Mean, 1), rstd: at(ab.ln1Rstd, 1),
                               rows: rows, channels: c)
        }
        tokens.withUnsafeBufferPointer { tok in
            Embedding.backward(dwte: g + layout.wte, dwpe: g + layout.wpe, dout: dres, tokens: tok.baseAddress! + r0,
                               batch: b, seqLen: t, channels: c)
        }
    }
}
