import Foundation
import Tabular
import Testing
@testable import Store

@Suite struct ImportExportTests {
    func rowsWithoutIDs(_ r: QueryResult) -> [[SQLValue]] {
        let keep = r.columns.enumerated().filter { !["id", "imported_at"].contains($0.element) }.map(\.offset)
        return r.rows.map { row in keep.map { row[$0] } }
    }

    @Test func chinchillaPointsImportWithTheirRowCount() throws {
        guard let path = referencePath("chinchilla_points.csv") else { Issue.record("reference data not found"); return }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).count - 1
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        try store.insertPoints(try PointImport.read(path: path, source: "chinchilla"))
        let got = try store.points(source: "chinchilla").count
        #expect(got == lines, "got \(got) of \(lines)")
        #expect(try store.points(where: "loss < 4.9").count < lines)
    }

    @Test(arguments: ["csv", "json"])
    func exportThenImportGivesTheSameRows(format: String) throws {
        let tmp = TempDir()
        let a = try Store(path: tmp.path("a.db"))
        let pts = [
            PointRecord(source: "s", n: 1.5e6, d: 3.25e8, loss: 3.1415926535897931, compute: 2.9e15, downstreamError: 0.71),
            PointRecord(source: "s", n: 7e7, d: 1.0000000000000002e9, loss: 2.5, compute: nil, downstreamError: nil),
            PointRecord(source: "s", n: 123456789.123, d: 9.87654321e10, loss: 1.9999999999999998),
            PointRecord(source: "s", n: nil, d: nil, loss: 2.75, downstreamError: 0.5),
        ]
        try a.insertPoints(pts)
        let exported = try a.table("points")
        let text: String
        if format == "csv" {
            text = ([CSV.line(exported.columns)] + exported.rows.map { CSV.line($0.map { v in
                if case .real(let d) = v { return SQLValue.format(d) }
                return v.description
            }) }).joined(separator: "\n")
        } else {
            text = JSONText.render(JSONText.object(exported))
        }
        let file = tmp.write("points.\(format)", text)
        let b = try Store(path: tmp.path("b.db"))
        try b.insertPoints(try PointImport.read(path: file, source: nil))
        #expect(rowsWithoutIDs(try b.table("points")) == rowsWithoutIDs(exported))
        // Values survive bit for bit.
        let losses = try b.points().map(\.loss)
        #expect(losses == pts.map(\.loss), "\(losses)")
    }

    @Test func badRowsLeaveTheDatabaseUnchanged() throws {
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        try store.insertPoints([PointRecord(source: "keep", n: 1, d: 1, loss: 1)])
        let cases: [(String, String)] = [
            ("N,loss\n1,2\n", "bad0.csv:1: an N column but no D column"),
            ("N,D,loss\n1,2,3\n4,x,6\n", "bad1.csv:3: D = 'x' is not a finite decimal number"),
            ("N,D,loss\n1,2,3\n0,5,6\n", "bad2.csv:3: N must be > 0"),
            ("N,D,loss\n1,2,-3\n", "bad3.csv:2: loss must be > 0"),
            ("N,D,loss\n1,2,nan\n", "bad4.csv:2: loss = 'nan' is not a finite decimal number"),
            ("N,D,loss\n", "bad5.csv: no data rows"),
            ("", "bad6.csv: empty file"),
            ("N,D,loss\n0x10,2,3\n", "bad7.csv:2: N = '0x10' is not a finite decimal number"),
            ("N,N,D,loss\n1,2,3,4\n", "bad8.csv:1: column 'N' appears twice (columns 1 and 2)"),
            ("N,D,loss,downstream_error\n1,2,3,-0.5\n", "bad9.csv:2: downstream_error must be a fraction in [0, 1] (got -0.5)"),
            ("loss,error\n3,0.5\n2,7\n", "bad10.csv:3: error must be a fraction in [0, 1] (got 7.0)"),
            ("loss,error\n3,0.5\n2,\n", "bad11.csv:3: error is empty"),
            ("loss,compute\n3,5\n", "bad12.csv:1: no N and D columns"),
            ("N,D,loss\n1,2,inf\n", "bad13.csv:2: loss = 'inf' is not a finite decimal number"),
            ("N,D,loss,compute\n1,2,3,0\n", "bad14.csv:2: compute must be > 0"),
            ("N,D,loss\n1,\"2\n", "bad15.csv:2: unterminated quote"),
            ("N,D,loss\n\"1\n\",2,3\n4,5\n", "bad16.csv:4: 2 fields, the header (line 1) has 3"),
            ("N,D,loss\n1,2,\n", "bad17.csv:2: loss is empty"),
            ("N,D,loss,error\n1,,3,0.5\n", "bad18.csv:2: D is empty (give N and D, or leave both empty"),
            ("N,D,loss\n,,3\n", "bad19.csv:2: N and D are empty and there is no downstream_error column"),
            ("N,D,loss,error\n,,3,\n", "bad20.csv:2: error is empty"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let file = tmp.write("bad\(i).csv", text)
            #expect {
                try PointImport.read(path: file, source: "x")
            } throws: { error in
                "\(error)".contains(expected) && !"\(error)".contains("\n")
            }
        }
        #expect(throws: TableFileError(file: tmp.path("missing.csv"), line: 0, message: "no such file")) {
            try PointImport.read(path: tmp.path("missing.csv"), source: "x")
        }
        #expect(try store.points().map(\.source) == ["keep"])
    }

    /// Column names are matched case-insensitively with the common aliases; files without N and D
    /// are (loss, downstream error) pairs; JSON Lines and a BOM'd CRLF CSV read the same.
    @Test func aliasesPairsAndFormats() throws {
        let tmp = TempDir()
        let csv = tmp.write("a.csv", "\u{FEFF}Params,D_TOKENS,Val_Loss,FLOPs,Err\r\n1e6,2e7,3.5,1.2e14,0.5\r\n\"2e6\",4e7,3.25,,\r\n")
        let pts = try PointImport.read(path: csv, source: "s")
        #expect(pts == [PointRecord(source: "s", n: 1e6, d: 2e7, loss: 3.5, compute: 1.2e14, downstreamError: 0.5),
                        PointRecord(source: "s", n: 2e6, d: 4e7, loss: 3.25)])
        let pairs = try PointImport.read(path: tmp.write("p.csv", "loss,error\n3.1,0.7\n2.5,0.4\n"), source: "evals")
        #expect(pairs.map(\.n) == [nil, nil] && pairs.map(\.downstreamError) == [0.7, 0.4])
        let jsonl = try PointImport.read(path: tmp.write("p.jsonl", "{\"N\": 1e6, \"D\": 2e7, \"loss\": 3.5}\n\n{\"N\": 2e6, \"D\": 4e7, \"loss\": 3.25, \"source\": \"ignored\"}\n"), source: "j")
        #expect(jsonl.map(\.n) == [1e6, 2e6] && jsonl.map(\.source) == ["j", "j"])
        let store = try Store(path: tmp.path("r.db"))
        try store.insertPoints(pairs + pts)
        #expect(try store.points(source: "evals").map(\.loss) == [3.1, 2.5])
        #expect(try store.points(source: "evals").allSatisfy { $0.n == nil && $0.d == nil })
    }

    @Test func unknownTableIsRejected() throws {
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        #expect(throws: StoreError.unknownTable("nope", known: Store.tables)) { try store.table("nope") }
    }
}
