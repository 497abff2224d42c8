import Foundation
import Schedule
import Testing

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

@Test func warmupRisesLinearlyToPeak() {
    for kind in ScheduleKind.allCases {
        let s = LRSchedule(kind: kind, peak: 1e-3, totalSteps: 100, warmupSteps: 10, floorFraction: 0.1)
        #expect(close(s.lr(at: 0), 1e-4))
        #expect(close(s.lr(at: 9), 1e-3))
        for t in 0..<9 { #expect(close(s.lr(at: t + 1) - s.lr(at: t), 1e-4)) }
    }
}

@Test func everyDecayFamilyHitsTheFloorAtTheLastStep() {
    var schedules = [LRSchedule(kind: .cosine, peak: 2, totalSteps: 50, warmupSteps: 5, floorFraction: 0.1),
                     LRSchedule(kind: .linear, peak: 2, totalSteps: 50, warmupSteps: 5, floorFraction: 0.1)]
    for shape in DecayShape.allCases {
        schedules.append(LRSchedule(kind: .wsd, peak: 2, totalSteps: 50, warmupSteps: 5, floorFraction: 0.1,
                                    decayFraction: 0.3, decayShape: shape))
    }
    for s in schedules {
        let r = s.rates()
        #expect(r.count == 50)
        #expect(close(r[49], 0.2), "\(s.spec) ends at \(r[49])")
        #expect(r.allSatisfy { $0 >= 0.2 - 1e-12 && $0 <= 2 + 1e-12 })
        for t in 5..<49 { #expect(r[t + 1] <= r[t] + 1e-12, "\(s.spec) rises at step \(t)") }
    }
    let floorZero = LRSchedule(kind: .cosine, peak: 1, totalSteps: 20, floorFraction: 0)
    #expect(floorZero.lr(at: 19) == 0)
}

@Test func decayShapesFollowTheirFormulas() {
    let cosine = LRSchedule(kind: .cosine, peak: 1, totalSteps: 11)   // q = s / 10
    #expect(close(cosine.lr(at: 0), 1) && close(cosine.lr(at: 5), 0.5) && close(cosine.lr(at: 10), 0))
    let linear = LRSchedule(kind: .linear, peak: 1, totalSteps: 11)
    #expect(close(linear.lr(at: 3), 0.7))
    #expect(close(DecayShape.oneMinusSqrt.factor(0.25), 0.5))
    #expect(close(DecayShape.cosine.factor(0.5), 0.5))
    #expect(DecayShape.linear.factor(-1) == 1 && DecayShape.linear.factor(2) == 0)
    let constant = LRSchedule(kind: .constant, peak: 0.3, totalSteps: 40, warmupSteps: 4, floorFraction: 0.5)
    #expect(constant.rates().dropFirst(3).allSatisfy { $0 == 0.3 })
}

@Test func wsdHoldsThePeakUntilTheDecayPhase() {
    let s = LRSchedule(kind: .wsd, peak: 1, totalSteps: 100, warmupSteps: 10, floorFraction: 0,
                       decayFraction: 0.2, decayShape: .linear)
    #expect(s.decayStart == 80)
    for t in 9..<80 { #expect(s.lr(at: t) == 1) }
    for t in 80..<100 { #expect(s.lr(at: t) < 1) }
    #expect(close(s.lr(at: 89), 0.5))    // halfway through a linear cooldown: q = 10/20
    // The decay never starts inside the warmup.
    let late = LRSchedule(kind: .wsd, peak: 1, totalSteps: 100, warmupSteps: 90, decayFraction: 0.5)
    #expect(late.decayStart == 90 && close(late.lr(at: 89), 1))
}

@Test func specRoundTripsThroughParse() throws {
    let cases = [
        LRSchedule(kind: .constant, peak: 0.01, totalSteps: 300, warmupSteps: 30),
        LRSchedule(kind: .cosine, peak: 6e-4, totalSteps: 1000, warmupSteps: 100, floorFraction: 0.1),
        LRSchedule(kind: .linear, peak: 1, totalSteps: 7, floorFraction: 0.37),
        LRSchedule(kind: .wsd, peak: 3e-3, totalSteps: 5000, warmupSteps: 50, floorFraction: 0.01,
                   decayFraction: 0.15, decayShape: .oneMinusSqrt),
        LRSchedule(kind: .wsd, peak: 3e-3, totalSteps: 64, decayFraction: 1, decayShape: .cosine),
    ]
    for s in cases {
        let back = try LRSchedule.parse(s.spec, peak: s.peak, totalSteps: s.totalSteps)
        #expect(back == s, "\(s.spec)")
        #expect(back.spec == s.spec)
    }
    let parsed = try LRSchedule.parse("WSD: warmup = 20, decay=0.25, shape=cosine, lr=0.5, steps=1e3", peak: 1, totalSteps: 10)
    #expect(parsed.kind == .wsd && parsed.warmupSteps == 20 && parsed.decayFraction == 0.25)
    #expect(parsed.decayShape == .cosine && parsed.peak == 0.5 && parsed.totalSteps == 1000)
    let plain = try LRSchedule.parse("cosine", peak: 0.1, totalSteps: 10)
    #expect(plain == LRSchedule(kind: .cosine, peak: 0.1, totalSteps: 10))
}

@Test func badSpecsAreRejectedWithMessages() {
    let bad: [(String, String)] = [
        ("exponential", "unknown schedule"),
        ("wsd:warmup", "not key=value"),
        ("wsd:speed=3", "unknown schedule option 'speed'"),
        ("wsd:decay=abc", "not a number"),
        ("wsd:floor=nan", "not a number"),
        ("wsd:shape=sqrt", "unknown decay shape"),
        ("cosine:warmup=500", "warmup must be in 0...steps"),
        ("cosine:floor=1.5", "floor must be"),
        ("wsd:decay=-0.1", "decay must be"),
        ("linear:lr=0", "learning rate must be > 0"),
        ("linear:steps=0", "steps must be > 0"),
        ("linear:warmup=2.5", "not a whole number"),
        ("linear:steps=1e30", "not a whole number"),   // used to trap converting to Int
    ]
    for (spec, fragment) in bad {
        do {
            _ = try LRSchedule.parse(spec, peak: 1e-3, totalSteps: 100)
            Issue.record("'\(spec)' was accepted")
        } catch let e as ScheduleError {
            #expect(e.description.contains(fragment), "'\(spec)': \(e.description)")
        } catch {
            Issue.record("'\(spec)': unexpected \(error)")
        }
    }
    #expect(throws: ScheduleError.self) { try LRSchedule(kind: .cosine, peak: -1, totalSteps: 10).validate() }
}
