import Foundation

/// A request the registry or a law cannot serve: an unknown law, a query the law does not answer,
/// a stored form it cannot read (shown as one `error: ...` line).
public struct LawError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
