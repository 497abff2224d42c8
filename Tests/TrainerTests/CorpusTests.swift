import Foundation
import Testing
@testable import Trainer

/// A fresh temporary directory per test, removed by the caller.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func corpusError(_ body: () throws -> Corpus) -> String? {
    do { _ = try body(); return nil } catch { return (error as? CorpusError)?.description ?? "\(error)" }
}

@Test func textCorpusSplitsTheLastFractionDeterministically() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("story.txt").path
    let text = String(repeating: "the quick brown fox jumps over the lazy dog.\n", count: 50)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let c = try Corpus.text(path: path, validationFraction: 0.2)
    let bytes = Array(text.utf8)
    #expect(c.name == "story.txt")
    #expect(c.vocabSize == 256 && c.entropyRate == nil)
    #expect(c.train + c.validation == bytes)
    #expect(c.validation.count == bytes.count / 5)
    #expect(abs(c.unigramEntropy - Corpus.byteEntropy(c.train)) < 1e-12)
    let again = try Corpus.text(path: path, validationFraction: 0.2)
    #expect(again.train == c.train && again.validation == c.validation)
}

@Test func textCorpusCutsOnACharacterBoundary() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("greek.txt").path
    let text = String(repeating: "αβγδ", count: 25)   // 200 bytes of 2-byte characters
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let c = try Corpus.text(path: path, validationFraction: 0.105)   // 21 bytes: would split a character
    #expect(String(validating: c.train, as: UTF8.self) != nil)
    #expect(String(validating: c.validation, as: UTF8.self) != nil)
    #expect(c.train.count + c.validation.count == 200)
}

@Test func textCorpusErrorsNameTheProblemAndPath() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("nope.txt").path
    let msg = corpusError { try Corpus.text(path: missing) }
    #expect(msg?.contains("does not exist") == true && msg?.contains(missing) == true)

    let dirMsg = corpusError { try Corpus.text(path: dir.path) }
    #expect(dirMsg?.contains("directory") == true)

    let empty = dir.appendingPathComponent("empty.txt").path
    _ = FileManager.default.createFile(atPath: empty, contents: Data())
    let emptyMsg = corpusError { try Corpus.text(path: empty) }
    #expect(emptyMsg?.contains("empty") == true && emptyMsg?.contains(empty) == true)

    let binary = dir.appendingPathComponent("blob.bin").path
    _ = FileManager.default.createFile(atPath: binary, contents: Data([0x61, 0x62, 0xC3, 0x28, 0x63]))
    let utfMsg = corpusError { try Corpus.text(path: binary) }
    #expect(utfMsg?.contains("not valid UTF-8") == true && utfMsg?.contains("offset 2") == true)
    #expect(utfMsg?.contains(binary) == true)

    let ok = dir.appendingPathComponent("ok.txt").path
    try "hello world".write(toFile: ok, atomically: true, encoding: .utf8)
    let fracMsg = corpusError { try Corpus.text(path: ok, validationFraction: 1.5) }
    #expect(fracMsg?.contains("validation fraction") == true)
    for msg in [msg, dirMsg, emptyMsg, utfMsg, fracMsg] { #expect(msg?.contains("\n") == false) }
}

@Test func validateRejectsSplitsShorterThanOneWindow() throws {
    let c = Corpus(name: "tiny", train: Array(repeating: 1, count: 100), validation: Array(repeating: 2, count: 9))
    try c.validate(seqLen: 8)                      // 9 tokens = seqLen + 1: just enough
    #expect(throws: CorpusError.self) { try c.validate(seqLen: 9) }
    do { try c.validate(seqLen: 50) } catch let e as CorpusError {
        #expect(e.description.contains("validation") && e.description.contains("tiny") && e.description.contains("51"))
    }
    #expect(throws: CorpusError.self) { try c.validate(seqLen: 100) }   // train 100 < 101
}

@Test func syntheticCorpusHasExactSizesAndAFixedValidationSet() {
    let small = Corpus.synthetic(seed: 0, trainTokens: 3000, validationTokens: 2000)
    let large = Corpus.synthetic(seed: 0, trainTokens: 9000, validationTokens: 2000)
    #expect(small.train.count == 3000 && small.validation.count == 2000 && large.train.count == 9000)
    #expect(small.validation == large.validation)            // independent of the train size
    #expect(Array(large.train.prefix(3000)) == small.train)   // a longer run extends the same stream
    #expect(Array(small.train.prefix(2000)) != small.validation)
    #expect(small.entropyRate == defaultLanguage.entropyRate)
    #expect(Corpus.synthetic(seed: 1, trainTokens: 3000, validationTokens: 2000).validation != small.validation)
}

@Test func byteEntropyOfKnownDistributions() {
    #expect(abs(Corpus.byteEntropy(Array(0...255)) - log(256.0)) < 1e-12)
    #expect(Corpus.byteEntropy(Array(repeating: 7, count: 10)) == 0)
    #expect(abs(Corpus.byteEntropy([1, 2, 1, 2]) - log(2.0)) < 1e-12)
    #expect(Corpus.byteEntropy([]) == 0)
}
