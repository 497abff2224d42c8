import Foundation

/// The `fit` options a law may read (besides --bootstrap and --seed, which every law takes). Each
/// law declares which it reads (`LawDefinition.fitFlags`, plus its input's `LawInput.flags`); the
/// command refuses any other that is given, naming the laws that read it (`LawRegistry.refusal`).
public enum FitFlag: String, CaseIterable, Sendable, Hashable {
    case source = "--source", predicate = "--where", sweep = "--sweep", params = "--params", starts = "--starts"
    case huberDelta = "--huber-delta", objective = "--objective", curve = "--curve", checkCurve = "--check-curve"
    case checkRun = "--check-run", fromStep = "--from-step", loss = "--loss", trainWindows = "--train-windows"
    case lambda = "--lambda", warmupAsPeak = "--warmup-as-peak", holdout = "--holdout", lr = "--lr"
    /// The options of curve files (`--curve`, `--check-curve`): their LR files and column names.
    case curveLR = "--curve-lr", stepCol = "--step-col", lrCol = "--lr-col", lossCol = "--loss-col"
}
