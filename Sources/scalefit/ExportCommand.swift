import ArgumentParser
import Foundation
import Store

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a whole table as CSV or JSON (to stdout or --out FILE).")

    @Option(name: .long, help: "Table: \(Store.tables.joined(separator: ", ")).")
    var table: String

    @Option(name: .long, help: "csv or json.")
    var format: OutputFormat = .csv

    @Option(name: .long, help: "Write to this file instead of stdout.")
    var out: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard Store.tables.contains(table) else {
            throw StoreError.unknownTable(table, known: Store.tables)
        }
        let conn = try Store.openReadOnly(path: database.db)
        let result = try QueryResult.run(conn, "SELECT * FROM \(table) ORDER BY 1")
        let text = TableOutput.render(result, as: format, extra: [("table", .string(table))])
        if let out {
            do { try (text + "\n").write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw CLIError("cannot write \(out): \(error.localizedDescription)")
            }
            printErr("wrote \(result.rows.count) rows of \(table) to \(out)")
        } else {
            print(text)
        }
    }
}
