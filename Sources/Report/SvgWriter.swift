import Foundation

/// Escapes text for XML/HTML character data and attribute values.
public func xmlEscaped(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// Accumulates SVG elements. Coordinates are written with two decimals, enough for screen
/// pixels and short enough to keep inline SVGs small.
struct SvgWriter {
    private(set) var body = ""
    static let font = "font-family=\"Helvetica, Arial, 'Liberation Sans', sans-serif\""

    static func num(_ v: Double) -> String { String(format: "%.2f", v) }

    mutating func raw(_ s: String) { body += s + "\n" }

    mutating func rect(_ r: PixelRect, fill: String, stroke: String = "none") {
        raw("<rect x=\"\(Self.num(r.x))\" y=\"\(Self.num(r.y))\" width=\"\(Self.num(r.width))\" height=\"\(Self.num(r.height))\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>")
    }

    mutating func line(_ a: PlotPoint, _ b: PlotPoint, stroke: String, width: Double = 1, dash: String? = nil) {
        let dashAttr = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw("<line x1=\"\(Self.num(a.x))\" y1=\"\(Self.num(a.y))\" x2=\"\(Self.num(b.x))\" y2=\"\(Self.num(b.y))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\"\(dashAttr)/>")
    }

    /// A polyline made of runs (each run drawn as M ... L ... L).
    mutating func path(runs: [[PlotPoint]], stroke: String, width: Double, dash: String?) {
        let d = runs.filter { $0.count >= 2 }.map { run in
            "M" + run.map { "\(Self.num($0.x)) \(Self.num($0.y))" }.joined(separator: " L")
        }.joined(separator: " ")
        guard !d.isEmpty else { return }
        let dashAttr = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dashAttr)/>")
    }

    mutating func marker(_ shape: MarkerShape, at p: PlotPoint, radius r: Double, fill: String) {
        let common = "fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"0.8\""
        switch shape {
        case .circle:
            raw("<circle cx=\"\(Self.num(p.x))\" cy=\"\(Self.num(p.y))\" r=\"\(Self.num(r))\" \(common)/>")
        case .square:
            rect(PixelRect(x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r), fill: fill)
        case .diamond:
            let s = r * 1.35
            let pts = [(p.x, p.y - s), (p.x + s, p.y), (p.x, p.y + s), (p.x - s, p.y)]
                .map { "\(Self.num($0.0)),\(Self.num($0.1))" }.joined(separator: " ")
            raw("<polygon points=\"\(pts)\" \(common)/>")
        }
    }

    /// Text at a point; `exponent` is drawn as a raised, smaller suffix.
    mutating func text(_ s: String, at p: PlotPoint, size: Double, anchor: String = "start", fill: String = "#222222",
                       weight: String? = nil, rotate: Double? = nil, exponent: String? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(Self.num($0)) \(Self.num(p.x)) \(Self.num(p.y)))\"" } ?? ""
        let weightAttr = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let sup = exponent.map { "<tspan dy=\"\(Self.num(-0.4 * size))\" font-size=\"\(Self.num(0.75 * size))\">\(xmlEscaped($0))</tspan>" } ?? ""
        raw("<text x=\"\(Self.num(p.x))\" y=\"\(Self.num(p.y))\" \(Self.font) font-size=\"\(Self.num(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(weightAttr)\(transform)>\(xmlEscaped(s))\(sup)</text>")
    }

    func document(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\" role=\"img\" aria-label=\"\(xmlEscaped(title))\">\n<title>\(xmlEscaped(title))</title>\n" + body + "</svg>\n"
    }
}
