import Foundation
import Testing
@testable import Store

@Suite struct JSONTextTests {
    @Test func deepNestingIsAnErrorNotACrash() throws {
        for open in ["[", "{\"a\":"] {
            let text = String(repeating: open, count: 100_000)
            #expect(throws: JSONParseError.self) { try JSONText.parse(text) }
            do { _ = try JSONText.parse(text) } catch let e as JSONParseError {
                #expect(e.description.contains("nested deeper than 512"))
            }
        }
        // Balanced but too deep: still refused; as deep as the limit: read.
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONParseError.self) { try JSONText.parse(tooDeep) }
        let deepest = String(repeating: "[", count: 512) + "1" + String(repeating: "]", count: 512)
        var v = try JSONText.parse(deepest)
        var depth = 0
        while let inner = v.array?.first { v = inner; depth += 1 }
        #expect(depth == 512 && v == .int(1))
    }

    @Test func depthCountsOnlyOpenContainers() throws {
        // 10,000 siblings at depth 2 are fine: depth goes back down after each one.
        let text = "[" + Array(repeating: "[1]", count: 10_000).joined(separator: ",") + "]"
        #expect(try JSONText.parse(text).array?.count == 10_000)
    }

    @Test func importOfDeeplyNestedJSONFailsWithOneLine() throws {
        let tmp = TempDir()
        let file = tmp.write("deep.json", String(repeating: "[", count: 100_000))
        let store = try Store(path: tmp.path("j.db"))
        do {
            _ = try PointImport.read(path: file, source: "x")
            Issue.record("accepted")
        } catch {
            #expect(!"\(error)".contains("\n"))
            #expect("\(error)".contains("nested deeper"))
        }
        #expect(try store.points().isEmpty)
    }
}
