import Foundation
import Testing

/// The command line through the law registry: options a law does not read are refused naming the
/// laws that do (from the laws' own declarations), and every curve law's fit is drawn in the report
/// with its held-out checks.
@Suite struct LawRegistryCLITests {
    @Test func optionsALawDoesNotReadAreRefusedNamingTheLawsThatDo() throws {
        let s = Scratch()
        let db = s.path("none.db")
        for (args, message) in [
            (["--law", "isoflop", "--source", "g", "--starts", "5"],
             "--starts is only used by chinchilla, overtrain, downstream and multipower fits (--law chinchilla, overtrain, downstream or multipower)"),
            (["--law", "annealing", "--curve", "x.csv", "--starts", "5"], "--starts is not used by annealing fits (they start from variable projection)"),
            (["--law", "downstream", "--params", "nonembedding"], "--params is only used by size-law fits (--law chinchilla, isoflop or overtrain)"),
            (["--law", "multipower", "--curve", "x.csv", "--sweep", "1"], "--sweep is not used by curve-law fits (they fit --run ID or --curve FILE)"),
            (["--law", "chinchilla", "--source", "g", "--lambda", "2"], "--lambda is only used by annealing fits (--law annealing)"),
            (["--law", "annealing", "--curve", "x.csv", "--lambda", "2"], "--lambda must be in (0, 1) or 'fit' (got '2')"),
            (["--law", "annealing", "--curve", "x.csv", "--warmup-as-peak", "soon"], "--warmup-as-peak"),
            (["--law", "chinchilla", "--source", "g", "--law-option", "prior=2"],
             "--law-option prior is not an option of any law (the chinchilla law has none)"),
            (["--law", "chinchilla", "--source", "g", "--law-option", "prior"], "--law-option must be NAME=VALUE (got 'prior')"),
        ] {
            let r = try CLI.run(["fit"] + args + ["--db", db])
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(message)"), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// Both curve laws fitted on two real curves with a third checked: each gets its panel, the checked
    /// file drawn as a held-out prediction.
    @Test func everyCurveLawIsDrawnWithItsHeldOutChecks() throws {
        let s = Scratch()
        let db = s.path("r.db")
        let curves = ["constant_24000", "cosine_24000"].flatMap { ["--curve", CurveLawCLITests.file(25, $0)] }
        let r = try CLI.run(["fit", "--law", "annealing,multipower"] + curves
                            + ["--check-curve", CurveLawCLITests.file(25, "wsdcon_18"), "--bootstrap", "0", "--db", db, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rep = try CLI.run(["report", "--db", db, "--out", s.path("rep")])
        #expect(rep.status == 0, "\(rep.stderr)")
        let html = try String(contentsOfFile: s.path("rep/index.html"), encoding: .utf8)
        for id in ["annealing", "multipower"] {
            #expect(html.contains("id=\"fig-\(id)\""), "no \(id) panel")
        }
        #expect(html.contains("Multi-Power Law fit and prediction"))
        #expect(html.components(separatedBy: "2 fitted schedule(s), 1 held-out prediction(s).").count - 1 == 2)
        #expect(html.components(separatedBy: "wsdcon_18.csv predicted (held").count - 1 == 2)
    }
}
