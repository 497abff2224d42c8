import Foundation
import Testing

@Suite struct ReportCommandTests {
    @Test func emptyDatabaseGivesAReportSayingWhatIsMissing() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let f = s.write("p.csv", "N,D,loss\n1e6,1e7,3\n")
        #expect(try CLI.run(["import", f, "--source", "x", "--db", db]).status == 0)
        let r = try CLI.run(["report", "--db", db, "--out", s.path("rep")])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        #expect(html.contains("No fits yet"))
        #expect(html.contains("scalefit sweep --preset demo"))
    }

    @Test func reportOfARealRunPlotsItsNumbers() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let t = try CLI.run(["train", "--n-layer", "1", "--d-model", "32", "--n-head", "1", "--seq-len", "16", "--batch", "4",
                             "--steps", "20", "--eval-every", "10", "--eval-windows", "4", "--downstream-items", "4", "--db", db])
        #expect(t.status == 0, "\(t.stderr)")
        let r = try CLI.run(["report", "--db", db, "--out", s.path("rep"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(lastJSON(r))
        let plots = try #require(o["plots"] as? Int)
        #expect(plots >= 2)
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == plots)
        #expect(!html.contains("<script"))
        #expect(try CLI.run(["report", "--db", s.path("absent.db")]).status == 2)
    }
}
