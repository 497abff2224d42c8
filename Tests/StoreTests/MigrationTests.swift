import Foundation
import Testing
@testable import Store

@Suite struct MigrationTests {
    @Test func freshDatabaseHasEveryTableAndLatestVersion() throws {
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        let tables = try store.connection.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .compactMap { $0.first?.stringValue }
        for t in Store.tables { #expect(tables.contains(t), "missing table \(t)") }
        #expect(try store.connection.scalar("PRAGMA user_version")?.int64Value == Int64(Migrations.latestVersion))
        let applied = try store.connection.rows("SELECT version, name FROM schema_migrations ORDER BY version")
        #expect(applied.map { $0[1].stringValue ?? "" } == Migrations.all.map(\.name))
        #expect(try store.connection.scalar("PRAGMA journal_mode")?.stringValue == "wal")
        #expect(try store.connection.scalar("PRAGMA foreign_keys")?.int64Value == 1)
    }

    @Test func reopeningAppliesNothingTwiceAndKeepsData() throws {
        let tmp = TempDir()
        let path = tmp.path("r.db")
        do {
            let s = try Store(path: path)
            try s.insertPoints([PointRecord(source: "a", n: 1e6, d: 2e7, loss: 3.5)])
        }
        let s2 = try Store(path: path)
        #expect(try s2.connection.scalar("SELECT count(*) FROM schema_migrations")?.int64Value == Int64(Migrations.all.count))
        #expect(try s2.points().count == 1)
    }

    @Test func partialOldSchemaIsUpgraded() throws {
        // A file created by a scalefit that knew only migration 1 gets migration 2 on open.
        let tmp = TempDir()
        let path = tmp.path("old.db")
        do {
            let c = try Connection(path: path)
            try c.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            try c.execute(Migrations.all[0].sql)
            try c.run("INSERT INTO schema_migrations VALUES (1, 'core', 'then')")
        }
        let s = try Store(path: path)
        #expect(try s.connection.scalar("SELECT max(version) FROM schema_migrations")?.int64Value == Int64(Migrations.latestVersion))
        #expect(try s.connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'effective_rank'")?.int64Value == 1)
    }

    /// Migration 3 rebuilds `points` with nullable N and D: every existing row keeps its id and
    /// values (even a downstream_error an older import let through), and pairs without N and D fit.
    @Test func pointsWithoutSizesKeepsEveryRow() throws {
        let tmp = TempDir()
        let path = tmp.path("v2.db")
        do {
            let c = try Connection(path: path)
            try c.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            for m in Migrations.all.prefix(2) {
                try c.execute(m.sql)
                try c.run("INSERT INTO schema_migrations VALUES (?, ?, 'then')", [.integer(Int64(m.version)), .text(m.name)])
            }
            try c.execute("""
                INSERT INTO points VALUES (7, 'a', 1e6, 2e7, 3.5, NULL, 0.25, 't1');
                INSERT INTO points VALUES (9, 'b', 2e6, 4e7, 3.0, 1e15, 7, 't2');
                """)
        }
        let s = try Store(path: path)
        let rows = try s.connection.rows("SELECT id, source, N, D, loss, compute, downstream_error, imported_at FROM points ORDER BY id")
        #expect(rows == [[.integer(7), .text("a"), .real(1e6), .real(2e7), .real(3.5), .null, .real(0.25), .text("t1")],
                         [.integer(9), .text("b"), .real(2e6), .real(4e7), .real(3.0), .real(1e15), .real(7), .text("t2")]])
        try s.insertPoints([PointRecord(source: "pairs", n: nil, d: nil, loss: 2.5, downstreamError: 0.4)])
        #expect(try s.points(source: "pairs").first?.n == nil)
        #expect(throws: StoreError.self) { try s.insertPoints([PointRecord(source: "x", n: 1, d: nil, loss: 2.5, downstreamError: 0.4)]) }
        #expect(throws: StoreError.self) { try s.insertPoints([PointRecord(source: "x", n: nil, d: nil, loss: 2.5)]) }
        #expect(try s.connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'points_source'")?.int64Value == 1)
    }


    @Test func computeLevelIsAddedToOldRunsAndRoundTrips() throws {
        // A file without migration run_compute_level, with a run, gains runs.compute_level (NULL for that run); new runs store it.
        let tmp = TempDir()
        let path = tmp.path("before-level.db")
        do {
            let c = try Connection(path: path)
            try c.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            for m in Migrations.all where m.name != "run_compute_level" {
                try c.execute(m.sql)
                try c.run("INSERT INTO schema_migrations VALUES (?, ?, 'then')", [.integer(Int64(m.version)), .text(m.name)])
            }
            try c.execute("""
                INSERT INTO runs(run_key, config, n_layer, d_model, n_head, seq_len, vocab, batch_size, params_total,
                  params_nonembedding, flops_per_token, tokens_budget, steps_budget, lr, schedule, seed, corpus, created_at)
                VALUES ('old', '{}', 1, 8, 1, 16, 256, 4, 100, 50, 300, 64, 1, 1e-3, 'constant', 0, 'synthetic:0', 'then')
                """)
        }
        let s = try Store(path: path)
        let old = try #require(try s.run(key: "old"))
        #expect(old.computeLevel == nil)
        var r = old
        r.runKey = "new"
        r.computeLevel = 3e11
        let id = try s.insertRun(r)
        #expect(try s.run(id: id)?.computeLevel == 3e11)
        #expect(throws: (any Error).self) {
            try s.connection.execute("UPDATE runs SET compute_level = -1 WHERE id = \(id)")
        }
    }

    @Test func readmeDocumentsEveryColumn() throws {
        // The README's schema section must name every column the migrations create.
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let tmp = TempDir()
        let s = try Store(path: tmp.path("r.db"))
        for table in Store.tables + ["run_leases"] {
            #expect(text.contains("### `\(table)`"), "README lacks a section for table \(table)")
            let cols = try s.connection.rows("SELECT name FROM pragma_table_info('\(table)')").compactMap { $0[0].stringValue }
            for c in cols { #expect(text.contains("`\(c)`"), "README does not document \(table).\(c)") }
        }
    }
}
