/// An axis-aligned rectangle in SVG pixels (y grows downwards).
public struct PixelRect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// Where everything of a plot goes: the plot area inside the margins, the data domains (in the
/// scales' linear space: log10 of the values on a log axis) and the ticks.
public struct PlotLayout: Sendable {
    public let width: Double
    public let height: Double
    public let plotArea: PixelRect
    public let xScale: AxisScale
    public let yScale: AxisScale
    /// Domain in transformed space (log10 of data on a log axis).
    public let xDomain: ClosedRange<Double>
    public let yDomain: ClosedRange<Double>
    public let xTicks: [Tick]
    public let yTicks: [Tick]
    /// Width reserved right of the plot area for the legend (0 without legend entries).
    public let legendWidth: Double

    static let fontSize = 12.0
    static let legendFontSize = 11.0

    /// Horizontal pixel of data value x, or nil if it is not finite (or not positive on a log axis).
    public func pixelX(_ x: Double) -> Double? {
        guard let t = xScale.transform(x) else { return nil }
        return plotArea.x + (t - xDomain.lowerBound) / (xDomain.upperBound - xDomain.lowerBound) * plotArea.width
    }

    /// Vertical pixel of data value y (larger values higher up), or nil if not plottable.
    public func pixelY(_ y: Double) -> Double? {
        guard let t = yScale.transform(y) else { return nil }
        return plotArea.maxY - (t - yDomain.lowerBound) / (yDomain.upperBound - yDomain.lowerBound) * plotArea.height
    }

    /// Pixel position of a data point, or nil when either coordinate cannot be placed. Points
    /// outside a fixed range map outside the plot area (the renderer clips them).
    public func pixel(_ p: PlotPoint) -> PlotPoint? {
        guard let px = pixelX(p.x), let py = pixelY(p.y) else { return nil }
        return PlotPoint(px, py)
    }

    public func contains(_ pixel: PlotPoint) -> Bool {
        pixel.x >= plotArea.x - 0.01 && pixel.x <= plotArea.maxX + 0.01
            && pixel.y >= plotArea.y - 0.01 && pixel.y <= plotArea.maxY + 0.01
    }
}

extension Plot {
    /// The layout for this plot: automatic ranges (5% padding in the scale's space) unless an
    /// axis has a fixed range; margins sized for tick labels and the legend.
    public func layout() -> PlotLayout {
        let points = series.flatMap(\.points).compactMap { p -> (Double, Double)? in
            guard let tx = x.scale.transform(p.x), let ty = y.scale.transform(p.y) else { return nil }
            return (tx, ty)
        }
        let xExtra = referenceLines.filter { $0.orientation == .vertical }.compactMap { x.scale.transform($0.value) }
        let yExtra = referenceLines.filter { $0.orientation == .horizontal }.compactMap { y.scale.transform($0.value) }
        let xDomain = Self.domain(axis: x, values: points.map(\.0) + xExtra)
        let yDomain = Self.domain(axis: y, values: points.map(\.1) + yExtra)
        let xTicks = AxisTicks.ticks(scale: x.scale, domain: xDomain, target: 7)
        let yTicks = AxisTicks.ticks(scale: y.scale, domain: yDomain, target: 6)

        let yLabelWidth = yTicks.compactMap { $0.label?.estimatedWidth(fontSize: PlotLayout.fontSize) }.max() ?? 10
        let legendWidth = legendEntries.isEmpty ? 0 : min(width * 0.34, legendTextWidth + 44)
        let left = 34 + yLabelWidth + 10
        let top = title.isEmpty ? 16.0 : 38.0
        let bottom = 56.0
        let right = 16 + legendWidth
        let area = PixelRect(x: left, y: top, width: max(width - left - right, 40), height: max(height - top - bottom, 40))
        return PlotLayout(width: width, height: height, plotArea: area, xScale: x.scale, yScale: y.scale,
                          xDomain: xDomain, yDomain: yDomain, xTicks: xTicks, yTicks: yTicks, legendWidth: legendWidth)
    }

    /// Indices of the series shown in the legend.
    var legendEntries: [Int] { series.indices.filter { !series[$0].name.isEmpty } }

    var legendTextWidth: Double {
        let names = legendEntries.map { series[$0].name } + [legendTitle ?? ""]
        return Double(names.map(\.count).max() ?? 0) * 0.58 * PlotLayout.legendFontSize
    }

    /// Data domain in transformed space. A fixed range wins when it is valid on the scale.
    static func domain(axis: Axis, values: [Double]) -> ClosedRange<Double> {
        if let fixed = axis.range, let lo = axis.scale.transform(fixed.lowerBound),
           let hi = axis.scale.transform(fixed.upperBound), hi > lo {
            return lo...hi
        }
        guard let lo = values.min(), let hi = values.max() else {
            return 0...1 // no data: 0..1 on a linear axis, 1..10 on a log axis
        }
        if hi - lo < 1e-12 * max(1, abs(lo)) {
            let pad = axis.scale == .log10 ? 0.5 : max(abs(lo) * 0.1, 0.5)
            return (lo - pad)...(hi + pad)
        }
        let pad = 0.05 * (hi - lo)
        return (lo - pad)...(hi + pad)
    }
}
