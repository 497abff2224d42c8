import ArgumentParser
import Store

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run read-only SQL on the results database and print the rows.",
        discussion: "The database is opened read-only: INSERT, UPDATE, DELETE and DDL fail and change nothing.")

    @Argument(help: "One SQL statement, e.g. \"select law, params from fits\".")
    var sql: String

    @Option(help: "Stop the query after this many seconds (an endless recursive query cannot hang).")
    var timeout: Double = 60

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard timeout.isFinite, timeout > 0, timeout <= 1e6 else { throw CLIError("--timeout must be in (0, 1e6] seconds") }
    }

    func run() throws {
        let conn = try Store.openReadOnly(path: database.db)
        conn.limitTime(seconds: timeout)
        let result = try QueryResult.run(conn, sql)
        print(TableOutput.render(result, as: output.effective))
    }
}
