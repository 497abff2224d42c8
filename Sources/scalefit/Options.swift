import ArgumentParser
import Foundation
import Store
import Validation

/// `--db PATH`, shared by every command that touches the results database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Results database (SQLite).")
    var db: String = "results.db"

    /// Before any command runs: `''`, `:memory:` and `file:` URIs would save nothing.
    func validate() throws {
        do { try DatabasePath.check(db) } catch { throw CLIError("--db: \(error)") }
    }
}

/// Output format shared by every command that prints results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// `--format table|csv|json` and `--json` (one JSON object on the last line of stdout).
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Print one JSON object on the last line of stdout (same as --format json).")
    var json = false

    var effective: OutputFormat { json ? .json : format }

    /// `--json` with another `--format` says two things; neither silently wins.
    func validate() throws {
        if json && format != .table && format != .json {
            throw CLIError("--json and --format \(format.rawValue) contradict each other: give one")
        }
    }
}

/// A one-line error that the entry point prints and turns into exit code 2.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

func printErr(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Numeric flags: every number option is declared with `parsing: .unconditional`, so `--steps -5`
/// reaches the range check ("--steps must be > 0") instead of being read as an unknown flag, and
/// real-valued ones go through `FlagNumber.real`, which accepts plain decimals only (no `nan`,
/// `inf` or hexadecimal, which `Double(String)` would take).
enum FlagNumber {
    @Sendable static func real(_ text: String) throws -> Double {
        guard let d = InputNumber.parse(text) else {
            throw InputError("'\(InputEcho.shown(text))' is not a finite decimal number")
        }
        return d
    }
}
