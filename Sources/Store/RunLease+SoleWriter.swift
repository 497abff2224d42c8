extension RunLease {
    /// Drops every lease in the database. Only for a process that knows it is the database's one
    /// writer: a Slurm shard task (the submitter never queues two tasks for one shard), whose
    /// earlier attempt was killed or preempted on another node and left leases that would
    /// otherwise block the requeued attempt until they expire.
    public static func dropAll(in store: Store) throws {
        try store.connection.execute("DELETE FROM run_leases")
    }
}
