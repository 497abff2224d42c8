import ArgumentParser
import Fit
import Foundation

/// `--step-col`, `--lr-col`, `--loss-col`: the columns of a curve file from another trainer's
/// logger, when its names are not among those `CurveColumns` recognises.
struct CurveColumnOptions: ParsableArguments {
    @Option(name: .customLong("step-col"), help: "Curve files: the step column (default: step, _step, global_step, trainer/global_step, ...).")
    var step: String?
    @Option(name: .customLong("lr-col"), help: "Curve files: the learning-rate column (default: lr, learning_rate, lr-*, ...).")
    var lr: String?
    @Option(name: .customLong("loss-col"), help: "Curve files: the loss column (default: loss, train/loss, train_loss, val/loss, ...).")
    var loss: String?

    var columns: CurveColumns { CurveColumns(step: step, lr: lr, loss: loss) }

    /// Reads a curve file and tells the user, in `note:` lines on stderr, what was skipped or filled in.
    func read(_ path: String) throws -> LossCurve {
        let file = try CurveFile.read(path: path, columns: columns)
        for n in file.notes { FileHandle.standardError.write(Data("note: \(path): \(n)\n".utf8)) }
        return file.curve
    }
}
