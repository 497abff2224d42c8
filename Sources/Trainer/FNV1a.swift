/// The 64-bit FNV-1a hash (Fowler, Noll, Vo): a byte-at-a-time multiply-xor hash, stable across
/// machines and releases. Used for checkpoint checksums (a flipped bit anywhere changes it) and
/// for the stable identity of sweep specs. Not cryptographic: it detects damage, not tampering.
public struct FNV1a: Sendable {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    public private(set) var value: UInt64 = FNV1a.offsetBasis

    public init() {}

    /// Folds `bytes` into the hash (so a file can be hashed piece by piece).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* Self.prime }
        value = h
    }

    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* Self.prime }
        value = h
    }

    public static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h = FNV1a()
        h.update(bytes)
        return h.value
    }
}
