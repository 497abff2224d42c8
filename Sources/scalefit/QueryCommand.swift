import ArgumentParser
import Store

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run read-only SQL on the results database and print the rows.",
        discussion: "The database is opened read-only: INSERT, UPDATE, DELETE and DDL fail and change nothing.")

    @Argument(help: "One SQL statement, e.g. \"select law, params from fits\".")
    var sql: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let conn = try Store.openReadOnly(path: database.db)
        let result = try QueryResult.run(conn, sql)
        print(TableOutput.render(result, as: output.effective))
    }
}
