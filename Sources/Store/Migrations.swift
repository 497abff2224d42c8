import Foundation

/// One named, append-only schema change. Applied in order, each in its own transaction, and
/// recorded in `schema_migrations`; `PRAGMA user_version` mirrors the latest version so
/// `sqlite3 results.db 'pragma user_version'` tells which schema a file has.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// The schema of the results database, as code. The README's schema section documents every
/// column; `StoreTests` checks that it names every column these migrations create.
public enum Migrations {
    public static let all: [Migration] = [
        Migration(version: 1, name: "core", sql: """
        CREATE TABLE sweeps (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            spec_hash   TEXT NOT NULL UNIQUE,
            spec        TEXT NOT NULL,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE runs (
            id                     INTEGER PRIMARY KEY,
            sweep_id               INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
            run_key                TEXT NOT NULL UNIQUE,
            parent_run_id          INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            branch_step            INTEGER,
            config                 TEXT NOT NULL,
            n_layer                INTEGER NOT NULL,
            d_model                INTEGER NOT NULL,
            n_head                 INTEGER NOT NULL,
            seq_len                INTEGER NOT NULL,
            vocab                  INTEGER NOT NULL,
            batch_size             INTEGER NOT NULL,
            params_total           INTEGER NOT NULL,
            params_nonembedding    INTEGER NOT NULL,
            flops_per_token        REAL NOT NULL,
            tokens_budget          INTEGER NOT NULL,
            steps_budget           INTEGER NOT NULL,
            lr                     REAL NOT NULL,
            schedule               TEXT NOT NULL,
            seed                   INTEGER NOT NULL,
            corpus                 TEXT NOT NULL,
            status                 TEXT NOT NULL DEFAULT 'pending'
                                   CHECK (status IN ('pending','running','finished','diverged','failed')),
            diverged_step          INTEGER,
            steps_done             INTEGER NOT NULL DEFAULT 0,
            tokens_done            INTEGER NOT NULL DEFAULT 0,
            final_train_loss       REAL,
            final_val_loss         REAL,
            final_downstream_error REAL,
            tokens_per_s           REAL,
            wall_seconds           REAL NOT NULL DEFAULT 0,
            created_at             TEXT NOT NULL,
            started_at             TEXT,
            finished_at            TEXT
        );
        CREATE INDEX runs_sweep ON runs(sweep_id);
        CREATE TABLE steps (
            run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step        INTEGER NOT NULL,
            tokens      INTEGER NOT NULL,
            lr          REAL NOT NULL,
            train_loss  REAL,
            grad_norm   REAL,
            wall_s      REAL NOT NULL,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;
        CREATE TABLE evals (
            run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step              INTEGER NOT NULL,
            tokens            INTEGER NOT NULL,
            val_loss          REAL,
            downstream_error  REAL,
            downstream        TEXT,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;
        CREATE TABLE points (
            id                INTEGER PRIMARY KEY,
            source            TEXT NOT NULL,
            N                 REAL NOT NULL CHECK (N > 0),
            D                 REAL NOT NULL CHECK (D > 0),
            loss              REAL NOT NULL CHECK (loss > 0),
            compute           REAL CHECK (compute IS NULL OR compute > 0),
            downstream_error  REAL,
            imported_at       TEXT NOT NULL
        );
        CREATE INDEX points_source ON points(source);
        CREATE TABLE fits (
            id              INTEGER PRIMARY KEY,
            law             TEXT NOT NULL,
            params          TEXT NOT NULL,
            intervals       TEXT NOT NULL,
            selection       TEXT NOT NULL,
            objective       TEXT NOT NULL,
            objective_value REAL,
            rmse            REAL,
            r2              REAL,
            n_points        INTEGER NOT NULL,
            converged       INTEGER NOT NULL CHECK (converged IN (0, 1)),
            status          TEXT NOT NULL,
            options         TEXT NOT NULL,
            created_at      TEXT NOT NULL
        );
        """),
        Migration(version: 2, name: "training_dynamics", sql: """
        CREATE TABLE effective_rank (
            run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step    INTEGER NOT NULL,
            matrix  TEXT NOT NULL,
            erank   REAL NOT NULL,
            PRIMARY KEY (run_id, step, matrix)
        ) WITHOUT ROWID;
        CREATE TABLE layer_cka (
            run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step    INTEGER NOT NULL,
            layer   INTEGER NOT NULL,
            cka     REAL NOT NULL,
            PRIMARY KEY (run_id, step, layer)
        ) WITHOUT ROWID;
        """),
        // (loss, downstream_error) pairs need no N and D: both nullable, together. SQLite cannot
        // relax NOT NULL in place, so the table is rebuilt with every row and id kept.
        Migration(version: 3, name: "points_without_sizes", sql: """
        CREATE TABLE points_new (
            id                INTEGER PRIMARY KEY,
            source            TEXT NOT NULL,
            N                 REAL CHECK (N IS NULL OR N > 0),
            D                 REAL CHECK (D IS NULL OR D > 0),
            loss              REAL NOT NULL CHECK (loss > 0),
            compute           REAL CHECK (compute IS NULL OR compute > 0),
            downstream_error  REAL,
            imported_at       TEXT NOT NULL,
            CHECK ((N IS NULL) = (D IS NULL)),
            CHECK (N IS NOT NULL OR downstream_error IS NOT NULL)
        );
        INSERT INTO points_new(id, source, N, D, loss, compute, downstream_error, imported_at)
            SELECT id, source, N, D, loss, compute, downstream_error, imported_at FROM points;
        DROP TABLE points;
        ALTER TABLE points_new RENAME TO points;
        CREATE INDEX points_source ON points(source);
        """),
        // Concurrent sweeps on one database: a process claims runs before training them (RunLease).
        Migration(version: 4, name: "run_leases", sql: """
        CREATE TABLE run_leases (
            run_id      INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            owner       TEXT NOT NULL,
            expires_at  REAL NOT NULL
        );
        CREATE INDEX run_leases_owner ON run_leases(owner);
        """),
        // The compute budget a run of a `flops` sweep was planned at. IsoFLOP fits group runs by it:
        // recomputing C = 6ND from a run would split a budget whenever the N counted differs from
        // the non-embedding N the sweep divided C by.
        Migration(version: 5, name: "run_compute_level", sql: """
        ALTER TABLE runs ADD COLUMN compute_level REAL CHECK (compute_level IS NULL OR compute_level > 0);
        """),
    ]

    public static var latestVersion: Int { all.last!.version }

    /// Applies every migration newer than the file's version. Idempotent.
    static func migrate(_ c: Connection) throws {
        // A SQLite file of another program (tables, but no schema_migrations) is not ours to extend: the
        // first migration would fail on its `runs` and leave a schema_migrations table behind in it.
        // scalefit creates schema_migrations before any table of its own, so its files always have it.
        let tables = try c.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0.first?.stringValue }
        if !tables.isEmpty, !tables.contains("schema_migrations") {
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", ..." : "")
            throw StoreError.badInput("\(c.path) is a SQLite database of another program (tables: \(shown)), not a scalefit database")
        }
        try c.execute("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
        """)
        func current() throws -> Int {
            Int(try c.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")?.int64Value ?? 0)
        }
        let found = try current()
        if found > latestVersion {
            throw StoreError.badInput(
                "\(c.path) has schema version \(found), newer than this scalefit (\(latestVersion))")
        }
        for m in all where m.version > found {
            // The version is read again inside the (IMMEDIATE, so exclusive) transaction: two
            // processes opening a new database at once apply each migration once between them.
            try c.transaction {
                guard try current() < m.version else { return }
                try c.execute(m.sql)
                try c.run("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                          [.integer(Int64(m.version)), .text(m.name), .text(Timestamp.now())])
                try c.execute("PRAGMA user_version = \(m.version)")
            }
        }
    }
}

enum Timestamp {
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
