import Foundation

/// The two batch scripts of a Slurm sweep: a job array whose task i trains shard i of n into its own
/// database, and a merge job (submitted with `--dependency=afterany:ARRAY`) that merges every shard
/// into the main database and then checks, with `sweep --status`, that every run is done.
///
/// Everything the tasks need is in the script: the binary and every path are absolute (tasks start
/// wherever Slurm puts them), the sweep arguments are the user's (preset or spec, overrides), and
/// the spec hash at submission travels along, so a task refuses to train a spec edited meanwhile.
public struct SlurmScript: Sendable {
    public var binary: String
    /// `--preset P` or `--spec FILE` plus overrides, paths already absolute.
    public var sweepArguments: [String]
    public var specHash: String
    public var sweepName: String
    public var shards: Int
    public var folder: ShardFolder
    /// Models one task trains at once and BLAS threads per model; jobs x threads = CPUs per task.
    public var jobs: Int
    public var threads: Int
    public var cpusPerTask: Int
    public var partition: String?
    public var time: String?
    public var mem: String?
    /// Extra `#SBATCH` options for both jobs (an account, a QOS, constraints, ...).
    public var sbatchArguments: [String]
    /// A base checkpoint folder the user chose; each shard gets its own subfolder.
    public var checkpointBase: String?

    public init(binary: String, sweepArguments: [String], specHash: String, sweepName: String, shards: Int,
                folder: ShardFolder, jobs: Int, threads: Int, cpusPerTask: Int, partition: String? = nil,
                time: String? = nil, mem: String? = nil, sbatchArguments: [String] = [], checkpointBase: String? = nil) {
        self.binary = binary
        self.sweepArguments = sweepArguments
        self.specHash = specHash
        self.sweepName = sweepName
        self.shards = shards
        self.folder = folder
        self.jobs = jobs
        self.threads = threads
        self.cpusPerTask = cpusPerTask
        self.partition = partition
        self.time = time
        self.mem = mem
        self.sbatchArguments = sbatchArguments
        self.checkpointBase = checkpointBase
    }

    /// Options scalefit sets itself; `--sbatch-arg` may not override them.
    public static let reservedOptions = ["--array", "--dependency", "--output", "--error", "--open-mode", "--requeue",
                                         "--no-requeue", "--cpus-per-task", "-c", "-a", "-d", "-o", "-e", "--wrap"]

    /// Checks one `--sbatch-arg`: an option (starts with '-'), one line, no double quote, not one
    /// that scalefit sets. Returns why it is refused, or nil.
    public static func problem(withSbatchArgument a: String) -> String? {
        guard a.hasPrefix("-") else { return "'\(a)' is not an sbatch option (it must start with '-')" }
        guard !a.contains(where: { $0.isNewline || $0 == "\"" }) else { return "'\(a)' contains a newline or '\"'" }
        let name = String(a.split(separator: "=", maxSplits: 1).first ?? "")
        let short = a.hasPrefix("--") ? name : String(a.prefix(2))
        if reservedOptions.contains(name) || reservedOptions.contains(short) {
            return "'\(a)': \(name) is set by scalefit sweep --slurm"
        }
        return nil
    }

    /// The job-array script for shard tasks `tasks` (1-based shard indices).
    public func arrayScript(tasks: [Int]) -> String {
        var lines = header("scalefit sweep '\(sweepName)': one Slurm array task per shard of \(shards), each into its own database.")
        lines += [
            "#SBATCH --job-name=\(jobName)",
            "#SBATCH --array=\(Self.arraySpec(tasks))",
            "#SBATCH --cpus-per-task=\(cpusPerTask)",
            "#SBATCH --requeue",
            "#SBATCH --open-mode=append",
            "#SBATCH --output=\(directive(folder.path + "/slurm-%A_%a.out"))",
        ]
        if let mem { lines.append("#SBATCH --mem=\(directive(mem))") }
        lines += commonDirectives()
        // Words in double quotes expand per task; everything else is single-quoted as given.
        var words = ([binary, "sweep"] + sweepArguments).map(Self.quote)
        words += ["--shard", "\"$i/\(shards)\"", "--db", "\"$dir/shard-$i.db\"", "--jobs", "\(jobs)",
                  "--threads", "\(threads)", "--spec-hash", Self.quote(specHash), "--sole-writer"]
        if let checkpointBase { words += ["--checkpoint-dir", Self.quote(checkpointBase) + "\"/shard-$i\""] }
        let command = words.joined(separator: " ")
        lines += [
            "set -u",
            "i=${SLURM_ARRAY_TASK_ID:?this script is a Slurm array task}",
            "dir=\(Self.quote(folder.path))",
            "# The exit file says how the task ended; a cancelled or preempted task leaves 'terminated'.",
            "trap 'echo terminated > \"$dir/shard-$i.exit\"; exit 143' TERM",
            "echo \"running ${SLURM_ARRAY_JOB_ID}_$i\" > \"$dir/shard-$i.exit\"",
            "# A requeued task runs this again: the sweep skips finished runs and resumes the rest from",
            "# their checkpoints (in the shard's own checkpoint folder), so no step is logged twice.",
            command,
            "code=$?",
            "echo \"$code\" > \"$dir/shard-$i.exit\"",
            "exit \"$code\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The merge job's script (its `--dependency=afterany:ARRAY` goes on the sbatch command line).
    public func mergeScript() -> String {
        var lines = header("scalefit sweep '\(sweepName)': merge the \(shards) shard databases into the main one.")
        lines += [
            "#SBATCH --job-name=\(jobName)-merge",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --output=\(directive(folder.path + "/slurm-merge-%j.out"))",
        ]
        lines += commonDirectives()
        let bin = Self.quote(binary)
        let status = ([binary, "sweep"] + sweepArguments + ["--status", "--db", folder.database, "--spec-hash", specHash])
            .map(Self.quote).joined(separator: " ")
        lines += [
            "set -u",
            "dir=\(Self.quote(folder.path))",
            "shards=()",
            "for i in $(seq 1 \(shards)); do [ -f \"$dir/shard-$i.db\" ] && shards+=(\"$dir/shard-$i.db\"); done",
            "code=0",
            "# Merging is idempotent: runs already merged add nothing, unfinished ones are brought up to date.",
            "if [ ${#shards[@]} -gt 0 ]; then \(bin) merge \"${shards[@]}\" -o \(Self.quote(folder.database)) || code=$?; fi",
            "# Per-shard progress; exits 1 when a shard has runs that are not done (resubmit with --resubmit-failed).",
            "if [ \"$code\" -eq 0 ]; then \(status) || code=$?; fi",
            "echo \"$code\" > \"$dir/merge-${SLURM_JOB_ID}.exit\"",
            "exit \"$code\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    var jobName: String {
        let safe = sweepName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return "scalefit-" + String(safe.prefix(40))
    }

    func header(_ what: String) -> [String] {
        ["#!/bin/bash", "# \(what)", "# Generated by `scalefit sweep --slurm`; see the README, \"Running on a Slurm cluster\"."]
    }

    func commonDirectives() -> [String] {
        var lines: [String] = []
        if let partition { lines.append("#SBATCH --partition=\(directive(partition))") }
        if let time { lines.append("#SBATCH --time=\(directive(time))") }
        lines += sbatchArguments.map { "#SBATCH \(directive($0))" }
        return lines
    }

    /// An `#SBATCH` word: sbatch splits directives at whitespace unless the word is double-quoted.
    func directive(_ s: String) -> String {
        s.contains(where: \.isWhitespace) ? "\"\(s)\"" : s
    }

    /// `1-4` for a full range, `1,3` otherwise.
    public static func arraySpec(_ tasks: [Int]) -> String {
        let t = tasks.sorted()
        if let f = t.first, let l = t.last, t.count > 1, l - f + 1 == t.count { return "\(f)-\(l)" }
        return t.map(String.init).joined(separator: ",")
    }

    /// POSIX single quoting: safe for any word.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) && s.allSatisfy(\.isASCII) {
            return s
        }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
