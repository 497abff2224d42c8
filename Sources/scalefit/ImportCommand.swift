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
        The header names the columns: N, D, loss (required), compute and downstream_error (optional).
        Every row is checked before anything is written: one bad row and nothing is imported.
        With --curve, FILE is a loss curve (columns step, lr, loss) stored as an external run, so
        `scalefit fit --law annealing --run ID` can fit it.
        """)

    @Argument(help: "CSV (or .json) file with columns N, D, loss[, compute, downstream_error].")
    var file: String

    @Option(name: .long, help: "Label stored with every point (e.g. chinchilla).")
    var source: String?

    @Flag(help: "FILE is a loss curve (step, lr, loss): import it as an external run.") var curve = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        if curve { return try importCurve() }
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
        let c = try LossCurve.read(path: file)
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
