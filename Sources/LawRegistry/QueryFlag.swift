import Foundation

/// The `predict` options a law may predict from; each law lists the sets it accepts
/// (`LawDefinition.queries`) and any other set is refused.
public enum QueryFlag: String, CaseIterable, Sendable, Hashable {
    case N = "--N", D = "--D", M = "--M", compute = "--compute", loss = "--loss"
    case schedule = "--schedule", steps = "--steps", lr = "--lr", lrFile = "--lr-file", likeRun = "--like-run"

    /// Options that describe a schedule: the command turns them into per-step rates (`LawQuery.lrs`).
    public static let scheduleFlags: Set<QueryFlag> = [.schedule, .lrFile, .likeRun]

    /// The option sets of laws that predict a whole loss curve.
    public static let curveQueries: [Set<QueryFlag>] = [
        [.schedule], [.schedule, .steps], [.schedule, .lr], [.schedule, .steps, .lr],
        [.lrFile], [.lrFile, .steps], [.likeRun], [.likeRun, .steps],
    ]
}
