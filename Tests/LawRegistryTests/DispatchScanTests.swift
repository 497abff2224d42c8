import Foundation
import LawRegistry
import Testing

/// The command line and the report dispatch through the registry only: no law name as a string
/// literal and no parameter count of a law in their sources (each law's file owns both).
@Suite struct DispatchScanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func sources(_ folder: String) -> [(String, String)] {
        let dir = root.appendingPathComponent(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".swift") }.sorted().compactMap { f in
            (try? String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)).map { ("\(folder)/\(f)", $0) }
        }
    }

    /// The command line, and the report's fit-facing files (its panels and sections, one per kind
    /// of plot, are not law dispatch).
    static let dispatchSources = sources("Sources/scalefit")
        + sources("Sources/Report").filter { ["FitCurves.swift", "HTMLReport.swift", "ReportInput.swift"].contains(($0.0 as NSString).lastPathComponent) }

    @Test func dispatchSourcesAreFound() {
        #expect(Self.dispatchSources.count > 20 && Self.dispatchSources.contains { $0.0.hasSuffix("HTMLReport.swift") })
        #expect(Self.dispatchSources.contains { $0.0.hasSuffix("FitCommand.swift") })
        #expect(Self.dispatchSources.contains { $0.0.hasSuffix("ReportData.swift") })
    }

    @Test(arguments: LawRegistry.standard.names)
    func noLawNameLiteralInTheCommandLineOrTheReport(_ name: String) {
        for (file, text) in Self.dispatchSources {
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                #expect(!code.contains("\"\(name)\""), "\(file):\(i + 1) names the \(name) law: \(line)")
                #expect(!code.contains("case .\(name)"), "\(file):\(i + 1) switches on the \(name) law: \(line)")
            }
        }
    }

    @Test func noParameterCountInTheCommandLineOrTheReport() throws {
        let count = try Regex(#"theta\??\.count\s*(==|!=|>=|<=|<|>)\s*[0-9]"#)
        let names = try Regex(#"(ChinchillaLaw|OvertrainLaw|DownstreamLaw|AnnealingLaw|MultiPowerLaw|AnnealingFit|MultiPowerFit|IsoFLOPAnalysis)\b"#)
        for (file, text) in Self.dispatchSources {
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                #expect(code.firstMatch(of: count) == nil, "\(file):\(i + 1) checks a parameter count: \(line)")
                #expect(code.firstMatch(of: names) == nil, "\(file):\(i + 1) uses a law's type directly: \(line)")
            }
        }
    }
}
