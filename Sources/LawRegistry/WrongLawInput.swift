import Foundation

/// A law was handed data of another kind (a registry or command bug, not bad input).
public struct WrongLawInput: Error, CustomStringConvertible {
    public let law: String
    public let expected: LawInput
    public init(law: String, expected: LawInput) { self.law = law; self.expected = expected }
    public var description: String { "the \(law) law is fitted on \(expected.rawValue) data" }
}
