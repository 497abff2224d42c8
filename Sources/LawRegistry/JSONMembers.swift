import Foundation
import Store

/// Members of a JSON object in their order (a law's stored form, a fit's annotations), as the
/// `fits.options` column holds them. Codable as the JSON text itself, so a `StoredFit` encodes and
/// decodes losslessly (numbers read back bit for bit through `JSONText.parse`, the order is kept).
public struct JSONMembers: Codable, Sendable, Equatable, Sequence {
    public var members: [(String, JSONText.Value)]

    public init(_ members: [(String, JSONText.Value)] = []) { self.members = members }

    /// The members of an Encodable value's JSON object: a law's `Stored` form. Non-finite numbers
    /// become null, as `JSONText` writes them (so a `Stored` field that may be NaN is optional).
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: Self.nonFinite,
                                                                      negativeInfinity: Self.nonFinite, nan: Self.nonFinite)
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        members = (try JSONText.parse(text).members ?? []).map { ($0.0, Self.nullingNonFinite($0.1)) }
    }

    /// Decodes a Decodable (a law's `Stored` form) from these members; unknown keys are ignored,
    /// and a member of the wrong type (a hand-edited row) is left out and decoding retried, so one
    /// bad key costs that field, not the fit (a required field that is bad or missing still throws).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        var members = self.members
        while true {
            do {
                return try JSONDecoder().decode(type, from: Data(JSONText.render(.object(members)).utf8))
            } catch let error as DecodingError {
                guard let key = Self.topKey(of: error), members.contains(where: { $0.0 == key }) else { throw error }
                members.removeAll { $0.0 == key }
            }
        }
    }

    /// The top-level member a decoding error is about (nil: the whole value, or a missing key).
    static func topKey(of error: DecodingError) -> String? {
        switch error {
        case .typeMismatch(_, let c), .dataCorrupted(let c): return c.codingPath.first?.stringValue
        case .valueNotFound(_, let c): return c.codingPath.first?.stringValue
        case .keyNotFound: return nil
        @unknown default: return nil
        }
    }

    public subscript(key: String) -> JSONText.Value? {
        get { members.last { $0.0 == key }?.1 }
        set {
            members.removeAll { $0.0 == key }
            if let newValue { members.append((key, newValue)) }
        }
    }

    public var isEmpty: Bool { members.isEmpty }
    public func makeIterator() -> IndexingIterator<[(String, JSONText.Value)]> { members.makeIterator() }

    public static func == (a: JSONMembers, b: JSONMembers) -> Bool {
        JSONText.render(.object(a.members)) == JSONText.render(.object(b.members))
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        members = try JSONText.parse(text).members ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(JSONText.render(.object(members)))
    }

    private static let nonFinite = "\u{1}non-finite\u{1}"

    private static func nullingNonFinite(_ v: JSONText.Value) -> JSONText.Value {
        switch v {
        case .string(let s) where s == nonFinite: return .null
        case .array(let a): return .array(a.map(nullingNonFinite))
        case .object(let o): return .object(o.map { ($0.0, nullingNonFinite($0.1)) })
        default: return v
        }
    }
}
