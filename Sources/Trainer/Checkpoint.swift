import Foundation

/// Why a checkpoint could not be read or written.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case io(String)
    /// The body does not hash to the checksum in the header: the file was damaged.
    case corrupt(path: String)
    /// A version-1 file, written before checkpoints carried a checksum.
    case unchecked(path: String)
    public var description: String {
        switch self {
        case .invalid(let m): return "invalid checkpoint: \(m)"
        case .io(let m): return "checkpoint I/O error: \(m)"
        case .corrupt(let path): return "checkpoint \(path) is corrupt (checksum mismatch)"
        case .unchecked(let path):
            return "checkpoint \(path) has no checksum (written by an older scalefit): delete it to train that run from step 0"
        }
    }
}

/// Everything needed to resume training bit-identically: config, step, named RNG states, parameters
/// and the AdamW state.
///
/// File format (version 2), all integers and floats little-endian:
///   "SFCK" | version: UInt32 | header length: UInt64 | checksum: UInt64 | header: UTF-8 JSON |
///   parameters | adam m | adam v   (each paramsTotal Float32 values)
/// The checksum is FNV-1a 64 over every byte after it (header and buffers): a flipped bit in the
/// weights is an error naming the file, not a silently different resumed run. Version 1 (no
/// checksum) is refused with a message saying so.
/// The JSON header holds config (snake_case keys), step, rng ([String: UInt64]), metadata
/// ([String: String], free-form for the caller), and the optimizer's hyper-parameters and step.
/// Writes go to a temporary file in the same directory that is then renamed over the target, so a
/// crash never leaves a half-written checkpoint under the final name.
public struct Checkpoint: Sendable, Equatable {
    public static let magic: [UInt8] = Array("SFCK".utf8)
    public static let version: UInt32 = 2
    /// Bytes before the JSON header: magic, version, header length, checksum.
    static let prefixLength = 24

    public var config: ModelConfig
    public var step: Int
    public var rngStates: [String: UInt64]
    public var metadata: [String: String]
    public var optimizer: OptimizerHeader
    public var parameters: [Float]
    public var adamM: [Float]
    public var adamV: [Float]

    /// AdamW settings and progress stored in the header.
    public struct OptimizerHeader: Codable, Sendable, Equatable {
        public var step: Int
        public var beta1: Float
        public var beta2: Float
        public var epsilon: Float
        public var weightDecay: Float
        enum CodingKeys: String, CodingKey {
            case step, beta1, beta2, epsilon, weightDecay = "weight_decay"
        }
    }

    private struct Header: Codable {
        var config: ModelConfig
        var step: Int
        var rng: [String: UInt64]
        var metadata: [String: String]
        var optimizer: OptimizerHeader
        var count: Int
    }

    /// Snapshot of a model and its optimizer.
    public init(model: Model, optimizer: AdamW, step: Int, rngStates: [String: UInt64] = [:],
                metadata: [String: String] = [:]) {
        config = model.config
        self.step = step
        self.rngStates = rngStates
        self.metadata = metadata
        self.optimizer = OptimizerHeader(step: optimizer.step, beta1: optimizer.beta1, beta2: optimizer.beta2,
                                         epsilon: optimizer.epsilon, weightDecay: optimizer.weightDecay)
        parameters = model.parameters.array
        adamM = optimizer.m
        adamV = optimizer.v
    }

    /// Copies the parameters into `model` (whose config must match) and returns the optimizer state.
    public func restore(into model: Model) throws -> AdamW {
        guard model.config == config else { throw CheckpointError.invalid("config does not match the model") }
        model.parameters.load(parameters)
        model.zeroGrad()
        var adam = AdamW(layout: model.layout, beta1: optimizer.beta1, beta2: optimizer.beta2,
                         epsilon: optimizer.epsilon, weightDecay: optimizer.weightDecay)
        adam.step = optimizer.step
        adam.m = adamM
        adam.v = adamV
        return adam
    }

    /// Writes atomically: to `.NAME.tmp-PID` beside `url`, then renamed over it. On any failure
    /// (a full disk, a failed rename) the temporary file is removed and the old checkpoint stays.
    public static func write(_ checkpoint: Checkpoint, to url: URL) throws {
        try write(checkpoint, to: url, writer: { try $0.write(to: $1) })
    }

    /// `write` with the file writer injectable, so tests can make it fail half-way.
    static func write(_ checkpoint: Checkpoint, to url: URL, writer: (Data, URL) throws -> Void) throws {
        let n = checkpoint.parameters.count
        guard n == checkpoint.config.paramsTotal, checkpoint.adamM.count == n, checkpoint.adamV.count == n else {
            throw CheckpointError.invalid("buffer sizes do not match config.paramsTotal")
        }
        let header = Header(config: checkpoint.config, step: checkpoint.step, rng: checkpoint.rngStates,
                            metadata: checkpoint.metadata, optimizer: checkpoint.optimizer, count: n)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var body = Data(capacity: json.count + 12 * n)
        body.append(json)
        for buffer in [checkpoint.parameters, checkpoint.adamM, checkpoint.adamV] {
            appendFloats(&body, buffer)
        }
        var data = Data(capacity: prefixLength + body.count)
        data.append(contentsOf: magic)
        appendLE(&data, version)
        appendLE(&data, UInt64(json.count))
        appendLE(&data, checksum(body))
        data.append(body)
        let tmp = temporaryURL(for: url)
        do {
            try writer(data, tmp)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw CheckpointError.io("cannot write \(tmp.path): \(error.localizedDescription)")
        }
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw CheckpointError.io("cannot rename to \(url.path): \(reason)")
        }
    }

    /// Creates the checkpoint folder `dir` if needed and checks that files can be written in it, so
    /// a bad `--checkpoint-dir` is an error before any run is recorded.
    public static func prepareDirectory(_ dir: URL) throws {
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw CheckpointError.io("cannot create checkpoint folder \(dir.path): \(error.localizedDescription)")
        }
        let probe = dir.appendingPathComponent(".write-test-\(getpid())")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw CheckpointError.io("cannot write in checkpoint folder \(dir.path)")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Where `write` puts the file before renaming it: hidden, beside the target, one per process.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    }

    /// Removes temporary files a crashed writer left for `url` (any process id).
    public static func removeStaleTemporaries(for url: URL) {
        let dir = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    /// FNV-1a 64 of `data` from byte `offset` on.
    static func checksum(_ data: Data, from offset: Int = 0) -> UInt64 {
        var h = FNV1a()
        data.withUnsafeBytes { h.update(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
        return h.value
    }

    public static func read(from url: URL) throws -> Checkpoint {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Array(bytes[0..<4]) == magic else {
            throw CheckpointError.invalid("\(url.path) is not a scalefit checkpoint (bad magic)")
        }
        let version = UInt32(readLE(bytes, at: 4, size: 4))
        if version == 1 { throw CheckpointError.unchecked(path: url.path) }
        guard version == Self.version else { throw CheckpointError.invalid("\(url.path): unsupported version \(version)") }
        guard bytes.count >= prefixLength else { throw CheckpointError.corrupt(path: url.path) }
        let stored = readLE(bytes, at: 16, size: 8)
        guard checksum(data, from: prefixLength) == stored else {
            throw CheckpointError.corrupt(path: url.path)
        }
        let headerLength = readLE(bytes, at: 8, size: 8)
        guard headerLength <= UInt64(bytes.count - prefixLength) else { throw CheckpointError.invalid("truncated header") }
        let headerEnd = prefixLength + Int(headerLength)
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[prefixLength..<headerEnd])) } catch {
            throw CheckpointError.invalid("unreadable header: \(error)")
        }
        try header.config.validate()
        let n = header.count
        guard n == header.config.paramsTotal else { throw CheckpointError.invalid("parameter count \(n) != config") }
        guard bytes.count == headerEnd + 12 * n else {
            throw CheckpointError.invalid("expected \(headerEnd + 12 * n) bytes, found \(bytes.count)")
        }
        let floats = (0..<3).map { readFloats(bytes, at: headerEnd + 4 * n * $0, count: n) }
        return Checkpoint(config: header.config, step: header.step, rngStates: header.rng, metadata: header.metadata,
                          optimizer: header.optimizer, parameters: floats[0], adamM: floats[1], adamV: floats[2])
    }

    private init(config: ModelConfig, step: Int, rngStates: [String: UInt64], metadata: [String: String],
                 optimizer: OptimizerHeader, parameters: [Float], adamM: [Float], adamV: [Float]) {
        self.config = config
        self.step = step
        self.rngStates = rngStates
        self.metadata = metadata
        self.optimizer = optimizer
        self.parameters = parameters
        self.adamM = adamM
        self.adamV = adamV
    }

    private static func appendLE<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func appendFloats(_ data: inout Data, _ values: [Float]) {
        let le = values.map { $0.bitPattern.littleEndian }
        le.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    private static func readLE(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<size { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    private static func readFloats(_ bytes: [UInt8], at offset: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)
                    out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
            initialized = count
        }
    }
}
