import Foundation
import Schedule
import Store
import Trainer

extension ScheduleResolver {
    /// The schedule a run trained with, in full, from the config JSON stored with it (nil for
    /// imported curves, whose config holds no schedule).
    static func stored(_ run: RunRecord) throws -> LRSchedule? {
        guard let data = run.config.data(using: .utf8),
              let config = try? JSONDecoder().decode(TrainingConfig.self, from: data) else { return nil }
        return config.schedule
    }
}
