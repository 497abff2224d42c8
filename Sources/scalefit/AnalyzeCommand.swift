import ArgumentParser
import Foundation
import Store

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Training dynamics of a run: effective rank of each weight matrix and layer convergence (CKA).",
        discussion: """
        Effective rank (Roy and Vetterli 2007) = exp of the entropy of the normalised singular values, measured
        at every evaluation. Layer convergence (Diehl Martinez et al. 2024) = linear CKA between each block's
        output at an evaluation and at the final one, on a fixed probe batch of held-out windows.
        """)

    @Option(name: .customLong("run"), parsing: .unconditional, help: "Run id.") var runID: Int64
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard FileManager.default.fileExists(atPath: database.db) else { throw CLIError("no database at \(database.db)") }
        let store = try Store.reader(path: database.db)
        guard try store.run(id: runID) != nil else { throw CLIError("no run with id \(runID) in \(database.db)") }
        let ranks = try store.effectiveRanks(runID: runID)
        let cka = try store.layerCKA(runID: runID)
        let rankTable = pivot(ranks.map { ($0.step, $0.matrix, $0.erank) }, rowName: "step")
        let ckaTable = pivot(cka.map { ($0.step, "block \($0.layer)", $0.cka) }, rowName: "step")
        switch output.effective {
        case .json:
            print(JSONText.render(.object([("run_id", .int(runID)),
                                           ("effective_rank", JSONText.object(rankTable)),
                                           ("layer_cka", JSONText.object(ckaTable))])))
        case .csv:
            print(TableOutput.render(rankTable, as: .csv))
            print()
            print(TableOutput.render(ckaTable, as: .csv))
        case .table:
            print("Effective rank of each weight matrix (rows: step)")
            print(ranks.isEmpty ? "(none recorded)" : TableOutput.render(rankTable, as: .table))
            print("\nLayer convergence: CKA with the final evaluation (rows: step)")
            print(cka.isEmpty ? "(none recorded: the run has not finished)" : TableOutput.render(ckaTable, as: .table))
        }
    }

    /// Long (step, column, value) rows as a wide table: one row per step, one column per name.
    func pivot(_ rows: [(Int, String, Double)], rowName: String) -> QueryResult {
        var names: [String] = []
        for r in rows where !names.contains(r.1) { names.append(r.1) }
        let steps = Array(Set(rows.map(\.0))).sorted()
        var cell: [Int: [String: Double]] = [:]
        for r in rows { cell[r.0, default: [:]][r.1] = r.2 }
        return QueryResult(columns: [rowName] + names, rows: steps.map { s in
            [.integer(Int64(s))] + names.map { n in cell[s]?[n].map { .real($0) } ?? .null }
        })
    }
}
