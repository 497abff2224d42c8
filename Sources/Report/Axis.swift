import Foundation

/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Positions proportional to log10(value); values <= 0 cannot be shown and are skipped.
    case log10

    /// The value in the space positions are linear in, or nil if it cannot be placed.
    public func transform(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        switch self {
        case .linear: return v
        case .log10: return v > 0 ? Foundation.log10(v) : nil
        }
    }

    public func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: return t
        case .log10: return Foundation.pow(10, t)
        }
    }
}

/// One plot axis: what is measured, in which unit, on which scale, over which range.
public struct Axis: Sendable {
    /// The quantity, e.g. "Training tokens".
    public var label: String
    /// The unit, e.g. "tokens" or "nats/token"; shown in brackets after the label (empty: none).
    public var unit: String
    public var scale: AxisScale
    /// A fixed data range; nil picks one from the data with padding.
    public var range: ClosedRange<Double>?

    public init(_ label: String, unit: String, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.unit = unit
        self.scale = scale
        self.range = range
    }

    /// "Label [unit]".
    public var title: String { unit.isEmpty ? label : "\(label) [\(unit)]" }
}
