import Foundation
import Testing
@testable import Sweep

/// Sweep specs are TOML 1.0: every way of writing the same spec gives the same sweep, and every
/// mistake is one line naming the key and the line it is on.
@Suite struct SpecTOMLTests {
    /// The reference spec, in the plainest form.
    let plain = """
    name = "t"
    [models]
    shapes = ["1x32", "2x64"]
    [budgets]
    tokens = [1000, 2000]
    [optim]
    lr = [3e-3]
    schedules = ["cosine"]
    """

    /// The same spec written with each TOML 1.0 form the hand-written reader rejected.
    var equivalentForms: [(String, String)] {
        [
            ("literal strings", """
             name = 't'
             [models]
             shapes = ['1x32', '2x64']
             [budgets]
             tokens = [1000, 2000]
             [optim]
             lr = [3e-3]
             schedules = ['cosine']
             """),
            ("inline tables", """
             name = "t"
             models = { shapes = ["1x32", "2x64"] }
             budgets = { tokens = [1000, 2000] }
             optim = { lr = [3e-3], schedules = ["cosine"] }
             """),
            ("dotted keys", """
             name = "t"
             models.shapes = ["1x32", "2x64"]
             budgets.tokens = [1_000, 2_000]
             optim.lr = [3e-3]
             "optim".'schedules' = ["cosine"]
             """),
            ("scalar axes", """
             name = "t"
             [models]
             shapes = ["1x32", "2x64"]
             [budgets]
             tokens = [1000, 2000]
             [optim]
             lr = 3e-3
             schedules = "cosine"
             """),
            ("CRLF and comments anywhere", "# head\r\nname = \"t\" # trailing\r\n[models] # section\r\nshapes = [ # open\r\n  \"1x32\", # one\r\n  \"2x64\", # two\r\n] # close\r\n[budgets]\r\ntokens = [1000, 2000]\r\n[optim]\r\nlr = [0.003]\r\nschedules = [\"\"\"cosine\"\"\"]\r\n"),
            ("escaped strings and a BOM", "\u{FEFF}name = \"\\u0074\"\n[models]\nshapes = [\"1\\u0078\\u0033\\u0032\", \"2x64\"]\n[budgets]\ntokens = [1e3, 2e3]\n[optim]\nlr = [3e-3]\nschedules = ['''cosine''']\n"),
        ]
    }

    @Test func everyTOMLFormGivesTheSameSweep() throws {
        let reference = try SweepSpec.parse(text: plain, name: "t.toml")
        for (label, text) in equivalentForms {
            let s = try SweepSpec.parse(text: text, name: "t.toml")
            #expect(s == reference, "\(label)")
            #expect(s.hash == reference.hash, "\(label)")
        }
    }

    /// Unknown keys and wrong types, in every form: the error names the key and the line it is on.
    @Test func mistakesNameTheKeyAndItsLine() {
        let cases: [(String, String)] = [
            ("name = 't'\nmodels = { shapes = ['1x32'], widths = [3] }\n", "t.toml line 2: unknown key 'widths' in [models]"),
            ("name = 't'\n\nmodels.shape = ['1x32']\n", "t.toml line 3: unknown key 'shape' in [models]"),
            ("[models]\nshapes = ['1x32']\n[budgets]\n\n\ntokens = 'many'\n", "t.toml line 6: 'tokens': expected numbers"),
            ("[models]\nshapes = [\n  '1x32',\n]\n[budgets]\ntokens = [100]\n[optim]\nseeds = [\n 1,\n 'two',\n]\n", "t.toml line 8: 'seeds': expected numbers"),
            ("[models]\r\nshapes = ['1x32']\r\n[budgets]\r\ntokens = [100]\r\nbatch = 3\r\n", "t.toml line 5: unknown key 'batch' in [budgets]"),
            ("[models]\nshapes = ['1x32']\n[budgets]\ntokens = [100]\n[optim.extra]\nx = 1\n", "t.toml line 5: unknown key 'extra' in [optim]"),
            ("[models]\nshapes = ['1x32']\n[budgets]\ntokens = [100]\n[wsd]\nbranching = 1\n", "t.toml line 6: 'branching': expected true or false"),
            ("models = 3\n", "t.toml line 1: 'models' must be a table"),
            ("[extras]\n", "t.toml line 1: unknown section [extras]"),
            ("seq_len = 1979-05-27\n", "t.toml line 1: 'seq_len': expected a number, string, boolean or array, not a date"),
            ("[models]\nshapes = ['1x32']\n[budgets]\ntokens = [inf]\n", "t.toml line 4: 'tokens': expected a finite number"),
            ("name = \"a # not a comment\"\ncorpus = '''\n[x]\nno = 1'''\n[models]\nshapes = ['1x32']\nbad = 1\n", "t.toml line 7: unknown key 'bad' in [models]"),
            ("[models]\nshapes = ['''1x32\n''']\n", "t.toml line 2: 'shapes': shape '1x32\\n' is not"),
            ("name = 't'\n[models]\nshapes = ['1x32'\n", "t.toml line"),
            ("name = 't'\nname = 'u'\n", "t.toml line 2: key 'name' appears twice"),
            ("a = 1\u{0}\n", "t.toml line 1: the spec contains a NUL byte"),
        ]
        for (text, expected) in cases {
            #expect {
                _ = try SweepSpec.parse(text: text, name: "t.toml")
            } throws: { error in
                "\(error)".contains(expected) && !"\(error)".contains("\n")
            }
        }
    }

    /// The key index follows strings, inline tables and multi-line arrays to the right lines.
    @Test func keyLinesFollowTheDocument() {
        let text = #"""
        a = "x = 1 # [not] a key"
        b = '''
        c = 2
        '''
        [t]
        d = { e = 1, f = { g = [
          { h = 1 },
        ] } }
        "quoted key".i = """
        j = 1 \"""
        """
        k = 1
        [[arr]]
        l = 1
        """#
        let idx = TOMLKeyLines(text)
        #expect(idx.lines[["a"]] == 1 && idx.lines[["b"]] == 2 && idx.lines[["c"]] == nil)
        #expect(idx.lines[["t"]] == 5 && idx.lines[["t", "d"]] == 6 && idx.lines[["t", "d", "e"]] == 6)
        #expect(idx.lines[["t", "d", "f", "g"]] == 6)
        #expect(idx.lines[["t", "quoted key", "i"]] == 9 && idx.lines[["t", "j"]] == nil)
        #expect(idx.lines[["t", "k"]] == 12 && idx.lines[["arr"]] == 13 && idx.lines[["arr", "l"]] == 14)
    }
}
