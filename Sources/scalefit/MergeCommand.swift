import ArgumentParser
import Foundation
import Store

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge databases (e.g. sweep shards) into one; merging twice adds nothing.")

    @Argument(help: "Databases to merge from.") var inputs: [String]
    @Option(name: [.customShort("o"), .long], help: "Database to merge into (created if absent).") var output: String
    @Flag(help: "Print one JSON summary object on the last line of stdout.") var json = false

    func run() throws {
        guard !inputs.isEmpty else { throw CLIError("give at least one database to merge") }
        try DatabasePath.check(output)
        for p in inputs {
            try DatabasePath.check(p)
            guard FileManager.default.fileExists(atPath: p) else { throw CLIError("\(p): no such file") }
            if DatabasePath.sameFile(p, output) {
                throw CLIError("cannot merge \(p) into itself: the output database is the same file")
            }
        }
        for p in inputs { _ = try Store.openReadOnly(path: p) }  // all valid before anything is written
        let store = try Store(path: output)
        var total = Store.MergeCounts()
        for p in inputs {
            let c = try store.merge(from: p)
            total.sweeps += c.sweeps; total.runs += c.runs; total.steps += c.steps
            total.evals += c.evals; total.points += c.points; total.fits += c.fits
            total.runsUpdated += c.runsUpdated
            if !json {
                let updated = c.runsUpdated > 0 ? " (\(c.runsUpdated) unfinished runs updated)" : ""
                print("\(p): +\(c.sweeps) sweeps, +\(c.runs) runs\(updated), +\(c.steps) steps, +\(c.evals) evals, "
                      + "+\(c.points) points, +\(c.fits) fits")
            }
        }
        if json {
            let fields: [(String, Int)] = [("sweeps", total.sweeps), ("runs", total.runs), ("steps", total.steps),
                                           ("evals", total.evals), ("points", total.points), ("fits", total.fits),
                                           ("runs_updated", total.runsUpdated)]
            var obj: [(String, JSONText.Value)] = fields.map { ($0.0, JSONText.Value.int(Int64($0.1))) }
            obj.append(("output", .string(output)))
            print(JSONText.render(.object(obj)))
        }
    }
}
