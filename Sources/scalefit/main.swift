// Entry point. Every failure ends as one line on stderr and exit code 2 (bad input, bad data,
// a fit that did not converge); --help and --version exit 0.
import ArgumentParser
import Foundation
import Validation

do {
    try RepeatedOptions.check(CommandLine.arguments.dropFirst())
    var command = try Scalefit.parseAsRoot()
    try command.run()
} catch {
    if Scalefit.exitCode(for: error) == .success {
        Scalefit.exit(withError: error)  // --help, --version
    }
    var message = Scalefit.message(for: error)
    // The argument parser's usage lines are not part of the problem; a line break anywhere else is
    // inside an echoed value (a flag, a file name, a cell) and is shown escaped, so the line stays whole.
    if let usage = message.range(of: "\nUsage:") { message = String(message[..<usage.lowerBound]) }
    if message.isEmpty { message = "\(error)" }
    let first = InputEcho.oneLine(message.trimmingCharacters(in: .newlines))
    var line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
    // One readable line: any long word (a 100 KB number, a pasted file) is shortened, whoever built the message.
    if line.count > 200 {
        // The leading `FILE:LINE:` of a data-file error stays whole: it says where to look.
        line = line.split(separator: " ", omittingEmptySubsequences: false).enumerated().map { i, word in
            i == 0 && word.hasSuffix(":") && word.count <= 4096 ? String(word) : InputEcho.shown(word)
        }.joined(separator: " ")
    }
    FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    exit(2)
}
