import ChildProcess
import Foundation

/// Talks to Slurm through its command-line tools (sbatch, squeue), as a user would.
public enum SlurmClient {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The last line of stderr that is not a usage hint (Slurm's tools put the reason there).
        public var reason: String {
            let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            return lines.last { !$0.isEmpty && !$0.hasPrefix("Try ") } ?? "exit \(status)"
        }
    }

    /// The tool's absolute path from PATH, nil when it is not installed.
    public static func find(_ tool: String) -> String? { ChildProcess.find(tool) }

    public static func run(_ tool: String, _ arguments: [String]) throws -> Output {
        guard let r = try ChildProcess.run(tool: tool, arguments) else {
            throw SlurmError("\(tool) not found on PATH: is Slurm installed? (Scripts/slurm-local.sh start runs a one-machine cluster)")
        }
        return Output(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// Asks the controller whether it would accept `script` (`sbatch --test-only`), submitting nothing.
    public static func testOnly(script: String, extra: [String] = []) throws {
        let r = try run("sbatch", ["--test-only"] + extra + [script])
        guard r.status == 0 else { throw SlurmError("sbatch rejects the job script: \(r.reason)") }
    }

    /// Submits `script` and returns its job id.
    public static func submit(script: String, extra: [String] = []) throws -> String {
        let r = try run("sbatch", ["--parsable"] + extra + [script])
        let id = r.stdout.split(separator: "\n").last.map { String($0.split(separator: ";").first ?? "") } ?? ""
        guard r.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError("sbatch failed: \(r.reason)")
        }
        return id
    }

    /// A queued or running job (or array task) of the user's, as squeue lists it.
    public struct QueuedJob: Sendable, Equatable {
        /// The array job id for array tasks, the job id otherwise.
        public var job: String
        public var arrayTask: Int?
        public var state: String
        public var name: String { arrayTask.map { "\(job)_\($0)" } ?? job }
    }

    /// Jobs still in the queue among `jobs` (array job ids or job ids); array tasks one by one.
    public static func queued(_ jobs: [String]) throws -> [QueuedJob] {
        guard !jobs.isEmpty else { return [] }
        let r = try run("squeue", ["--noheader", "--array", "--format=%F %K %i %T"])
        guard r.status == 0 else { throw SlurmError("squeue failed: \(r.reason)") }
        let wanted = Set(jobs)
        return r.stdout.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 4 else { return nil }
            // %F is the array job id (the job id for plain jobs); %K the task index ("N/A" otherwise).
            let plainID = f[2].split(separator: "_").first.map(String.init) ?? f[2]
            guard wanted.contains(f[0]) || wanted.contains(plainID) else { return nil }
            return QueuedJob(job: f[0], arrayTask: Int(f[1]), state: f[3])
        }
    }
}
