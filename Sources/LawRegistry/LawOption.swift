import Foundation

/// An option a law declares for itself, given as `fit --law-option NAME=VALUE`: a new law's own
/// setting needs no new flag in the command (the built-in laws' options predate this and have
/// flags of their own, `FitFlag`). The law reads it from `FitSettings.lawOptions` and checks its
/// value in `LawDefinition.check`.
public struct LawOption: Sendable, Equatable {
    /// NAME in `--law-option NAME=VALUE` (letters, digits, `-` and `_`).
    public var name: String
    public var help: String
    /// The value when the option is not given.
    public var defaultValue: String

    public init(name: String, help: String, defaultValue: String) {
        self.name = name
        self.help = help
        self.defaultValue = defaultValue
    }
}
