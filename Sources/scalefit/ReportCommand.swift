import ArgumentParser
import Foundation
import Report
import Store

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write SVG plots and one self-contained HTML page (plots inline, runs and fits tables).",
        discussion: "Sections without data say what is missing and which command produces it.")

    @Option(help: "Output directory.") var out: String = "report"
    @Flag(help: "Also write PNG versions of the plots (needs rsvg-convert, installed by Scripts/setup.sh).") var png = false
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print one JSON summary object on the last line of stdout.") var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: database.db) else {
            throw CLIError("no database at \(database.db) (run 'scalefit sweep --preset demo' first)")
        }
        let store = try Store.reader(path: database.db)
        let input = try ReportData.load(store, path: database.db)
        let plots = ReportBuilder.plots(input)
        let dir = URL(fileURLWithPath: out)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw CLIError("cannot create \(out): \(error.localizedDescription)")
        }
        var files: [String] = []
        for p in plots {
            let svg = dir.appendingPathComponent("\(p.id).svg")
            try p.plot.svg().write(to: svg, atomically: true, encoding: .utf8)
            files.append(svg.path)
            if png {
                let pngPath = dir.appendingPathComponent("\(p.id).png").path
                try PNGExport.convert(svgPath: svg.path, pngPath: pngPath)
                files.append(pngPath)
            }
        }
        let html = dir.appendingPathComponent("index.html")
        try ReportBuilder.html(input, plots: plots).write(to: html, atomically: true, encoding: .utf8)
        if json {
            print(JSONText.render(.object([("html", .string(html.path)), ("plots", .int(Int64(plots.count))),
                                           ("files", .array(files.map { .string($0) })), ("runs", .int(Int64(input.runs.count))),
                                           ("fits", .int(Int64(input.fits.count)))])))
        } else {
            print("wrote \(html.path) (\(plots.count) plots, \(input.runs.count) runs, \(input.fits.count) fits)")
        }
    }
}
