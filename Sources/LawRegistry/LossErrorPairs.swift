import Foundation

/// (loss, downstream error) pairs; `unit` labels each pair's resampling unit (its run).
public struct LossErrorPairs: Sendable {
    public var loss: [Double]
    public var error: [Double]
    public var unit: [Int]

    public init(loss: [Double], error: [Double], unit: [Int]) {
        self.loss = loss
        self.error = error
        self.unit = unit
    }
}
