/// Deterministic random training windows over a token array.
///
/// Each batch row is a window starting at a uniformly random offset; inputs are `seqLen` tokens and
/// targets the same tokens shifted by one. The whole sampler state is one `UInt64` (`rngState`), so a
/// checkpoint that stores it resumes the exact same stream of batches.
public struct BatchSampler: Sendable {
    public let tokens: [UInt8]
    public let batch: Int
    public let seqLen: Int
    private var rng: SplitMix64

    public init(tokens: [UInt8], batch: Int, seqLen: Int, seed: UInt64) {
        precondition(batch > 0 && seqLen > 0, "batch and seqLen must be positive")
        precondition(tokens.count >= seqLen + 1,
                     "need at least seqLen+1 = \(seqLen + 1) tokens, have \(tokens.count) (call Corpus.validate first)")
        self.tokens = tokens
        self.batch = batch
        self.seqLen = seqLen
        self.rng = SplitMix64(seed: seed)
    }

    /// The generator state; save it with a checkpoint and assign it back to resume.
    public var rngState: UInt64 {
        get { rng.state }
        set { rng.state = newValue }
    }

    /// Fills `inputs` and `targets` with `batch * seqLen` tokens each, row-major (row b holds window b),
    /// resizing them if their count differs.
    public mutating func next(inputs: inout [Int32], targets: inout [Int32]) {
        let n = batch * seqLen
        if inputs.count != n { inputs = [Int32](repeating: 0, count: n) }
        if targets.count != n { targets = [Int32](repeating: 0, count: n) }
        let starts = tokens.count - seqLen   // valid window starts: 0..<starts
        let len = seqLen
        tokens.withUnsafeBufferPointer { src in
            inputs.withUnsafeMutableBufferPointer { inp in
                targets.withUnsafeMutableBufferPointer { tgt in
                    for b in 0..<batch {
                        let s = rng.nextInt(below: starts)
                        let row = b &* len
                        for t in 0..<len {
                            inp[row &+ t] = Int32(src[s &+ t])
                            tgt[row &+ t] = Int32(src[s &+ t &+ 1])
                        }
                    }
                }
            }
        }
    }

    /// Fixed evaluation windows of `seqLen + 1` tokens (inputs plus the last target), non-overlapping.
    /// When the data hold more than `maxWindows` such windows, the chosen ones are spread evenly over
    /// the whole array, so the estimate covers all of it rather than only its beginning.
    public static func evaluationWindows(tokens: [UInt8], seqLen: Int, maxWindows: Int) -> [[UInt8]] {
        let width = seqLen + 1
        let available = tokens.count / width
        let count = min(available, max(maxWindows, 0))
        guard count > 0 else { return [] }
        return (0..<count).map { k in
            let slot = k * available / count   // strictly increasing in k, so windows never overlap
            return Array(tokens[(slot * width)..<((slot + 1) * width)])
        }
    }
}
