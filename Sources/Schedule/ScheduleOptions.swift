import Foundation
import Validation

/// The `key=value` options written into a schedule spec (`wsd:warmup=100,steps=2000`), so a command
/// can refuse a flag that says something else (`--steps 10` with `steps=1000000`): two values for
/// one setting is an error, never a silent override.
public struct ScheduleOptions: Sendable {
    public let values: [String: String]

    public init(_ spec: String) {
        let parts = spec.split(separator: ":", maxSplits: 1)
        var v: [String: String] = [:]
        if parts.count == 2 {
            for item in parts[1].split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2 { v[kv[0] == "peak" ? "lr" : kv[0]] = kv[1] }
            }
        }
        values = v
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    /// Throws when the spec sets `key` and the flag was given too.
    public func refuse(_ key: String, flag: String, given: Bool) throws {
        guard given, let v = values[key] else { return }
        throw ScheduleError.invalid("--schedule sets \(key)=\(InputEcho.shown(v)) and \(flag) is given too: give one of them")
    }
}
