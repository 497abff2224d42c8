import Foundation

/// Number formatting for labels and tables.
enum ReportFormat {
    /// Counts with SI suffixes: 1234 -> "1.23k", 2.5e6 -> "2.5M", 7e9 -> "7B".
    static func count(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in units where abs(v) >= scale {
            return significant(v / scale) + suffix
        }
        return significant(v)
    }

    /// Three significant digits, no trailing zeros.
    static func significant(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        return String(format: "%.3g", v)
    }

    /// Scientific with `digits` decimals in the mantissa when large or small, fixed otherwise.
    static func value(_ v: Double, digits: Int = 4) -> String {
        guard v.isFinite else { return "–" }
        if v != 0 && (abs(v) >= 1e5 || abs(v) < 1e-3) { return String(format: "%.\(digits - 1)e", v) }
        return String(format: "%.\(digits)g", v)
    }

    /// "1e+15 FLOPs" style compute labels: "C = 1.0e15".
    static func flops(_ v: Double) -> String {
        guard v > 0, v.isFinite else { return "–" }
        let k = floor(log10(v) + 1e-12)  // log10(1e20) is 19.999...: 1e20, not "10e19"
        return String(format: "%.2ge%d", v / pow(10, k), Int(k))
    }

    /// An id fragment safe in HTML ids: letters, digits and '-'.
    static func slug(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}

/// Colours keyed by an ordered quantity (model size, budget, compute) from the sequential
/// palette; equal keys (within a relative tolerance) share a colour, so data and fitted curves
/// of the same budget match.
struct SequentialKeyColors {
    let keys: [Double]
    private let colors: [Color]

    init(_ values: [Double]) {
        var unique: [Double] = []
        for v in values.filter({ $0.isFinite }).sorted() where unique.last.map({ !Self.same($0, v) }) ?? true {
            unique.append(v)
        }
        keys = unique
        colors = Palette.sequential(count: unique.count)
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(abs(a), abs(b)) }

    func color(_ v: Double) -> Color {
        guard let i = keys.firstIndex(where: { Self.same($0, v) }) else { return .gray }
        return colors[i]
    }
}
