import ArgumentParser
import Fit
import Foundation
import Validation

/// `--step-col`, `--lr-col`, `--loss-col`: the columns of a curve file from another trainer's
/// logger, when its names are not among those `CurveColumns` recognises.
struct CurveColumnOptions: ParsableArguments {
    @Option(name: .customLong("step-col"), help: "Curve files: the step column (default: step, _step, global_step, trainer/global_step, ...).")
    var step: String?
    @Option(name: .customLong("lr-col"), help: "Curve files: the learning-rate column (default: lr, learning_rate, lr-*, ...).")
    var lr: String?
    @Option(name: .customLong("loss-col"), help: "Curve files: the loss column (default: loss, train/loss, train_loss, val/loss, ...).")
    var loss: String?

    @Option(name: .customLong("curve-lr"),
            help: "Curve files: CURVE=LRFILE takes the rates of curve file CURVE (as given to --curve / --check-curve) from LRFILE (columns step, lr; 0-based steps), e.g. for a file with no LR column (repeatable).")
    var curveLRs: [String] = []

    var columns: CurveColumns { CurveColumns(step: step, lr: lr, loss: loss) }

    /// The --curve-lr pairs (curve file, LR file).
    func curveLRPairs() throws -> [(curve: String, lrs: String)] {
        try curveLRs.map { item in
            guard let eq = item.lastIndex(of: "="), eq != item.startIndex, item.index(after: eq) != item.endIndex else {
                throw CLIError("--curve-lr expects CURVE=LRFILE (got '\(InputEcho.shown(item))')")
            }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }

    /// Every --curve-lr is CURVE=LRFILE with both files present (a typo is an error, not a curve
    /// silently read with its own column).
    func validate() throws {
        for pair in try curveLRPairs() {
            for f in [pair.curve, pair.lrs] where !FileManager.default.fileExists(atPath: f) {
                throw CLIError("--curve-lr: no such file '\(InputEcho.shown(f))'")
            }
        }
    }

    /// The column flags or --curve-lr name curve files: each --curve-lr must name one of `files`
    /// (the command's --curve / --check-curve / import FILE), at most once, and the column flags need
    /// a file to apply to; otherwise they would be silently ignored.
    func check(files: [String]) throws {
        if files.isEmpty, step != nil || lr != nil || loss != nil || !curveLRs.isEmpty {
            throw CLIError("--step-col, --lr-col, --loss-col and --curve-lr apply to curve files: give --curve FILE or --check-curve FILE")
        }
        var seen = Set<String>()
        for pair in try curveLRPairs() {
            guard files.contains(pair.curve) else {
                throw CLIError("--curve-lr: '\(InputEcho.shown(pair.curve))' is not one of the curve files given ("
                               + files.map { InputEcho.shown($0) }.joined(separator: ", ") + ")")
            }
            guard seen.insert(pair.curve).inserted else {
                throw CLIError("--curve-lr gives two LR files for '\(InputEcho.shown(pair.curve))'")
            }
        }
    }

    /// The LR file given for `path` with --curve-lr, if any (the last one given).
    func lrFile(for path: String) throws -> String? {
        try curveLRPairs().last { $0.curve == path }?.lrs
    }

    /// Reads a curve file and tells the user, in `note:` lines on stderr, what was skipped or filled in.
    func read(_ path: String) throws -> LossCurve {
        let file: CurveFile
        if let lrPath = try lrFile(for: path) {
            file = try CurveFile.read(path: path, columns: columns, rates: try LRTrace.read(path: lrPath))
        } else {
            file = try CurveFile.read(path: path, columns: columns)
        }
        for n in file.notes { FileHandle.standardError.write(Data("note: \(path): \(n)\n".utf8)) }
        return file.curve
    }
}
