import Foundation
import Testing
@testable import Tabular

/// The one CSV reader: RFC 4180 quoting, every line-break style, BOM, and errors that name the
/// physical line a user sees in an editor.
@Suite struct CSVTests {
    func parse(_ text: String) throws -> [CSV.Record] { try CSV.parse(text, file: "f.csv") }

    func error(_ text: String) -> String {
        do { _ = try parse(text); return "no error" } catch { return "\(error)" }
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let r = try parse("a,b\n\"x,1\",\"say \"\"hi\"\"\nthere\"\n3,4\n")
        #expect(r.map(\.fields) == [["a", "b"], ["x,1", "say \"hi\"\nthere"], ["3", "4"]])
        // The record after a quoted line break starts on physical line 4.
        #expect(r.map(\.line) == [1, 2, 4])
        #expect(try parse("\"\"\"\",\"\"\n").map(\.fields) == [["\"", ""]])
    }

    @Test func everyLineBreakStyleAndABOM() throws {
        let expected = [["N", "loss"], ["1", "2.5"], ["3", "4"]]
        for text in ["N,loss\n1,2.5\n3,4\n", "N,loss\r\n1,2.5\r\n3,4\r\n", "N,loss\r1,2.5\r3,4", "\u{FEFF}N,loss\n1,2.5\n3,4"] {
            let r = try parse(text)
            #expect(r.map(\.fields) == expected, "\(text.debugDescription)")
            #expect(r.map(\.line) == [1, 2, 3], "\(text.debugDescription)")
        }
        // A quoted CRLF counts as one line, blank lines are skipped but counted.
        let r = try parse("a\r\n\"x\r\ny\"\r\n\r\n\r\nz\r\n")
        #expect(r.map(\.fields) == [["a"], ["x\r\ny"], ["z"]] && r.map(\.line) == [1, 2, 6])
    }

    @Test func malformedQuotingIsAnErrorNamingTheLine() {
        #expect(error("a,b\n1,2\n3,\"open\n4,5\n6,7\n") == "f.csv:3: unterminated quote: the quoted field that starts on this line never closes")
        #expect(error("a,b\n1,2\n\"multi\nline\"x,3\n") == "f.csv:4: text after the closing quote of a field")
        #expect(error("a,b\n1,ab\"c\n") == "f.csv:2: quote inside an unquoted field (quote the whole field and double the quote: \"\")")
        #expect(error("a\n\0\n") == "f.csv:2: NUL byte (not a text file?)")
    }

    @Test func writerRoundTrips() throws {
        let fields = ["p,q", "r\"s", "line\nbreak", " lead", "plain", ""]
        #expect(try parse(CSV.line(fields) + "\n")[0].fields == fields)
    }

    /// Seeded random tables of hostile fields (commas, quotes, every line break, spaces,
    /// non-ASCII) written with the writer and any line-break style read back field for field,
    /// each record on the physical line it starts on.
    @Test func randomTablesRoundTripWithTheirLines() throws {
        var state: UInt64 = 0x5eed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let alphabet: [String] = ["a", "Z", "0", "9", ",", "\"", "\n", "\r", "\r\n", " ", "\t", "é", "∑", "'", ";", "."]
        for _ in 0..<300 {
            let width = 2 + next(4)
            let records = (0..<(1 + next(6))).map { _ in
                (0..<width).map { _ in (0..<next(7)).map { _ in alphabet[next(alphabet.count)] }.joined() }
            }
            let breaks = ["\n", "\r\n", "\r"]
            let eol = breaks[next(3)]
            var text = next(2) == 0 ? "\u{FEFF}" : ""
            var lines: [Int] = []
            var line = 1
            for r in records {
                lines.append(line)
                let written = CSV.line(r)
                text += written + eol
                // Physical lines inside quoted fields: every CRLF, lone CR or LF counts once.
                let scalars = Array(written.unicodeScalars)
                line += 1 + scalars.indices.filter { i in
                    scalars[i] == "\n" ? i == 0 || scalars[i - 1] != "\r" : scalars[i] == "\r"
                }.count
            }
            let parsed = try CSV.parse(text, file: "r.csv")
            #expect(parsed.map(\.fields) == records, "\(text.debugDescription)")
            #expect(parsed.map(\.line) == lines, "\(text.debugDescription)")
        }
    }

    @Test func tablesCheckTheHeaderAndEveryRowsWidth() {
        func tableError(_ text: String) -> String {
            do { _ = try DataTable.csv(text, file: "t.csv"); return "no error" } catch { return "\(error)" }
        }
        #expect(tableError("N,N,D,loss\n1,2,3,4\n") == "t.csv:1: column 'N' appears twice (columns 1 and 2)")
        #expect(tableError("N,d,D\n1,2,3\n") == "t.csv:1: column 'D' appears twice (columns 2 and 3)")
        #expect(tableError("N,,loss\n1,2,3\n") == "t.csv:1: column 2 of the header has no name")
        #expect(tableError("a,b\n\"1\n2\",3\n4\n") == "t.csv:4: 1 fields, the header (line 1) has 2")
        #expect(tableError("") == "t.csv: empty file (expected a header line naming the columns)")
    }

    @Test func numbersAreStrictDecimals() {
        for good in ["1", "-2.5", "+3e4", ".5", "5.", "1E-3", " 7 ", "6e23"] {
            #expect(DecimalNumber.parse(good) != nil, "\(good)")
        }
        for bad in ["0x10", "inf", "-inf", "nan", "NaN", "", " ", "1e", "e3", ".", "1_000", "1,5", "1e999", "--1", "1.2.3", "Infinity", "1 2"] {
            #expect(DecimalNumber.parse(bad) == nil, "\(bad)")
        }
        #expect(DecimalNumber.parse("0.1") == 0.1 && DecimalNumber.parse("-1.5e-3") == -1.5e-3)
    }

    @Test func columnsMatchAliasesCaseInsensitively() throws {
        let t = try DataTable.csv("Step,my-run - train/loss,my-run - train/loss__MIN,lr-AdamW\n1,2,1,0.1\n", file: "w.csv")
        #expect(try t.column(ColumnSpec("step", aliases: ["step"])) == 0)
        #expect(try t.column(ColumnSpec("loss", aliases: ["loss", "train/loss"])) == 1)
        #expect(try t.column(ColumnSpec("lr", aliases: ["lr"], prefixes: ["lr-"])) == 3)
        #expect(try t.column(ColumnSpec("x", aliases: ["x"])) == nil)
        #expect(try t.column(ColumnSpec("loss", aliases: ["loss"]), explicit: "MY-RUN - TRAIN/LOSS__min") == 2)
        #expect(throws: TableFileError(file: "w.csv", line: 1, message: "no column 'val' for loss (columns: Step, my-run - train/loss, my-run - train/loss__MIN, lr-AdamW)")) {
            try t.column(ColumnSpec("loss", aliases: ["loss"]), explicit: "val")
        }
        let two = try DataTable.csv("Step,a - train/loss,b - train/loss,lr-AdamW/pg1,lr-AdamW/pg2\n1,2,3,4,5\n", file: "w.csv")
        #expect(throws: TableFileError(file: "w.csv", line: 1, message: "2 columns could be the loss ('a - train/loss', 'b - train/loss'): name one with its --*-col flag")) {
            try two.column(ColumnSpec("loss", aliases: ["loss", "train/loss"]))
        }
        #expect(throws: TableFileError.self) { try two.column(ColumnSpec("lr", aliases: ["lr"], prefixes: ["lr-"])) }
        #expect(try two.column(ColumnSpec("loss", aliases: ["loss"]), explicit: "b - train/loss") == 2)
        let row = t.rows[0]
        #expect(try t.number(row, 3) == 0.1)
    }

    @Test func jsonLinesRowsKeepTheirLines() throws {
        let t = try DataTable.jsonLines("{\"_step\": 1, \"train/loss\": 2.5}\n\n{\"_step\": 2, \"lr\": \"0x10\"}\r\n{\"_step\": 3, \"train/loss\": null}\n", file: "h.jsonl")
        #expect(t.columns == ["_step", "train/loss", "lr"])
        #expect(t.rows.map(\.line) == [1, 3, 4])
        #expect(t.rows[0].cells == ["1.0", "2.5", nil] && t.rows[2].cells == ["3.0", nil, nil])
        #expect(throws: TableFileError(file: "h.jsonl", line: 3, message: "lr = '0x10' is not a finite decimal number")) {
            try t.number(t.rows[1], 2)
        }
        for (text, message) in [("{\"a\": 1}\n[1, 2]\n", "h.jsonl:2: not a JSON object (each line of a .jsonl file is one object)"),
                                ("{\"a\": {\"b\": 1}}\n", "h.jsonl:1: the value of 'a' is not a number, string or null"),
                                ("{\"a\": true}\n", "h.jsonl:1: the value of 'a' is not a number, string or null"),
                                ("{\"a\": 1, \"A\": 2}\n", "h.jsonl:1: keys 'A' and 'a' differ only in case (columns are matched case-insensitively)")] {
            #expect(throws: Error.self) { try DataTable.jsonLines(text, file: "h.jsonl") }
            do { _ = try DataTable.jsonLines(text, file: "h.jsonl") } catch { #expect("\(error)" == message) }
        }
    }
}
