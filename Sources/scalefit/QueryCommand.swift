import ArgumentParser
import Store
import Validation

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run read-only SQL on the results database and print the rows.",
        discussion: "The database is opened read-only: INSERT, UPDATE, DELETE and DDL fail and change nothing.")

    @Argument(help: "One SQL statement, e.g. \"select law, params from fits\".")
    var sql: String

    @Option(parsing: .unconditional, help: "Stop the query after this many seconds (an endless recursive query cannot hang).",
            transform: FlagNumber.real)
    var timeout: Double = 60

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        // At least a millisecond: a denormal such as 1e-320 is > 0 but stops every query at once.
        _ = try InputNumber.real(timeout, "--timeout", min: 1e-3, max: 1e6)
    }

    func run() throws {
        let conn = try Store.openReadOnly(path: database.db)
        conn.limitTime(seconds: timeout)
        let result = try QueryResult.run(conn, sql)
        print(TableOutput.render(result, as: output.effective))
    }
}
