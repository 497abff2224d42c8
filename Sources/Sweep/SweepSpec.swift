import Foundation
import Schedule
import Trainer
import Validation

/// A sweep: the grid of model shapes x token budgets x learning rates x schedules x seeds, and
/// the settings every run in it shares. Read from a TOML file (`Data/sweeps/*.toml`,
/// `Data/presets/*.toml`); every key is documented in the README's "Sweep specs" section.
public struct SweepSpec: Sendable, Equatable, Codable {
    public struct Shape: Sendable, Equatable, Codable, Hashable {
        public var nLayer: Int
        public var dModel: Int
        public var label: String { "\(nLayer)x\(dModel)" }
        public init(nLayer: Int, dModel: Int) {
            self.nLayer = nLayer
            self.dModel = dModel
        }
    }

    public var name: String = "sweep"
    /// A built-in language ("quanta", "synthetic", with knobs: see `BuiltInCorpus`) or a path to a
    /// UTF-8 text file.
    public var corpus: String = "synthetic"
    public var corpusSeed: Int = 0
    public var seqLen: Int = 64
    public var batch: Int = 16
    /// Attention head width: n_head = d_model / head_dim.
    public var headDim: Int = 32
    public var shapes: [Shape] = []
    /// Absolute token budgets (used when non-empty) ...
    public var tokens: [Double] = []
    /// ... or budgets as multiples of the non-embedding parameter count ...
    public var tokensPerParam: [Double] = []
    /// ... or compute budgets C (FLOPs, C = 6ND): every shape gets D = C / (6N), an IsoFLOP grid.
    public var flops: [Double] = []
    public var lrs: [Double] = [3e-3]
    /// Schedule specs such as "cosine" or "wsd:decay=0.2,shape=1-sqrt" (see LRSchedule.parse).
    public var schedules: [String] = ["cosine"]
    public var seeds: [Int] = [0]
    /// Warmup as a fraction of each run's steps.
    public var warmupFraction: Double = ScheduleResolver.defaultWarmupFraction
    /// Final LR as a fraction of the peak for decaying schedules.
    public var floorFraction: Double = ScheduleResolver.defaultFloorFraction
    public var weightDecay: Double = 0.1
    public var gradClip: Double = 1.0
    /// Evaluations per run (validation loss + downstream error), evenly spaced, the last at the end.
    public var evals: Int = 8
    /// Validation windows (of seq_len tokens) in the fixed held-out set.
    public var evalWindows: Int = 64
    /// Items per built-in downstream task.
    public var downstreamItems: Int = 100
    /// WSD decay branches (MiniCPM): one stable trunk per shape, short decays branched off it.
    public var wsdBranching: Bool = false
    /// Width rule for the learning rate: a shape of width d trains at lr * (lrBaseWidth / d)^p with
    /// p = `lrWidthExponent` (nil: every shape at the `lr` axis values). Under muP (Yang et al. 2022,
    /// "Tensor Programs V") Adam's hidden-layer LR scales like 1/width (p = 1); at these tiny widths,
    /// where embeddings and LayerNorms are a large share of the model, a sweep measured the best LR
    /// falling more slowly (README, "LR per size"). Optional, so specs without it keep their hash.
    public var lrWidthExponent: Double?
    /// The width at which the rule's LR equals the `lr` axis value (default 64).
    public var lrBaseWidth: Double?

    /// The LR a shape of width `dModel` trains at for the axis value `lr`.
    public func lr(_ lr: Double, dModel: Int) -> Double {
        guard let p = lrWidthExponent, p != 0 else { return lr }
        return lr * pow((lrBaseWidth ?? 64) / Double(dModel), p)
    }

    public init() {}

    /// What is wrong with the learning rate some (shape, lr) pair trains at, if anything: the width
    /// rule can turn a sane axis value into an overflow (`lr_width_exponent = 1e308`) or a rate no
    /// optimiser uses (`lr_width_exponent = 100`: 4e27 at width 16), which would train a diverged run.
    public var learningRateProblem: String? {
        for sh in shapes {
            for axis in lrs {
                let v = lr(axis, dModel: sh.dModel)
                guard !(v.isFinite && v > 0 && v <= InputLimits.maxLearningRate) else { continue }
                let limit = "must be in (0, \(InputEcho.shown(InputLimits.maxLearningRate))]"
                guard let p = lrWidthExponent, p != 0 else { return "lr \(axis) \(limit)" }
                return "the LR width rule lr x (lr_base_width / d_model)^lr_width_exponent = \(axis) x (\(InputEcho.shown(lrBaseWidth ?? 64)) / "
                    + "\(sh.dModel))^\(p) gives shape \(sh.label) a learning rate of \(v), which \(limit)"
            }
        }
        return nil
    }

    /// Parses and validates a spec; errors name the file, line and key.
    public static func parse(text: String, name: String) throws -> SweepSpec {
        let file = try SpecFile(text: text, name: name)
        var s = SweepSpec()
        s.name = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
        let known: [String: Set<String>] = [
            "": ["name", "corpus", "corpus_seed", "seq_len", "batch", "head_dim", "evals", "eval_windows",
                 "downstream_items"],
            "models": ["shapes", "params", "head_dim"],
            "budgets": ["tokens", "tokens_per_param", "flops"],
            "optim": ["lr", "schedules", "seeds", "warmup_fraction", "floor_fraction", "weight_decay", "grad_clip",
                      "lr_width_exponent", "lr_base_width"],
            "wsd": ["branching"],
        ]
        var params: [Double] = []
        for e in file.entries {
            if e.section.isEmpty, known[e.key] != nil {
                if e.value == .table { continue }  // an empty [section]
                throw SpecError(file: name, line: e.line, "'\(e.key)' must be a table ([\(e.key)] or \(e.key) = { ... })")
            }
            if e.section.isEmpty, e.value == .table {
                throw SpecError(file: name, line: e.line, "unknown section [\(e.key)] (known: \(known.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")))")
            }
            guard let keys = known[e.section] else {
                throw SpecError(file: name, line: e.line, "unknown section [\(e.section)] (known: \(known.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")))")
            }
            guard keys.contains(e.key) else {
                let sec = e.section.isEmpty ? "top level" : "[\(e.section)]"
                throw SpecError(file: name, line: e.line, "unknown key '\(e.key)' in \(sec) (known: \(keys.sorted().joined(separator: ", ")))")
            }
            let r = Reader(entry: e, file: name)
            switch (e.section, e.key) {
            case ("", "name"): s.name = try r.string()
            case ("", "corpus"): s.corpus = try r.string()
            case ("", "corpus_seed"): s.corpusSeed = try r.int(0...InputLimits.maxSeed)
            case ("", "seq_len"): s.seqLen = try r.int(2...InputLimits.maxDimension)
            case ("", "batch"): s.batch = try r.int(1...InputLimits.maxDimension)
            case ("", "head_dim"), ("models", "head_dim"): s.headDim = try r.int(1...InputLimits.maxDimension)
            case ("", "evals"): s.evals = try r.int(1...InputLimits.maxCount)
            case ("", "eval_windows"): s.evalWindows = try r.int(1...InputLimits.maxCount)
            case ("", "downstream_items"): s.downstreamItems = try r.int(0...InputLimits.maxDownstreamItems)
            case ("models", "shapes"): s.shapes = try r.strings().map { try Self.shape($0, r) }
            case ("models", "params"): params = try r.numbers(positive: true, max: InputLimits.maxParams)
            case ("budgets", "tokens"): s.tokens = try r.numbers(positive: true, max: Double(InputLimits.maxTokens))
            case ("budgets", "tokens_per_param"): s.tokensPerParam = try r.numbers(positive: true, max: Double(InputLimits.maxTokens))
            case ("budgets", "flops"): s.flops = try r.numbers(positive: true, max: InputLimits.maxFLOPs)
            case ("optim", "lr"): s.lrs = try r.numbers(positive: true)
            case ("optim", "schedules"): s.schedules = try r.strings()
            case ("optim", "seeds"): s.seeds = try r.integers(0...InputLimits.maxSeed)
            case ("optim", "warmup_fraction"): s.warmupFraction = try r.fraction()
            case ("optim", "floor_fraction"): s.floorFraction = try r.fraction()
            case ("optim", "weight_decay"): s.weightDecay = try r.number(min: 0)
            case ("optim", "grad_clip"): s.gradClip = try r.number(min: 0)
            case ("optim", "lr_width_exponent"): s.lrWidthExponent = try r.number(min: 0)
            case ("optim", "lr_base_width"): s.lrBaseWidth = try r.number(min: 1)
            case ("wsd", "branching"): s.wsdBranching = try r.bool()
            default: break
            }
        }
        if !params.isEmpty {
            s.shapes += params.map { Self.shapeFor(params: $0, headDim: s.headDim) }
        }
        func line(_ section: String, _ key: String) -> Int? {
            file.entries.first { $0.section == section && $0.key == key }?.line
        }
        if s.shapes.isEmpty {
            throw SpecError(file: name, line: line("models", "shapes") ?? line("models", "params"),
                            "[models] needs a non-empty 'shapes' or 'params'")
        }
        let budgetKinds = [s.tokens, s.tokensPerParam, s.flops].filter { !$0.isEmpty }.count
        if budgetKinds != 1 {
            throw SpecError(file: name, line: line("budgets", "tokens") ?? line("budgets", "tokens_per_param") ?? line("budgets", "flops"),
                            "[budgets] needs exactly one of 'tokens', 'tokens_per_param' or 'flops'")
        }
        for (key, count) in [("lr", s.lrs.count), ("schedules", s.schedules.count), ("seeds", s.seeds.count)] where count == 0 {
            throw SpecError(file: name, line: line("optim", key), "[optim] '\(key)' is empty")
        }
        for sh in s.shapes where sh.dModel % s.headDim != 0 {
            throw SpecError(file: name, line: line("models", "shapes"),
                            "shape \(sh.label): d_model \(sh.dModel) is not a multiple of head_dim \(s.headDim)")
        }
        if let problem = s.learningRateProblem {
            throw SpecError(file: name, line: line("optim", "lr_width_exponent") ?? line("optim", "lr"), problem)
        }
        for sched in s.schedules {
            do { _ = try LRSchedule.parse(sched, peak: 1, totalSteps: 100) } catch {
                throw SpecError(file: name, line: line("optim", "schedules"), "\(error)")
            }
        }
        let synthetic: BuiltInCorpus?
        do { synthetic = try BuiltInCorpus.parse(s.corpus) } catch {
            throw SpecError(file: name, line: line("", "corpus"), "\(error)")
        }
        if synthetic == nil && !FileManager.default.isReadableFile(atPath: s.corpus) {
            throw SpecError(file: name, line: line("", "corpus"), "corpus file '\(s.corpus)' is not readable")
        }
        return s
    }

    /// Reads a spec file; an unreadable file is a one-line error.
    public static func load(path: String) throws -> SweepSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, line: nil, "cannot read the spec file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, line: nil, "the spec file is not UTF-8 text")
        }
        return try parse(text: text, name: path)
    }

    static func shape(_ s: String, _ r: Reader) throws -> Shape {
        let parts = s.lowercased().split(separator: "x")
        guard parts.count == 2, let l = Int(parts[0]), let d = Int(parts[1]), l > 0, d > 0 else {
            throw r.error("shape '\(s)' is not 'n_layer x d_model' like \"2x64\"")
        }
        return Shape(nLayer: l, dModel: d)
    }

    /// Shape rule for a target non-embedding parameter count N ~ 12 * L * d^2: an aspect ratio
    /// d_model = 32 * n_layer (the small-model end of Kaplan et al. 2020's flat optimum), with
    /// d_model rounded to a multiple of head_dim. Documented in the README.
    public static func shapeFor(params n: Double, headDim: Int) -> Shape {
        // N = 12 L d^2 with d = 32 L gives L = (N / (12 * 32^2))^(1/3).
        let lc = max(1, Int(pow(n / (12 * 1024), 1.0 / 3.0).rounded()))
        let dc = max(headDim, Int(((n / (12 * Double(lc))).squareRoot() / Double(headDim)).rounded()) * headDim)
        return Shape(nLayer: lc, dModel: dc)
    }

    /// Canonical JSON (sorted keys): the sweep's identity. Same spec, same hash, same sweep.
    public var canonicalJSON: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try! enc.encode(self), as: UTF8.self)
    }

    public var hash: String { StableHash.hex(canonicalJSON) }
}

/// Typed access to one spec entry, with errors that name the key and line.
struct Reader {
    let entry: SpecFile.Entry
    let file: String

    func error(_ m: String) -> SpecError { SpecError(file: file, line: entry.line, "'\(entry.key)': \(m)") }

    func string() throws -> String {
        guard case .string(let s) = entry.value, !s.isEmpty else { throw error("expected a non-empty string") }
        return s
    }
    func bool() throws -> Bool {
        guard case .bool(let b) = entry.value else { throw error("expected true or false") }
        return b
    }
    func number(min: Double) throws -> Double {
        guard case .number(let d) = entry.value else { throw error("expected a number") }
        guard d >= min else { throw error("must be >= \(min) (got \(d))") }
        return d
    }
    /// A whole number in `range`, checked as a Double before it becomes an Int (1e30 or 0.5 are errors).
    func int(_ range: ClosedRange<Int>) throws -> Int {
        guard case .number(let d) = entry.value else { throw error("expected a number") }
        do { return try InputNumber.integer(d, "value", in: range) } catch { throw self.error("\(error)") }
    }
    /// An array of whole numbers in `range` (seeds): 0.5 is an error, never truncated to 0.
    func integers(_ range: ClosedRange<Int>) throws -> [Int] {
        try numbers(positive: false).map {
            do { return try InputNumber.integer($0, "values", in: range) } catch { throw self.error("\(error)") }
        }
    }
    func fraction() throws -> Double {
        let d = try number(min: 0)
        guard d <= 1 else { throw error("must be a fraction in [0, 1] (got \(d))") }
        return d
    }
    func array() throws -> [SpecFile.Value] {
        // A scalar where an axis is expected is a one-element axis (`lr = 3e-3`).
        guard case .array(let a) = entry.value else { return [entry.value] }
        guard !a.isEmpty else { throw error("is empty") }
        return a
    }
    func numbers(positive: Bool, max: Double = .greatestFiniteMagnitude) throws -> [Double] {
        try array().map {
            guard case .number(let d) = $0 else { throw error("expected numbers") }
            if positive && d <= 0 { throw error("values must be > 0 (got \(d))") }
            if !positive && d < 0 { throw error("values must be >= 0 (got \(d))") }
            if d > max { throw error("values must be <= \(InputEcho.shown(max)) (got \(InputEcho.shown(d)))") }
            return d
        }
    }
    func strings() throws -> [String] {
        try array().map {
            guard case .string(let s) = $0 else { throw error("expected strings") }
            return s
        }
    }
}

/// FNV-1a 64: a stable, dependency-free hash for identities (not for security).
public enum StableHash {
    public static func hex(_ s: String) -> String {
        String(FNV1a.hash(s.utf8), radix: 16).leftPad(16)
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
