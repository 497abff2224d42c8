import ArgumentParser
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load external (N, D, loss) points from a CSV or JSON file into the points table.",
        discussion: """
        The header names the columns: N, D, loss (required), compute and downstream_error (optional).
        Every row is checked before anything is written: one bad row and nothing is imported.
        """)

    @Argument(help: "CSV (or .json) file with columns N, D, loss[, compute, downstream_error].")
    var file: String

    @Option(name: .long, help: "Label stored with every point (e.g. chinchilla).")
    var source: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
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
}
