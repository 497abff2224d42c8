import Testing
@testable import Fit

@Suite struct IdentificationTests {
    let names = ["E", "A", "B", "alpha", "beta"]

    @Test func exponentSpanningTwoDecadesIsNotIdentified() {
        // The old demo's fit: alpha in [0.07, 27.5] is positive but says nothing about the law's shape.
        let ivs: [ClosedRange<Double>?] = [0.363...0.480, 10...60, 8.5e3...7.1e4, 0.07...27.5, 0.88...1.44]
        #expect(Identification.unidentified(names: names, intervals: ivs) == ["alpha"])
        let notes = Identification.notes(names: names, intervals: ivs)
        #expect(notes.count == 1 && notes[0].contains("alpha") && notes[0].contains("factor 10"))
    }

    @Test func exponentRulesBySignAndMagnitude() {
        #expect(Identification.reason(name: "beta", interval: -0.2...0.5) == .containsZero)
        #expect(Identification.reason(name: "beta", interval: 0...0.5) == .containsZero)
        #expect(Identification.reason(name: "beta", interval: 0.31...3.0) == nil)
        #expect(Identification.reason(name: "beta", interval: 0.29...3.0) == .spansFactor)
        // Negative exponents are judged by magnitude: [-3, -0.29] is as open as [0.29, 3].
        #expect(Identification.reason(name: "gamma", interval: -3.0 ... -0.29) == .spansFactor)
        #expect(Identification.reason(name: "gamma", interval: -3.0 ... -0.31) == nil)
    }

    @Test func scaleRulesAndUnjudged() {
        #expect(Identification.reason(name: "E", interval: 0...1) == .notPositive)
        #expect(Identification.reason(name: "A", interval: 1...11) == .spansFactor)
        #expect(Identification.reason(name: "A", interval: 1...9) == nil)
        #expect(Identification.reason(name: "lambda", interval: 0.001...0.999) == nil)
        // A withheld interval (nil) is not judged.
        #expect(Identification.unidentified(names: ["alpha"], intervals: [nil]).isEmpty)
    }
}
