// Entry point. Every failure ends as one line on stderr and exit code 2 (bad input, bad data,
// a fit that did not converge); --help and --version exit 0.
import ArgumentParser
import Foundation
import Store

do {
    var command = try Scalefit.parseAsRoot()
    try command.run()
} catch {
    if Scalefit.exitCode(for: error) == .success {
        Scalefit.exit(withError: error)  // --help, --version
    }
    let message = Scalefit.message(for: error)
    let first = message.split(separator: "\n").first.map(String.init) ?? "\(error)"
    let line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
    // Whatever input a message echoes, the line stays readable (see String.excerpt).
    FileHandle.standardError.write(Data("error: \(line.excerpt(400))\n".utf8))
    exit(2)
}
