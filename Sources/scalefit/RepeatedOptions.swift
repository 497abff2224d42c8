import Validation

/// An option given twice on one command line (`--steps 5 --steps -1`, `--N 0 --N 1e9`): the argument
/// parser keeps the last value, so the first, possibly invalid, would be dropped without a word.
/// Only the options that collect a list may repeat; everything else given twice is an error.
enum RepeatedOptions {
    /// Options declared as arrays (`[String]`, `[Int64]`): each occurrence adds a value.
    static let repeatable: Set<String> = ["--run", "--curve", "--check-curve", "--check-run", "--law-option", "--curve-lr",
                                          "--sbatch-arg"]

    /// Checks the arguments after the program name; stops at `--` (what follows is not options).
    static func check(_ arguments: some Sequence<String>) throws {
        var seen: [String: String] = [:]
        var skipValue = false
        for arg in arguments {
            if skipValue { skipValue = false; continue }
            if arg == "--" { return }
            let isLong = arg.hasPrefix("--") && arg.count > 2
            let isShort = arg.count == 2 && arg.hasPrefix("-") && arg.last!.isLetter
            guard isLong || isShort else { continue }
            let name = String(arg.prefix { $0 != "=" })
            if repeatable.contains(name) {
                // The value of a repeatable option may itself look like an option (`--sbatch-arg --qos=x`).
                skipValue = !arg.contains("=")
                continue
            }
            if let first = seen[name] {
                throw CLIError("\(name) is given twice (\(InputEcho.shown(first)), then \(InputEcho.shown(arg))): give it once")
            }
            seen[name] = arg
        }
    }
}
