import Foundation

/// A byte-level training corpus: tokens are bytes (vocabulary 256), split into a training part and a
/// held-out validation part.
public struct Corpus: Sendable {
    public var name: String
    public var vocabSize: Int
    public var train: [UInt8]
    public var validation: [UInt8]
    /// The process's exact entropy rate in nats per token, when known (synthetic corpora only). It is
    /// the irreducible loss `E` a scaling-law fit should recover (in the infinite-context limit; for
    /// windows of T tokens the reachable loss is about `E + C/T`, see `SyntheticLanguage.optimalWindowLoss`).
    public var entropyRate: Double?
    /// Entropy of the byte histogram of `train` (nats per byte): the loss of the best context-free model.
    public var unigramEntropy: Double

    public init(name: String, train: [UInt8], validation: [UInt8], entropyRate: Double? = nil) {
        self.name = name
        self.vocabSize = 256
        self.train = train
        self.validation = validation
        self.entropyRate = entropyRate
        self.unigramEntropy = Self.byteEntropy(train)
    }

    /// Entropy (nats) of the empirical byte distribution of `bytes`; 0 for an empty array.
    public static func byteEntropy(_ bytes: [UInt8]) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] &+= 1 }
        let n = Double(bytes.count)
        return counts.reduce(0.0) { acc, c in
            guard c > 0 else { return acc }
            let p = Double(c) / n
            return acc - p * log(p)
        }
    }

    /// The built-in synthetic language (see `SyntheticLanguage`). Train and validation are drawn from
    /// independent random streams of the same stationary process, so the validation set does not
    /// change when `trainTokens` does (runs of a data-size sweep share one validation set).
    public static func synthetic(seed: UInt64 = 0, parameters: SyntheticLanguage.Parameters = .init(),
                                 trainTokens: Int, validationTokens: Int) -> Corpus {
        let language = SyntheticLanguage(seed: seed, parameters: parameters)
        return generated(name: "synthetic-\(seed)", streamSeed: seed ^ 0xC0_4905_5EED, trainTokens: trainTokens,
                         validationTokens: validationTokens, entropyRate: language.entropyRate,
                         unigramEntropy: language.unigramEntropy, generate: language.generate)
    }

    /// The built-in quanta language (see `QuantaLanguage`), split the same way.
    public static func quanta(seed: UInt64 = 0, parameters: QuantaLanguage.Parameters = .init(),
                              trainTokens: Int, validationTokens: Int) -> Corpus {
        let language = QuantaLanguage(seed: seed, parameters: parameters)
        return generated(name: "quanta-\(seed)", streamSeed: seed ^ 0x0A4A_7A5E_ED00_0001, trainTokens: trainTokens,
                         validationTokens: validationTokens, entropyRate: language.entropyRate,
                         unigramEntropy: language.byteEntropy, generate: language.generate)
    }

    /// Train and validation bytes from two independent streams of a generator seeded from `streamSeed`.
    static func generated(name: String, streamSeed: UInt64, trainTokens: Int, validationTokens: Int, entropyRate: Double,
                          unigramEntropy: Double, generate: (_ count: Int, _ seed: UInt64) -> [UInt8]) -> Corpus {
        var streams = SplitMix64(seed: streamSeed)
        let trainSeed = streams.next(), validationSeed = streams.next()
        var corpus = Corpus(name: name, train: generate(trainTokens, trainSeed),
                            validation: generate(validationTokens, validationSeed), entropyRate: entropyRate)
        if trainTokens == 0 { corpus.unigramEntropy = unigramEntropy }
        return corpus
    }

    /// Any UTF-8 text file, byte-level. The split is deterministic: the last `validationFraction` of
    /// the file (moved forward to a character boundary) is validation, the rest is train. A single
    /// cut keeps both parts contiguous text, unlike interleaved blocks which would splice documents.
    public static func text(path: String, validationFraction: Double = 0.1) throws -> Corpus {
        guard validationFraction > 0, validationFraction < 1 else {
            throw CorpusError("validation fraction must be in (0, 1) (got \(validationFraction)) for '\(path)'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CorpusError("corpus file '\(path)' does not exist")
        }
        guard !isDirectory.boolValue else { throw CorpusError("corpus path '\(path)' is a directory, not a text file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorpusError("corpus file '\(path)' cannot be read (check permissions)")
        }
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw CorpusError("corpus file '\(path)' is empty") }
        if let bad = firstInvalidUTF8Offset(bytes) {
            throw CorpusError("corpus file '\(path)' is not valid UTF-8 (first bad byte at offset \(bad))")
        }
        var cut = bytes.count - Int((Double(bytes.count) * validationFraction).rounded())
        while cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut += 1 }   // not inside a character
        let name = (path as NSString).lastPathComponent
        return Corpus(name: name, train: Array(bytes[..<cut]), validation: Array(bytes[cut...]))
    }

    /// Throws when either split is too short to hold one training window of `seqLen` inputs plus the
    /// target after them (`seqLen + 1` tokens).
    public func validate(seqLen: Int) throws {
        for (part, bytes) in [("train", train), ("validation", validation)] where bytes.count < seqLen + 1 {
            throw CorpusError("corpus '\(name)' \(part) split has \(bytes.count) tokens, fewer than seq_len+1 = \(seqLen + 1); use a longer file or a shorter sequence")
        }
    }

    /// Offset of the first byte that breaks UTF-8, or nil when all of `bytes` is valid.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// A corpus problem, described in one line that names the file or corpus.
public struct CorpusError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
