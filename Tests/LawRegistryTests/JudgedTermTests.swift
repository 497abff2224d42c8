import Foundation
import Laws
@testable import LawRegistry
import Testing

/// A prefactor is judged by its term where the data are (`JudgedTerm`), not by its value at N = 1.
@Suite struct JudgedTermTests {
    func fit(aInterval: ClosedRange<Double>, term: ClosedRange<Double>?) -> StoredFit {
        var f = StoredFit(law: "chinchilla", parameterNames: ["E", "A", "B", "alpha", "beta"], parameters: [0.4, 100, 1e4, 0.9, 0.8],
                          intervals: [0.38...0.42, aInterval, 5e3...2e4, 0.8...1.0, 0.7...0.9].map(StoredFit.Interval.init),
                          theta: [], bootstrapThetas: [], objective: "huber", objectiveValue: 0, rmse: 0, r2: 1, n: 20, status: "ok")
        if let term { f.judgedTerms = ["A": JudgedTerm(label: "A/N^alpha at N = 3e+04, the data's geometric mean", interval: term)] }
        return f
    }

    @Test func wideValueAtOneWithATightTermIsIdentifiedAndSaysWhy() {
        var f = fit(aInterval: 2...3000, term: 0.05...0.07)
        f.noteUnidentified()
        #expect(f.unidentified.isEmpty)
        #expect(f.notes.count == 1 && f.notes[0].contains("A/N^alpha") && f.notes[0].hasSuffix("identified"))
    }

    @Test func wideTermIsNotIdentifiedAndTheNoteNamesTheTerm() {
        var f = fit(aInterval: 2...3000, term: 0.01...0.5)
        f.noteUnidentified()
        #expect(f.unidentified == ["A"])
        #expect(f.notes.count == 1 && f.notes[0].hasPrefix("A (judged by A/N^alpha") && f.notes[0].contains("factor 10"))
    }

    @Test func withoutATermTheOwnIntervalIsJudged() {
        var f = fit(aInterval: 2...3000, term: nil)
        f.noteUnidentified()
        #expect(f.unidentified == ["A"])
    }

    @Test func chinchillaFitJudgesBothPrefactorsAtTheDataAndCoversTheTruth() throws {
        let points = Synthetic.sizePoints()
        var settings = FitSettings()
        settings.bootstrap = 40
        settings.seed = 3
        let f = try ChinchillaEntry().fit(.sizePoints(points), settings: settings)
        let terms = try #require(f.judgedTerms)
        let logN = points.n.map(log).reduce(0, +) / Double(points.n.count)
        let logD = points.d.map(log).reduce(0, +) / Double(points.d.count)
        let th = Synthetic.chinchillaTheta
        let trueA = exp(th[0] - th[3] * logN), trueB = exp(th[1] - th[4] * logD)
        let a = try #require(terms["A"]?.interval.range), b = try #require(terms["B"]?.interval.range)
        #expect(a.contains(trueA) && b.contains(trueB), "A term \(a) vs \(trueA), B term \(b) vs \(trueB)")
        // The term where the data are is far tighter than A itself (a value at N = 1).
        let own = try #require(f.intervals[1]?.range)
        #expect(a.upperBound / a.lowerBound < own.upperBound / own.lowerBound)
    }
}
