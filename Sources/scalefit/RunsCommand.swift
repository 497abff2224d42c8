import ArgumentParser
import Store

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List training runs: shape, budget, status and final losses.")

    @Option(name: .long, help: "Only runs matching this SQL predicate over the runs columns, e.g. \"d_model >= 128\".")
    var `where`: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let conn = try Store.openReadOnly(path: database.db)
        var sql = """
            SELECT id, sweep_id AS sweep, n_layer, d_model, n_head, params_nonembedding AS params, tokens_budget AS tokens,
                   lr, schedule, seed, status, steps_done, final_train_loss AS train_loss, final_val_loss AS val_loss,
                   final_downstream_error AS down_err, ROUND(wall_seconds, 1) AS wall_s
            FROM runs
            """
        if let w = `where` { sql += " WHERE (\(try SQLPredicate(w, table: "runs", on: conn).text))" }
        sql += " ORDER BY id"
        print(TableOutput.render(try QueryResult.run(conn, sql), as: output.effective))
    }
}
