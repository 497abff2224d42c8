// Entry point. Every failure ends as one line on stderr and exit code 2 (bad input, bad data,
// a fit that did not converge); --help and --version exit 0.
import ArgumentParser
import Foundation
import Validation

do {
    var command = try Scalefit.parseAsRoot()
    try command.run()
} catch {
    if Scalefit.exitCode(for: error) == .success {
        Scalefit.exit(withError: error)  // --help, --version
    }
    let message = Scalefit.message(for: error)
    let first = message.split(separator: "\n").first.map(String.init) ?? "\(error)"
    var line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
    // One readable line: any long word (a 100 KB number, a pasted file) is shortened, whoever built the message.
    if line.count > 200 {
        line = line.split(separator: " ", omittingEmptySubsequences: false).map { InputEcho.shown($0) }.joined(separator: " ")
    }
    FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    exit(2)
}
