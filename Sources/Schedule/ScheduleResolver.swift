import Foundation

/// The one way a schedule spec becomes per-step learning rates, shared by `train`, `sweep` and
/// `predict` (so `predict --schedule SPEC` predicts exactly the rates `train --schedule SPEC`
/// would run).
///
/// Keys written in the spec win (`warmup=`, `floor=`, `decay=`, `shape=`, `lr=`, `steps=`);
/// otherwise the warmup is `warmupFraction` of the steps (of `warmupBase` steps when given:
/// WSD branches share their trunk's warmup) and the floor is `floorFraction` of the peak.
public enum ScheduleResolver {
    /// Default warmup: 5% of the steps.
    public static let defaultWarmupFraction = 0.05
    /// Default final LR of decaying schedules: 10% of the peak.
    public static let defaultFloorFraction = 0.1

    public static func resolve(_ spec: String, peak: Double, steps: Int,
                               warmupFraction: Double = defaultWarmupFraction,
                               floorFraction: Double = defaultFloorFraction,
                               warmupSteps: Int? = nil, warmupBase: Int? = nil) throws -> LRSchedule {
        var s = try LRSchedule.parse(spec, peak: peak, totalSteps: steps)
        let keys = ScheduleOptions(spec)
        if !keys.has("warmup") {
            let base = warmupBase ?? s.totalSteps
            s.warmupSteps = min(s.totalSteps, warmupSteps ?? Int((warmupFraction * Double(base)).rounded()))
        }
        if !keys.has("floor") { s.floorFraction = floorFraction }
        try s.validate()
        return s
    }

    /// The same schedule over another number of steps (`predict --like-run ID --steps S`): kind, peak,
    /// floor, decay fraction and shape kept, the warmup kept in steps (as when a run is trained longer),
    /// capped at the new length.
    public static func rescaled(_ s: LRSchedule, steps: Int) throws -> LRSchedule {
        var out = s
        out.totalSteps = steps
        out.warmupSteps = min(s.warmupSteps, steps)
        try out.validate()
        return out
    }
}
