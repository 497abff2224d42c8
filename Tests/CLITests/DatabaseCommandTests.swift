import Foundation
import Testing

@Suite struct DatabaseCommandTests {
    @Test func importThenCountMatchesTheFile() throws {
        let s = Scratch()
        let ref = try #require(referencePath("chinchilla_points.csv"))
        let rows = try String(contentsOfFile: ref, encoding: .utf8).split(whereSeparator: \.isNewline).count - 1
        let db = s.path("r.db")
        let imp = try CLI.run(["import", ref, "--source", "chinchilla", "--db", db])
        #expect(imp.status == 0, "\(imp.stderr)")
        let q = try CLI.run(["query", "select count(*) as n from points", "--db", db, "--json"])
        #expect(q.status == 0)
        let obj = try #require(lastJSON(q))
        let first = try #require((obj["rows"] as? [[String: Any]])?.first)
        #expect((first["n"] as? NSNumber)?.intValue == rows)
        let table = try CLI.run(["query", "select count(*) from points", "--db", db])
        #expect(table.stdout.contains("\(rows)"))
    }

    @Test func writesThroughQueryFailAndDeleteNothing() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let f = s.write("p.csv", "N,D,loss\n1e6,2e7,3.2\n2e6,4e7,3.0\n")
        #expect(try CLI.run(["import", f, "--source", "t", "--db", db]).status == 0)
        let del = try CLI.run(["query", "delete from points", "--db", db])
        #expect(del.status == 2)
        #expect(del.stderr.contains("read-only"))
        #expect(del.stderr.split(separator: "\n").count == 1)
        let q = try CLI.run(["query", "select count(*) n from points", "--db", db, "--format", "csv"])
        #expect(q.stdout.split(separator: "\n").map(String.init) == ["n", "2"])
    }

    @Test func badInputsExitTwoWithOneLineAndLeaveTheDatabaseUnchanged() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let good = s.write("good.csv", "N,D,loss\n1e6,2e7,3.2\n")
        #expect(try CLI.run(["import", good, "--source", "ok", "--db", db]).status == 0)
        let notDB = s.write("junk.db", String(repeating: "not a database at all\n", count: 40))
        let cases: [([String], String)] = [
            (["import", s.path("absent.csv"), "--source", "x", "--db", db], "no such file"),
            (["import", s.write("b1.csv", "N,loss\n1,2\n"), "--source", "x", "--db", db], "b1.csv:1: an N column but no D column"),
            (["import", s.write("b2.csv", "N,D,loss\n1,2,3\n1,two,3\n"), "--source", "x", "--db", db], "b2.csv:3: D = 'two' is not a finite decimal number"),
            (["import", s.write("b3.csv", "N,D,loss\n1,2,3\n-1,2,3\n"), "--source", "x", "--db", db], "N must be > 0"),
            (["import", s.write("b4.csv", "N,D,loss\n1,2,0\n"), "--source", "x", "--db", db], "loss must be > 0"),
            (["import", good, "--source", "x", "--db", notDB], "not a SQLite database"),
            (["query", "select 1", "--db", notDB], "not a SQLite database"),
            (["export", "--table", "nonsense", "--db", db], "unknown table 'nonsense'"),
            (["query", "select * from nonsense", "--db", db], "no such table"),
        ]
        let before = try CLI.run(["export", "--table", "points", "--db", db]).stdout
        for (args, expected) in cases {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args): exit \(r.status)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try CLI.run(["export", "--table", "points", "--db", db]).stdout == before)
        #expect(s.bytes("junk.db") == Data(String(repeating: "not a database at all\n", count: 40).utf8))
    }

    @Test func exportJSONImportsBackToTheSameRows() throws {
        let s = Scratch()
        let a = s.path("a.db"), b = s.path("b.db")
        let f = s.write("p.csv", "N,D,loss,compute\n1.25e6,2.5e7,3.2000000000000006,1.875e14\n3e9,6e10,2.1,\n")
        #expect(try CLI.run(["import", f, "--source", "t", "--db", a]).status == 0)
        for format in ["json", "csv"] {
            let out = s.path("points.\(format)")
            #expect(try CLI.run(["export", "--table", "points", "--format", format, "--out", out, "--db", a]).status == 0)
            let dbB = s.path("\(format).db")
            #expect(try CLI.run(["import", out, "--db", dbB]).status == 0)
            let sql = "select source, N, D, loss, compute, downstream_error from points order by id"
            let qa = try CLI.run(["query", sql, "--db", a, "--format", "csv"]).stdout
            let qb = try CLI.run(["query", sql, "--db", dbB, "--format", "csv"]).stdout
            #expect(qa == qb)
            #expect(qa.contains("3.2000000000000006"))
        }
        _ = b
    }

    @Test func everySubcommandHasHelpAndUnknownOnesExitTwo() throws {
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(try CLI.run(["frobnicate"]).status == 2)
        for sub in ["sweep", "train", "fit", "predict", "query", "import", "export", "runs", "merge", "report", "analyze"] {
            #expect(help.stdout.contains(sub))
            #expect(try CLI.run([sub, "--help"]).status == 0)
        }
    }
}
