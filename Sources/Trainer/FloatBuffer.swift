/// A fixed-size, zero-initialised, heap-allocated Float32 array with a stable base address. The model
/// keeps parameters, gradients and activations in these so hot loops take raw pointers without the
/// exclusivity and copy-on-write checks of [Float].
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    /// The whole buffer as a typed view (same memory).
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// A copy as an ordinary array.
    public var array: [Float] { Array(buffer) }

    public func zero() { base.update(repeating: 0, count: count) }

    /// Overwrites the contents; `values.count` must equal `count`.
    public func load(_ values: [Float]) {
        precondition(values.count == count, "buffer size mismatch: \(values.count) vs \(count)")
        values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: count) }
    }
}
