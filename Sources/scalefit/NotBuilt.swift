import ArgumentParser

/// Commands whose capability is still being built say so and exit 2: no fake output.
func notBuilt(_ what: String) -> CLIError {
    CLIError("\(what) is not built yet in this version of scalefit")
}

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "Effective rank and layer convergence of a run (not built yet).")
    @OptionGroup var database: DatabaseOptions
    func run() throws { throw notBuilt("analyze") }
}
