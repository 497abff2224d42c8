import Testing
@testable import Trainer

/// Tokens whose value tells their position (mod 251), so a window's origin can be read off its values.
private let ramp: [UInt8] = (0..<1000).map { UInt8($0 % 251) }

private func draw(_ s: inout BatchSampler, batches: Int) -> [[Int32]] {
    var inputs = [Int32](), targets = [Int32]()
    return (0..<batches).map { _ in s.next(inputs: &inputs, targets: &targets); return inputs + targets }
}

@Test func batchRowsAreContiguousWindowsWithTargetsShiftedByOne() {
    var s = BatchSampler(tokens: ramp, batch: 4, seqLen: 16, seed: 9)
    var inputs = [Int32](), targets = [Int32]()
    for _ in 0..<20 {
        s.next(inputs: &inputs, targets: &targets)
        #expect(inputs.count == 64 && targets.count == 64)
        for b in 0..<4 {
            let row = Array(inputs[(b * 16)..<((b + 1) * 16)]), tgt = Array(targets[(b * 16)..<((b + 1) * 16)])
            #expect(Array(row.dropFirst()) == Array(tgt.dropLast()))
            for t in 0..<16 { #expect(tgt[t] == (row[t] + 1) % 251) }
        }
    }
}

@Test func batchSamplerIsDeterministicAndSeedDependent() {
    var a = BatchSampler(tokens: ramp, batch: 3, seqLen: 8, seed: 1)
    var b = BatchSampler(tokens: ramp, batch: 3, seqLen: 8, seed: 1)
    var c = BatchSampler(tokens: ramp, batch: 3, seqLen: 8, seed: 2)
    let sa = draw(&a, batches: 5)
    #expect(sa == draw(&b, batches: 5))
    #expect(sa != draw(&c, batches: 5))
}

@Test func savedRngStateResumesTheExactStream() {
    var s = BatchSampler(tokens: ramp, batch: 2, seqLen: 10, seed: 42)
    _ = draw(&s, batches: 7)
    let saved = s.rngState
    let expected = draw(&s, batches: 5)
    var resumed = BatchSampler(tokens: ramp, batch: 2, seqLen: 10, seed: 0)
    resumed.rngState = saved
    #expect(draw(&resumed, batches: 5) == expected)
}

@Test func everyWindowStartIsReachableIncludingTheLast() {
    let tokens: [UInt8] = Array(0..<12)
    var s = BatchSampler(tokens: tokens, batch: 8, seqLen: 8, seed: 3)   // starts 0...3
    var inputs = [Int32](), targets = [Int32]()
    var starts = Set<Int32>()
    for _ in 0..<50 {
        s.next(inputs: &inputs, targets: &targets)
        for b in 0..<8 { starts.insert(inputs[b * 8]) }
        #expect(targets.allSatisfy { $0 <= 11 })
    }
    #expect(starts == [0, 1, 2, 3])
    var exact = BatchSampler(tokens: Array(0..<9), batch: 1, seqLen: 8, seed: 3)
    exact.next(inputs: &inputs, targets: &targets)
    #expect(inputs == (0..<8).map(Int32.init) && targets == (1..<9).map(Int32.init))
}

@Test func evaluationWindowsAreFixedNonOverlappingAndSpread() {
    var rng = SplitMix64(seed: 4)   // random bytes: every 10-byte window occurs once
    let tokens: [UInt8] = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let w = BatchSampler.evaluationWindows(tokens: tokens, seqLen: 9, maxWindows: 10)   // 100 available
    #expect(w.count == 10)
    #expect(w == BatchSampler.evaluationWindows(tokens: tokens, seqLen: 9, maxWindows: 10))
    var offsets = [Int]()
    for win in w {
        #expect(win.count == 10)
        let offset = (0...(1000 - 10)).first { Array(tokens[$0..<($0 + 10)]) == win }!
        offsets.append(offset)
    }
    for (a, b) in zip(offsets, offsets.dropFirst()) { #expect(b >= a + 10) }
    #expect(offsets.last! >= 800)   // spread over the data, not packed at its start
    let all = BatchSampler.evaluationWindows(tokens: tokens, seqLen: 9, maxWindows: 1000)
    #expect(all.count == 100 && all.joined().elementsEqual(tokens))
    #expect(BatchSampler.evaluationWindows(tokens: Array(tokens.prefix(9)), seqLen: 9, maxWindows: 5).isEmpty)
}
