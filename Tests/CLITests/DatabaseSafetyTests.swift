import Foundation
import Testing

/// Hostile SQL, predicates and database paths through the CLI: exit 2, one `error:` line, nothing
/// in the database changed, no file created.
@Suite struct DatabaseSafetyTests {
    /// A database with three imported points.
    func seeded(_ s: Scratch) throws -> String {
        let db = s.path("r.db")
        let f = s.write("p.csv", "N,D,loss\n1e6,2e7,3.2\n2e6,4e7,3.0\n4e6,8e7,2.9\n")
        let r = try CLI.run(["import", f, "--source", "t", "--db", db])
        #expect(r.status == 0, "\(r.stderr)")
        return db
    }

    func dump(_ db: String) throws -> String {
        try ["points", "runs", "fits", "sweeps"].map {
            try CLI.run(["export", "--table", $0, "--format", "csv", "--db", db]).stdout
        }.joined(separator: "\n")
    }

    func expectOneLineError(_ r: CLIResult, _ fragment: String? = nil, _ args: [String]) {
        #expect(r.status == 2, "\(args): exit \(r.status), \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true, "\(args): \(r.stderr)")
        if let fragment { #expect(r.stderr.contains(fragment), "\(args): \(r.stderr)") }
    }

    @Test func queryRunsExactlyOneReadingStatement() throws {
        let s = Scratch()
        let db = try seeded(s)
        let before = try dump(db)
        let target = s.path("stolen.db")
        for sql in ["select 1; delete from runs", "select 1; delete from points", "select 1;drop table points",
                    "vacuum into '\(target)'", "attach '\(target)' as x", "pragma user_version = 3",
                    "update sqlite_master set sql = ''", "select 1; vacuum into '\(target)'"] {
            let r = try CLI.run(["query", sql, "--db", db])
            expectOneLineError(r, nil, ["query", sql])
            #expect(!FileManager.default.fileExists(atPath: target), "\(sql) created \(target)")
        }
        #expect(try dump(db) == before)
        let ok = try CLI.run(["query", "select count(*) n from points; -- trailing comment", "--db", db, "--format", "csv"])
        #expect(ok.stdout.split(separator: "\n").map(String.init) == ["n", "3"])
    }

    @Test func aRunawayQueryStopsAtItsTimeout() throws {
        let s = Scratch()
        let db = try seeded(s)
        let start = Date()
        let sql = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
        let r = try CLI.run(["query", sql, "--timeout", "1", "--db", db])
        expectOneLineError(r, "query stopped after 1 s", ["query", "endless"])
        #expect(Date().timeIntervalSince(start) < 20)
        for bad in ["0", "-1", "nan", "inf"] {
            expectOneLineError(try CLI.run(["query", "select 1", "--timeout=\(bad)", "--db", db]), "--timeout", [bad])
        }
    }

    @Test func wherePredicatesCannotInjectIntoFitsOrRuns() throws {
        let s = Scratch()
        let db = try seeded(s)
        let before = try dump(db)
        let injections = [
            "1) ; drop table points; --", "0) union all select 1, 't', 1e9, 1e9, 1.0, null, null from points where (1",
            "loss < 9) or (1", "1) --", "loss < 9; delete from points", "(select count(*) from fits) >= 0",
            "loss in (select loss from fits)", "1 = 1) " + String(repeating: "x", count: 100_000),
        ]
        for w in injections {
            for args in [["fit", "--law", "chinchilla", "--source", "t", "--where", w, "--bootstrap", "0", "--db", db],
                         ["runs", "--where", w, "--db", db]] {
                let r = try CLI.run(args)
                expectOneLineError(r, nil, Array(args.prefix(4)))
                #expect(r.stderr.count < 500, "error echoes the whole input: \(r.stderr.count) bytes")
            }
        }
        #expect(try dump(db) == before)
    }

    @Test func emptyAndInMemoryDatabasePathsAreRefusedByEveryCommand() throws {
        let s = Scratch()
        let csv = s.write("p.csv", "N,D,loss\n1e6,2e7,3.2\n")
        let commands: [[String]] = [
            ["import", csv, "--source", "x"], ["query", "select 1"], ["export", "--table", "points"], ["runs"],
            ["fit", "--law", "chinchilla"], ["predict", "--fit", "1", "--compute", "1e20"], ["report", "--out", s.path("rep")],
            ["analyze", "--run", "1"], ["train", "--steps", "2", "--d-model", "32", "--n-layer", "1", "--n-head", "1"],
            ["sweep", "--preset", "demo"],
        ]
        for path in ["", ":memory:", "file::memory:", "file:x.db?mode=memory"] {
            for c in commands {
                let r = try CLI.run(c + ["--db", path], cwd: s.url)
                expectOneLineError(r, "database path", c + ["--db", path])
            }
            let m = try CLI.run(["merge", s.path("a.db"), "-o", path], cwd: s.url)
            expectOneLineError(m, "database path", ["merge", "-o", path])
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: s.url.path).filter { $0 != "p.csv" }
        #expect(left.isEmpty, "files written: \(left)")
    }

    @Test func mergeIntoItselfIsRefusedAtOnce() throws {
        let s = Scratch()
        let db = try seeded(s)
        let before = try dump(db)
        let link = s.path("hard.db")
        try FileManager.default.linkItem(atPath: db, toPath: link)
        for input in [db, link, s.url.path + "/./r.db"] {
            let start = Date()
            let r = try CLI.run(["merge", input, "-o", db])
            expectOneLineError(r, "itself", ["merge", input])
            #expect(Date().timeIntervalSince(start) < 5)
        }
        #expect(try dump(db) == before)
    }

    /// Runs `args` with `path` (a file or a folder) mounted read-only: as root, in a private mount
    /// namespace (root ignores file modes); otherwise with the write bits cleared. Nil when the
    /// machine allows neither.
    func runWithReadOnly(_ path: String, _ args: [String]) throws -> CLIResult? {
        if geteuid() != 0 {
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: attrs[.posixPermissions]!], ofItemAtPath: path) }
            return try CLI.run(args)
        }
        let probe = try? ChildProcess.run(URL(fileURLWithPath: "/usr/bin/unshare"), ["-m", "--map-root-user", "true"])
        guard probe?.status == 0 else { return nil }
        let script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\""
        return try CLI.run(["-m", "--map-root-user", "sh", "-c", script, "sh", path, CLI.binary.path] + args,
                           executable: URL(fileURLWithPath: "/usr/bin/unshare"))
    }

    @Test func readOnlyDatabaseSaysSoForEveryWriter() throws {
        let s = Scratch()
        let db = try seeded(s)
        let before = try dump(db)
        let csv = s.write("q.csv", "N,D,loss\n8e6,1.6e8,2.8\n")
        let writers: [[String]] = [
            ["import", csv, "--source", "more", "--db", db],
            ["fit", "--law", "chinchilla", "--source", "t", "--bootstrap", "0", "--db", db],
            ["train", "--steps", "2", "--d-model", "32", "--n-layer", "1", "--n-head", "1", "--seq-len", "16",
             "--batch", "2", "--eval-every", "2", "--eval-windows", "2", "--downstream-items", "2", "--db", db],
        ]
        for target in [db, s.url.path] {
            for args in writers {
                guard let r = try runWithReadOnly(target, args) else { return }
                expectOneLineError(r, "is read-only", Array(args.prefix(2)))
                #expect(!r.stderr.contains("query is read-only"), "\(r.stderr)")
            }
        }
        #expect(try dump(db) == before)
        // Commands that only read still work on a file they may not write.
        for args in [["query", "select count(*) from points", "--db", db], ["runs", "--db", db],
                     ["export", "--table", "points", "--db", db]] {
            guard let r = try runWithReadOnly(db, args) else { return }
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
    }
}
