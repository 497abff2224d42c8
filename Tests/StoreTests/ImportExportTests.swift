import Foundation
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
            ("N,loss\n1,2\n", "missing column 'D'"),
            ("N,D,loss\n1,2,3\n4,x,6\n", "D='x' is not a finite number"),
            ("N,D,loss\n1,2,3\n0,5,6\n", "N must be > 0"),
            ("N,D,loss\n1,2,-3\n", "loss must be > 0"),
            ("N,D,loss\n1,2,nan\n", "is not a finite number"),
            ("N,D,loss\n", "no data rows"),
            ("", "empty file"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let file = tmp.write("bad\(i).csv", text)
            #expect {
                try PointImport.read(path: file, source: "x")
            } throws: { error in
                "\(error)".contains(expected) && !"\(error)".contains("\n")
            }
        }
        #expect(throws: StoreError.self) { try PointImport.read(path: tmp.path("missing.csv"), source: "x") }
        #expect(try store.points().map(\.source) == ["keep"])
    }

    @Test func unknownTableIsRejected() throws {
        let tmp = TempDir()
        let store = try Store(path: tmp.path("r.db"))
        #expect(throws: StoreError.unknownTable("nope", known: Store.tables)) { try store.table("nope") }
    }

    @Test func csvParserHandlesQuotesAndNewlines() {
        let recs = CSV.parse("a,b\n\"x,1\",\"say \"\"hi\"\"\nthere\"\n3,4\n")
        #expect(recs.count == 3)
        #expect(recs[1].fields == ["x,1", "say \"hi\"\nthere"])
        #expect(recs[2].line == 4)
        #expect(CSV.parse(CSV.line(["p,q", "r\"s"]))[0].fields == ["p,q", "r\"s"])
    }
}
