import Foundation
import Testing
@testable import Report

@Suite struct PNGExportTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "report-png-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(.enabled(if: PNGExport.findTool("rsvg-convert") != nil, "rsvg-convert not installed"))
    func convertsPlotToPNG() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plot = Plot(title: "png", x: Axis("x", unit: "u", scale: .log10), y: Axis("y", unit: "u"),
                        series: [Series("s", x: [1, 10, 100], y: [3, 2, 1.5])], width: 300, height: 200)
        try plot.svg().write(toFile: "\(dir)/p.svg", atomically: true, encoding: .utf8)
        try PNGExport.convert(svgPath: "\(dir)/p.svg", pngPath: "\(dir)/p.png")
        let png = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/p.png"))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR width and height (big-endian at bytes 16..23) match the SVG size.
        let be = { (o: Int) in png[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(be(16) == 300 && be(20) == 200)
    }

    @Test(.enabled(if: PNGExport.findTool("rsvg-convert") != nil, "rsvg-convert not installed"))
    func invalidSVGGivesOneLineError() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "not an svg".write(toFile: "\(dir)/bad.svg", atomically: true, encoding: .utf8)
        do {
            try PNGExport.convert(svgPath: "\(dir)/bad.svg", pngPath: "\(dir)/bad.png")
            Issue.record("expected a failure")
        } catch let error as PNGExport.Failure {
            guard case .conversionFailed(let status, let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(status != 0 && !message.isEmpty && !message.contains("\n"))
        }
    }

    @Test func missingToolIsReported() {
        #expect(PNGExport.findTool("rsvg-convert", path: "/nonexistent-dir") == nil)
        #expect(PNGExport.Failure.toolMissing.description.contains("librsvg2-bin"))
    }
}
