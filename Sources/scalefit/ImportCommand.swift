import ArgumentParser
import Fit
import Foundation
import Store
import Sweep

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load external (N, D, loss) points from a CSV or JSON file into the points table.",
        discussion: """
        CSV, JSON Lines (.jsonl) or JSON (.json). The header names the columns, matched case-insensitively:
        N (n, params, n_params, parameters), D (d, tokens, d_tokens), loss (val_loss), and optionally
        compute (flops, C) and downstream_error (error, err). Without N and D, rows are (loss,
        downstream_error) pairs for `fit --law downstream --source S`.
        Every row is checked before anything is written: one bad row and nothing is imported.
        With --curve, FILE is a loss curve (step, lr, loss, or a logger's names such as Step,
        train/loss, lr-AdamW; --step-col/--lr-col/--loss-col name others) stored as an external run,
        so `scalefit fit --law annealing --run ID` can fit it. Rows with an empty loss are skipped.
        """)

    @Argument(help: "CSV, .jsonl or .json file with columns N, D, loss[, compute, downstream_error], or loss, downstream_error.")
    var file: String

    @Option(name: .long, help: "Label stored with every point (e.g. chinchilla).")
    var source: String?

    @Flag(help: "FILE is a loss curve (step, lr, loss): import it as an external run.") var curve = false
    @OptionGroup var curveColumns: CurveColumnOptions

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        if curve {
            try curveColumns.check(files: [file])
            return try importCurve()
        }
        if curveColumns.step != nil || curveColumns.lr != nil || curveColumns.loss != nil || !curveColumns.curveLRs.isEmpty {
            throw CLIError("--step-col, --lr-col, --loss-col and --curve-lr describe a curve file: use them with --curve")
        }
        let points = try PointImport.read(path: file, source: source)
        let store = try Store(path: database.db)
        let n = try store.insertPoints(points)
        let label = source ?? points.first?.source ?? ""
        if output.effective == .json {
            print(JSONText.render(.object([("imported", .int(Int64(n))), ("source", .string(label)),
                                           ("db", .string(database.db))])))
        } else {
            print("imported \(n) points from \(file) as source '\(label)' into \(database.db)")
        }
    }

    /// A curve from another trainer becomes a finished external run with its logged steps.
    func importCurve() throws {
        let c = try curveColumns.read(file)
        let label = source ?? (file as NSString).lastPathComponent
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let key = "curve-" + StableHash.hex(label + "\n" + text)
        let store = try Store(path: database.db)
        if let existing = try store.run(key: key) {
            throw CLIError("\(file) is already imported as run \(existing.id ?? 0)")
        }
        var run = RunRecord(runKey: key, config: JSONText.render(.object([("external_curve", .string(file)),
                                                                           ("source", .string(label))])),
                            nLayer: 0, dModel: 0, nHead: 0, seqLen: 0, vocab: 0, batchSize: 0, paramsTotal: 0,
                            paramsNonEmbedding: 0, flopsPerToken: 0, tokensBudget: 0, stepsBudget: c.lastStep,
                            lr: c.lrs.max() ?? 0, schedule: "external", seed: 0, corpus: label)
        run.status = "finished"
        run.stepsDone = c.lastStep
        run.finalTrainLoss = c.losses.last
        let id = try store.transaction { () throws -> Int64 in
            let id = try store.insertRun(run)
            // Rows as in the file: `steps` rows mean the same for trained and imported curves (README "Steps").
            try store.appendSteps(c.steps.indices.map {
                StepRecord(runID: id, step: c.steps[$0], tokens: 0, lr: c.lrs[$0], trainLoss: c.losses[$0],
                           gradNorm: nil, wallSeconds: 0)
            })
            return id
        }
        if output.effective == .json {
            print(JSONText.render(.object([("run_id", .int(id)), ("rows", .int(Int64(c.steps.count))), ("source", .string(label))])))
        } else {
            print("imported curve \(file) (\(c.steps.count) rows) as run \(id)")
        }
    }
}
