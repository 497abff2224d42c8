import ArgumentParser
import Foundation
import Store
import Sweep
import Trainer
import Validation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train a grid of tiny models (sizes x budgets x LRs x schedules x seeds) into the database.",
        discussion: """
        The sweep is identified by its spec: running the same command again skips finished runs and
        continues interrupted ones from their last checkpoint. Presets live in Data/presets/.
        """)

    @Option(help: "A preset from Data/presets: demo, small or paper.") var preset: String?
    @Option(help: "A sweep spec file (TOML).") var spec: String?
    @Option(help: "Override [models] shapes, e.g. \"2x64,2x96\".") var shapes: String?
    @Option(name: .customLong("tokens-per-param"), parsing: .unconditional, help: "Override [budgets] tokens_per_param, e.g. \"5,10,20\".")
    var tokensPerParam: String?
    @Option(parsing: .unconditional, help: "Override [optim] lr, e.g. \"1e-3,3e-3\".") var lrs: String?
    @Option(help: "Override [optim] schedules, e.g. \"cosine;wsd:decay=0.2\" (';'-separated).") var schedules: String?
    @Option(parsing: .unconditional, help: "Override [optim] seeds, e.g. \"0,1\".") var seeds: String?
    @Option(help: "Override the corpus: synthetic, synthetic:words=W,successors=S or a text file.") var corpus: String?
    @Option(parsing: .unconditional, help: "Models trained at once (default: one per core; threads are split so jobs x threads <= cores).")
    var jobs: Int?
    @Option(help: "Run shard i of n of the grid, e.g. 1/2 (each shard into its own database).") var shard: String?
    @Option(name: .customLong("checkpoint-dir"), help: "Checkpoint directory (default: DB path + .checkpoints).")
    var checkpointDir: String?
    @Flag(help: "Turn on WSD decay branches for wsd schedules.") var branch = false
    @Flag(help: "Print the planned runs and exit without training.") var plan = false
    @Option(parsing: .unconditional, help: "BLAS threads per model (default: cores / jobs). Losses are bit-identical for any thread count.")
    var threads: Int?

    @OptionGroup(title: "Slurm") var cluster: SlurmOptions

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print one JSON summary object on the last line of stdout.") var json = false

    func loadSpec() throws -> SweepSpec {
        var s: SweepSpec
        switch (preset, spec) {
        case (let p?, nil): s = try SweepSpec.load(path: try Presets.path(p))
        case (nil, let f?): s = try SweepSpec.load(path: f)
        case (nil, nil): throw CLIError("give --preset NAME (demo, small, paper) or --spec FILE.toml")
        default: throw CLIError("give either --preset or --spec, not both")
        }
        func list(_ text: String, _ flag: String, max: Double) throws -> [Double] {
            let items = text.split(separator: ",", omittingEmptySubsequences: false)
            return try items.map {
                try InputNumber.real(text: $0.trimmingCharacters(in: .whitespaces), flag, min: 0, minExclusive: true, max: max)
            }
        }
        if let shapes {
            s.shapes = try shapes.split(separator: ",", omittingEmptySubsequences: false).map { item in
                let parts = String(item).lowercased().split(separator: "x", omittingEmptySubsequences: false)
                let p = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, p.count == 2, (1...InputLimits.maxDimension).contains(p[0]), (1...InputLimits.maxDimension).contains(p[1]),
                      p[1] % s.headDim == 0 else {
                    throw CLIError("--shapes: '\(InputEcho.shown(item))' is not n_layer x d_model (each 1...\(InputLimits.maxDimension)) with d_model a multiple of \(s.headDim)")
                }
                return SweepSpec.Shape(nLayer: p[0], dModel: p[1])
            }
        }
        if let tokensPerParam {
            s.tokensPerParam = try list(tokensPerParam, "--tokens-per-param", max: Double(InputLimits.maxTokens))
            s.tokens = []
            s.flops = []
        }
        if let lrs { s.lrs = try list(lrs, "--lrs", max: .greatestFiniteMagnitude) }
        if let seeds {
            s.seeds = try seeds.split(separator: ",", omittingEmptySubsequences: false).map {
                try InputNumber.integer(text: $0.trimmingCharacters(in: .whitespaces), "--seeds", in: 0...InputLimits.maxSeed)
            }
        }
        if let schedules {
            s.schedules = try schedules.split(separator: ";", omittingEmptySubsequences: false).map {
                let item = $0.trimmingCharacters(in: .whitespaces)
                guard !item.isEmpty else { throw CLIError("--schedules: an empty schedule in '\(InputEcho.shown(schedules))'") }
                return item
            }
        }
        if let corpus {
            let synthetic: BuiltInCorpus?
            do { synthetic = try BuiltInCorpus.parse(corpus) } catch { throw CLIError("--corpus: \(error)") }
            guard synthetic != nil || FileManager.default.isReadableFile(atPath: corpus) else {
                throw CLIError("--corpus: '\(corpus)' is not readable")
            }
            s.corpus = corpus
        }
        if branch { s.wsdBranching = true }
        // --lrs and --shapes change the rates the width rule gives.
        if (lrs != nil || shapes != nil), let problem = s.learningRateProblem { throw CLIError("--lrs / --shapes: \(problem)") }
        return s
    }

    func checkJobsAndThreads() throws {
        if let jobs { _ = try InputNumber.integer(jobs, "--jobs", in: 1...InputLimits.maxThreads) }
        if let threads { _ = try InputNumber.integer(threads, "--threads", in: 1...InputLimits.maxThreads) }
    }

    func parseShard() throws -> (Int, Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        let p = parts.compactMap { Int($0) }
        guard parts.count == 2, p.count == 2, p[1] >= 1, p[0] >= 1, p[0] <= p[1] else {
            throw CLIError("--shard must be i/n with 1 <= i <= n (got '\(InputEcho.shown(shard))')")
        }
        guard p[1] <= InputLimits.maxRunsPerSweep else {
            throw CLIError("--shard \(InputEcho.shown(shard)): n must be <= \(InputLimits.maxRunsPerSweep), the cap on a sweep's runs")
        }
        return (p[0], p[1])
    }

    func run() throws {
        if cluster.status { return try runStatus() }
        if cluster.slurm != nil { return try runSlurm() }
        if let stray = cluster.givenWithoutSlurm { throw CLIError("\(stray) needs --slurm N") }
        try checkJobsAndThreads()
        let spec = try loadSpec()
        try checkSpecHash(spec)
        let shardSpec = try parseShard()
        var runs = try SweepPlan.runs(spec)
        if let (i, n) = shardSpec { runs = SweepPlan.shard(runs, index: i, of: n, branching: spec.wsdBranching) }
        // The corpus is checked for --plan too: a plan that cannot run is an error, not a listing.
        try CorpusSource.check(spec.corpus, seqLen: spec.seqLen)
        if plan {
            // Counts through Swift's 64-bit formatting: a %d would print them modulo 2^32.
            for r in runs {
                print("\(String(r.index).leftPadded(3))  \(r.label)  N=\(r.model.paramsNonEmbedding)  steps=\(r.steps)  "
                      + String(format: "%.3g FLOPs", r.flops))
            }
            return
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Threads per job depend only on --jobs, --threads and the core count (never on how many
        // runs are left), so a resumed or sharded sweep trains with the same thread split: same bits.
        let jobCount = jobs ?? cores
        Threads.configure(jobs: jobCount, threads: threads ?? max(1, cores / jobCount))
        let runner = SweepRunner(spec: spec, dbPath: database.db,
                                 checkpointDir: URL(fileURLWithPath: checkpointDir ?? database.db + ".checkpoints"),
                                 jobs: jobCount, shard: shardSpec, progress: SweepProgress())
        runner.soleWriter = cluster.soleWriter
        let t0 = Date()
        let s = try runner.run()
        let saved = s.scratchFLOPs > 0 ? 1 - s.plannedFLOPs / s.scratchFLOPs : 0
        let wall = Date().timeIntervalSince(t0)
        // Aggregate model FLOP/s against the sgemm peak of all cores, measured now (about a second).
        let rate = wall > 0 ? s.trainedFLOPs / wall : 0
        let peak = s.trainedFLOPs > 0 ? SgemmPeak.quick(threads: cores) * 1e9 : 0
        if json {
            print(JSONText.render(.object([
                ("sweep_id", .int(s.sweepID)), ("name", .string(spec.name)), ("runs", .int(Int64(s.planned))),
                ("skipped", .int(Int64(s.skipped))), ("finished", .int(Int64(s.finished))),
                ("diverged", .int(Int64(s.diverged))), ("held_elsewhere", .int(Int64(s.heldElsewhere))),
                ("flops_from_scratch", .number(s.scratchFLOPs)),
                ("flops_planned", .number(s.plannedFLOPs)), ("flops_trained", .number(s.trainedFLOPs)),
                ("model_flops_per_s", .number(rate)), ("sgemm_peak_flops_per_s", .number(peak)),
                ("peak_share", peak > 0 ? .number(rate / peak) : .null),
                ("wall_seconds", .number(wall)), ("db", .string(database.db)),
            ])))
        } else {
            print("sweep \(s.sweepID) '\(spec.name)': \(s.planned) runs (\(s.skipped) already done, \(s.finished) finished now, "
                  + "\(s.diverged) diverged\(s.heldElsewhere > 0 ? ", \(s.heldElsewhere) held by another sweep process" : "")) "
                  + "in \(String(format: "%.1f", wall)) s -> \(database.db)")
            if s.trainedFLOPs > 0 {
                print(String(format: "throughput: %.3g model FLOPs in %.1f s = %.1f GFLOP/s, %.0f%% of the %d-core sgemm peak (%.1f GFLOP/s, 1024^3, measured now)",
                             s.trainedFLOPs, wall, rate / 1e9, 100 * rate / peak, cores, peak / 1e9))
            }
            if spec.wsdBranching {
                print(String(format: "WSD branching: %.3g training FLOPs vs %.3g from scratch (%.1f%% saved)",
                             s.plannedFLOPs, s.scratchFLOPs, 100 * saved))
            }
        }
    }
}

/// Finds preset files whether scalefit runs from the repository or from its build folder.
enum Presets {
    static func path(_ name: String) throws -> String {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw CLIError("unknown preset '\(name)'")
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var roots = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var dir = exe
        for _ in 0..<5 { roots.append(dir); dir = dir.deletingLastPathComponent() }
        for root in roots {
            let p = root.appendingPathComponent("Data/presets/\(name).toml").path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        throw CLIError("unknown preset '\(name)' (presets: demo, small, paper in Data/presets/)")
    }
}
