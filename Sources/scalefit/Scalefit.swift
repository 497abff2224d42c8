import ArgumentParser

/// The root command: one file per subcommand beside this one.
struct Scalefit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scalefit",
        abstract: "Train tiny language models on the CPU and fit scaling laws to them.",
        discussion: "Results live in a SQLite database (default ./results.db); see the README for its schema.",
        version: "0.1.0",
        subcommands: [
            SweepCommand.self, TrainCommand.self, FitCommand.self, PredictCommand.self,
            QueryCommand.self, ImportCommand.self, ExportCommand.self, RunsCommand.self,
            MergeCommand.self, ReportCommand.self, AnalyzeCommand.self,
        ]
    )
}
