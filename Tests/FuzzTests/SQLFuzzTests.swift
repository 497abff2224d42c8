import Foundation
import Testing

/// Hostile SQL for `query` and for `--where` predicates (`runs`, `fit`): more than one statement,
/// writes, ATTACH and VACUUM INTO (which would create files), injection through the predicate's
/// parentheses, syntax errors. None may change the database or create a file.
@Suite(.serialized) struct SQLFuzzTests {
    let f = FuzzFixture.shared

    @Test func queriesAndPredicates() throws {
        var h = HostileText(seed: 0x3001)
        let target = f.scratch.path("vacuum-target.db")
        let queries = [
            "select 1; delete from runs", "delete from points", "drop table fits", "vacuum into '\(target)'",
            "attach database '\(target)' as other", "insert into points (source, n, d, loss) values ('x', 1, 1, 1)",
            "update runs set status = 'x'", "create table t (x)", "pragma writable_schema = 1", "begin", "", "select",
            "select * from no_such_table", "select load_extension('x')", "reindex", "select 1;; select 2", "  ;  ",
            "select 1; attach database '\(target)' as y", "with x as (select 1) delete from points", "replace into fits (id) values (1)",
            String(repeating: "(", count: 10_000), "select '" + String(repeating: "x", count: 100_000),
        ]
        let predicates = [
            "1; delete from runs", "1) ; drop table points; --", "0) union all select * from points --",
            "0) union all select 1, 'x', 1e9, 1e10, 2.0, null, null, null --", "no_such_column > 1", "((", "", "1 = ",
            "loss < 3)", "'unterminated", "x'", "1) or (select count(*) from (select 1; delete from points)",
            "loss < (select max(loss) from points); delete from fits", "load_extension('x')",
            String(repeating: "(", count: 5_000), "1 = 1 " + String(repeating: "-", count: 100_000),
        ]
        var cases = queries.enumerated().map { FuzzCase("query #\($0)", ["query", $1, "--db", "{DB}"]) }
        for (i, p) in predicates.enumerated() {
            cases.append(h.chance(0.5)
                ? FuzzCase("runs --where #\(i)", ["runs", "--where", p, "--db", "{DB}"])
                : FuzzCase("fit --where #\(i)", ["fit", "--law", "chinchilla", "--source", "good", "--where", p, "--starts", "10",
                                                 "--bootstrap", "0", "--db", "{DB}"]))
        }
        let failures = FuzzRunner.run(cases, fixture: f)
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases broke the contract:\n\(failures.joined(separator: "\n"))")
        #expect(!FileManager.default.fileExists(atPath: target), "a refused statement created \(target)")
    }
}
