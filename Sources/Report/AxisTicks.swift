import Foundation

/// A tick label, optionally with a superscript exponent ("10" with exponent "9" reads 10^9).
public struct TickLabel: Sendable, Equatable {
    public var base: String
    public var exponent: String?

    public init(_ base: String, exponent: String? = nil) {
        self.base = base
        self.exponent = exponent
    }

    /// Plain-text form, e.g. "10^9" or "0.5".
    public var plainText: String { exponent.map { "\(base)^\($0)" } ?? base }

    /// Rough rendered width in pixels at the given font size (generic sans-serif averages ~0.6 em).
    func estimatedWidth(fontSize: Double) -> Double {
        0.6 * fontSize * (Double(base.count) + 0.75 * Double(exponent?.count ?? 0))
    }
}

/// One tick on an axis, at a data value.
public struct Tick: Sendable, Equatable {
    public var value: Double
    /// nil: an unlabelled (minor) tick.
    public var label: TickLabel?
    /// Major ticks get a grid line and a longer mark.
    public var isMajor: Bool
}

/// Tick placement: "nice" steps (1, 2, 5 x 10^k) on linear axes; decades with minor ticks at
/// 2..9 x 10^k on log axes; under two decades the 2 and 5 multiples are labelled too, and under
/// one decade nice linear values are used, so every axis has several labels.
enum AxisTicks {
    static func ticks(scale: AxisScale, domain: ClosedRange<Double>, target: Int = 6) -> [Tick] {
        switch scale {
        case .linear: return linearTicks(domain, target: target)
        case .log10: return logTicks(domain)
        }
    }

    /// The 1, 2 or 5 x 10^k step that divides `span` into the number of intervals closest to `intervals`.
    static func niceStep(span: Double, intervals: Int) -> Double {
        guard span > 0, span.isFinite, intervals > 0 else { return 1 }
        let raw = span / Double(intervals)
        let magnitude = pow(10, floor(log10(raw)))
        let candidates = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }
        return candidates.min { abs(span / $0 - Double(intervals)) < abs(span / $1 - Double(intervals)) }!
    }

    static func linearTicks(_ domain: ClosedRange<Double>, target: Int) -> [Tick] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite else { return [] }
        let step = niceStep(span: span, intervals: max(target - 1, 1))
        let first = (domain.lowerBound / step - 1e-9).rounded(.up)
        let last = (domain.upperBound / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        let largest = max(abs(domain.lowerBound), abs(domain.upperBound))
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * step
            let value = abs(v) < step * 1e-9 ? 0 : v
            return Tick(value: value, label: linearLabel(value, step: step, largest: largest), isMajor: true)
        }
    }

    static func linearLabel(_ v: Double, step: Double, largest: Double) -> TickLabel {
        if largest >= 1e5 || largest < 1e-3 { return v == 0 ? TickLabel("0") : scientific(v) }
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        return TickLabel(String(format: "%.\(decimals)f", v))
    }

    /// m x 10^k as "m×10" with exponent k (or "10"^k when m = 1).
    static func scientific(_ v: Double) -> TickLabel {
        let k = floor(log10(abs(v)) + 1e-9)
        let m = v / pow(10, k)
        let mantissa = String(format: "%g", (m * 1000).rounded() / 1000)
        let base = mantissa == "1" ? "10" : mantissa == "-1" ? "-10" : "\(mantissa)×10"
        return TickLabel(base, exponent: String(Int(k)))
    }

    /// Decades that print as plain numbers (0.001 ... 10000); others use 10^k.
    static func logLabel(mantissa: Int, decade: Int) -> TickLabel {
        let v = Double(mantissa) * pow(10, Double(decade))
        if (-3...4).contains(decade) { return TickLabel(String(format: "%g", v)) }
        return mantissa == 1 ? TickLabel("10", exponent: String(decade)) : TickLabel("\(mantissa)×10", exponent: String(decade))
    }

    /// `domain` is in log10 space.
    static func logTicks(_ domain: ClosedRange<Double>) -> [Tick] {
        let lo = domain.lowerBound, hi = domain.upperBound
        guard hi > lo, lo.isFinite, hi.isFinite else { return [] }
        // Under one decade (typical for loss axes) decades alone leave the axis almost unlabelled:
        // use nice linear steps in data space, placed at their log positions.
        if hi - lo < 1 { return linearTicks(pow(10, lo)...pow(10, hi), target: 5) }
        let firstDecade = Int(floor(lo)), lastDecade = Int(ceil(hi))
        let decades = lastDecade - firstDecade
        guard decades < 400 else { return [] }
        // Many decades: label every 2nd/3rd/... decade and drop minor ticks.
        let labelEvery = max(1, Int(ceil(Double(decades) / 8)))
        let showMinor = decades <= 12
        let inside = { (t: Double) in t >= lo - 1e-9 && t <= hi + 1e-9 }
        var ticks: [Tick] = []
        for k in firstDecade...lastDecade {
            for m in 1...9 {
                let t = log10(Double(m)) + Double(k)
                guard inside(t) else { continue }
                if m == 1 {
                    let labelled = ((k % labelEvery) + labelEvery) % labelEvery == 0
                    ticks.append(Tick(value: pow(10, t), label: labelled ? logLabel(mantissa: 1, decade: k) : nil, isMajor: true))
                } else if showMinor {
                    ticks.append(Tick(value: Double(m) * pow(10, Double(k)), label: nil, isMajor: false))
                }
            }
        }
        if ticks.filter({ $0.label != nil }).count >= 3 { return ticks }
        // One to about two decades: label the 2 and 5 multiples too.
        return ticks.map { tick -> Tick in
            var t = tick
            let k = Int(floor(log10(tick.value) + 1e-9))
            let m = Int((tick.value / pow(10, Double(k))).rounded())
            if t.label == nil, m == 2 || m == 5 { t.label = logLabel(mantissa: m, decade: k) }
            return t
        }
    }
}
