import Foundation

/// A claim on runs, so that several `scalefit sweep` processes on one database split the grid
/// instead of each training all of it.
///
/// A process claims a group of runs in one IMMEDIATE transaction (SQLite serialises those across
/// processes): the claim succeeds only if no other live holder has an unexpired lease on any of
/// them, and then writes a `run_leases` row per run with this holder's name and an expiry time.
/// While it trains, the holder renews its leases (`renew`, a heartbeat); when it is done it
/// releases them. A holder that crashed stops renewing, and its leases expire after `duration`
/// seconds (10 minutes by default); on the same host a lease whose process no longer exists
/// is free at once.
///
/// It holds its own connection and serialises its calls, so the worker threads of one sweep share
/// one holder.
public final class RunLease: @unchecked Sendable {
    let store: Store
    /// `host:pid:random`, unique per holder (two holders in one process differ).
    public let owner: String
    public let duration: Double
    private let lock = NSLock()
    private var lastRenewal = Date.distantPast
    private var held: Set<Int64> = []

    public static let defaultDuration = 600.0

    /// - Parameter path: the database (the holder opens its own connection to it).
    public init(path: String, duration: Double = RunLease.defaultDuration) throws {
        store = try Store(path: path)
        self.duration = duration
        owner = "\(RunLease.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    static var hostName: String { ProcessInfo.processInfo.hostName }

    /// Claims every run in `runIDs`, or none of them: false when another live holder has one.
    public func claim(_ runIDs: [Int64]) throws -> Bool {
        try lock.withLock { try claimLocked(runIDs) }
    }

    private func claimLocked(_ runIDs: [Int64]) throws -> Bool {
        let c = store.connection
        let now = Date().timeIntervalSince1970
        return try c.transaction {
            for id in runIDs {
                let row = try c.rows("SELECT owner, expires_at FROM run_leases WHERE run_id = ?", [.integer(id)]).first
                if let row, let holder = row[0].stringValue, holder != owner,
                   let expires = row[1].doubleValue, expires > now, RunLease.holderMayBeAlive(holder) {
                    return false
                }
            }
            for id in runIDs {
                try c.run("INSERT OR REPLACE INTO run_leases(run_id, owner, expires_at) VALUES (?, ?, ?)",
                          [.integer(id), .text(owner), .real(now + duration)])
            }
            held.formUnion(runIDs)
            lastRenewal = Date()
            return true
        }
    }

    /// Extends every lease this holder has. Cheap to call often: it writes at most every
    /// duration / 4 seconds. Returns false when a lease was lost (another holder took it over
    /// after it expired).
    @discardableResult
    public func renew(force: Bool = false) throws -> Bool {
        try lock.withLock {
            guard force || Date().timeIntervalSince(lastRenewal) >= duration / 4 else { return true }
            let c = store.connection
            try c.run("UPDATE run_leases SET expires_at = ? WHERE owner = ?",
                      [.real(Date().timeIntervalSince1970 + duration), .text(owner)])
            lastRenewal = Date()
            return c.changes >= held.count
        }
    }

    /// Gives up the leases on `runIDs` (all of this holder's when nil).
    public func release(_ runIDs: [Int64]? = nil) throws {
        try lock.withLock {
            let c = store.connection
            guard let runIDs else {
                try c.run("DELETE FROM run_leases WHERE owner = ?", [.text(owner)])
                held.removeAll()
                return
            }
            try c.transaction {
                for id in runIDs {
                    try c.run("DELETE FROM run_leases WHERE run_id = ? AND owner = ?", [.integer(id), .text(owner)])
                }
            }
            held.subtract(runIDs)
        }
    }

    /// The holder of the lease on a run and when it expires (seconds since 1970), if any.
    public func holder(of runID: Int64) throws -> (owner: String, expiresAt: Double)? {
        try lock.withLock { try holderLocked(runID) }
    }

    private func holderLocked(_ runID: Int64) throws -> (owner: String, expiresAt: Double)? {
        guard let row = try store.connection.rows("SELECT owner, expires_at FROM run_leases WHERE run_id = ?",
                                                  [.integer(runID)]).first,
              let o = row[0].stringValue, let e = row[1].doubleValue else { return nil }
        return (o, e)
    }

    /// False only when the holder ran on this host and its process is gone (kill(pid, 0) fails
    /// with ESRCH); a holder on another host may be alive until its lease expires.
    static func holderMayBeAlive(_ holder: String) -> Bool {
        let parts = holder.split(separator: ":")
        guard parts.count == 3, String(parts[0]) == hostName, let pid = Int32(parts[1]) else { return true }
        return kill(pid, 0) == 0 || errno != ESRCH
    }
}
