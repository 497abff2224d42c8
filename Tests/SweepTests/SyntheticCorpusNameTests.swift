import Testing
import Trainer
@testable import Sweep

@Suite struct SyntheticCorpusNameTests {
    @Test func plainNameIsTheDefaultLanguageAndPathsAreNotSynthetic() throws {
        let plain = try #require(try SyntheticCorpusName.parse("synthetic"))
        #expect(plain.parameters == SyntheticLanguage.Parameters())
        #expect(plain.canonical == "synthetic")
        #expect(try SyntheticCorpusName.parse("corpus.txt") == nil)
        #expect(try SyntheticCorpusName.parse("synthetic.txt") == nil)
        #expect(CorpusSource.label("synthetic", seed: 3) == "synthetic:3")
    }

    @Test func knobsSetTheGeneratorAndCanonicalLabelsAreOrderFree() throws {
        let a = try #require(try SyntheticCorpusName.parse("synthetic:successors=16, words=256"))
        #expect(a.parameters.wordCount == 256 && a.parameters.successorsPerWord == 16)
        #expect(a.parameters.successorExponent == SyntheticLanguage.Parameters().successorExponent)
        #expect(a.canonical == "synthetic:words=256,successors=16")
        #expect(CorpusSource.label("synthetic:successors=16,words=256", seed: 0) == "synthetic:words=256,successors=16:0")
        // A knob set to its default value names the default language.
        #expect(try SyntheticCorpusName.parse("synthetic:words=1024")?.canonical == "synthetic")
    }

    @Test func smallerLanguageHasLowerEntropyAndTheLoadedCorpusCarriesIt() throws {
        let small = try CorpusSource.load("synthetic:words=128,successors=8", seed: 0, trainTokens: 1 << 20)
        let big = try CorpusSource.load("synthetic", seed: 0, trainTokens: 1 << 20)
        let h = try #require(small.entropyRate), hBig = try #require(big.entropyRate)
        #expect(h > 0 && h < hBig)
        #expect(small.name == "synthetic:words=128,successors=8:0")
        #expect(small.train != big.train)
    }

    @Test(arguments: [
        ("synthetic:colour=3", "unknown synthetic-language knob 'colour'"),
        ("synthetic:words=1", "words must be an integer in 2...65536"),
        ("synthetic:words=ten", "words must be an integer"),
        ("synthetic:successors", "expected key=value"),
        ("synthetic:words=8,successors=9", "successors (9) must not exceed words (8)"),
        ("synthetic:pool_exponent=nan", "pool_exponent must be a number"),
    ])
    func badKnobsAreOneLineErrorsNamingTheKnob(name: String, message: String) {
        #expect {
            try SyntheticCorpusName.parse(name)
        } throws: { error in
            let text = "\(error)"
            return text.contains(message) && text.contains(name) && !text.contains("\n")
        }
    }

    @Test func specRejectsABadKnobWithItsLine() {
        let text = """
        name = "t"
        corpus = "synthetic:words=0"

        [models]
        shapes = ["1x32"]

        [budgets]
        tokens = [1000]
        """
        #expect {
            try SweepSpec.parse(text: text, name: "t.toml")
        } throws: { error in "\(error)".contains("t.toml line 2") && "\(error)".contains("words") }
    }
}
