import ArgumentParser

/// `sweep --slurm N` and its pass-through options (see SweepCommand+Slurm.swift).
struct SlurmOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Submit the sweep to Slurm: a job array of N shard tasks, each into its own database in DB.shards/, and a merge job into --db.")
    var slurm: Int?
    @Flag(help: "With --slurm: block until the merge job ends, then print the sweep summary and each task's exit status.")
    var wait = false
    @Option(help: "With --slurm: the partition (sbatch --partition).") var partition: String?
    @Option(help: "With --slurm: time limit per task (sbatch --time), e.g. 2:00:00.") var time: String?
    @Option(name: .customLong("cpus-per-task"), parsing: .unconditional, help: "With --slurm: CPUs per task (default 1); the task trains --jobs models at once (default: one per CPU) with CPUs / jobs threads each.")
    var cpusPerTask: Int?
    @Option(help: "With --slurm: memory per task (sbatch --mem), e.g. 4G.") var mem: String?
    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue, help: "With --slurm: one more sbatch option for both jobs, e.g. --sbatch-arg --account=lab (repeatable).")
    var sbatchArgs: [String] = []
    @Flag(name: .customLong("dry-run"), help: "With --slurm: print the generated sbatch scripts and submit nothing.")
    var dryRun = false
    @Flag(name: .customLong("resubmit-failed"), help: "With --slurm: resubmit only the shards whose runs are not all done, then merge again.")
    var resubmitFailed = false
    @Flag(help: "Print the progress of a Slurm sweep from its shard databases (read-only): runs done per shard, active runs, failures. Exits 1 until every run is done.")
    var status = false
    /// The spec hash at submission: a task (or merge job) refuses a spec that changed since.
    @Option(name: .customLong("spec-hash"), help: .hidden) var specHash: String?
    /// Set by the shard task script: the shard database has no other writer, so leases an earlier
    /// (killed, requeued) attempt left are dropped rather than waited out.
    @Flag(name: .customLong("sole-writer"), help: .hidden) var soleWriter = false

    /// The first Slurm-only option given, for the error when --slurm is missing.
    var givenWithoutSlurm: String? {
        let given: [(Bool, String)] = [
            (wait, "--wait"), (partition != nil, "--partition"), (time != nil, "--time"),
            (cpusPerTask != nil, "--cpus-per-task"), (mem != nil, "--mem"), (!sbatchArgs.isEmpty, "--sbatch-arg"),
            (dryRun, "--dry-run"), (resubmitFailed, "--resubmit-failed"),
        ]
        return given.first { $0.0 }?.1
    }
}
