import Dispatch

/// Runs `body` for 0..<count over the machine's cores (DispatchQueue.concurrentPerform) and returns
/// the results in index order, so whatever reduces them afterwards is deterministic regardless of
/// scheduling.
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    var slots = [T?](repeating: nil, count: count)
    slots.withUnsafeMutableBufferPointer { buffer in
        let out = SendableSlots(base: buffer.baseAddress!)
        withoutActuallyEscaping(body) { body in
            let task = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                out.base[i] = task.value(i)
            }
        }
    }
    return slots.map { $0! }
}

/// Each index is written by exactly one iteration, so sharing the base pointer is race-free.
private struct SendableSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
}

/// The per-index body only reads shared state (law, data, options), which are value types.
private struct UncheckedBox<F>: @unchecked Sendable {
    let value: F
    init(_ value: F) { self.value = value }
}
