/// A data point in plot (data) coordinates.
public struct PlotPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// How a series is drawn.
public enum SeriesKind: Sendable, Equatable {
    /// Solid line through the points in order (measurements, e.g. a loss curve).
    case line
    /// Solid line with a marker at each point (sparse measurements, e.g. per-checkpoint metrics).
    case lineWithMarkers
    /// Markers only (e.g. one final loss per run).
    case scatter
    /// Dashed line: fitted curves and extrapolations, so they never pass for data.
    case dashed
}

public enum MarkerShape: Sendable, Equatable {
    case circle, square, diamond
}

/// One named set of points drawn one way in one colour.
public struct Series: Sendable {
    /// Legend text; an empty name keeps the series out of the legend.
    public var name: String
    public var points: [PlotPoint]
    public var kind: SeriesKind
    /// nil: the categorical palette colour for the series' index in the plot.
    public var color: Color?
    public var marker: MarkerShape
    public var markerRadius: Double
    public var lineWidth: Double

    public init(_ name: String, points: [PlotPoint], kind: SeriesKind = .line, color: Color? = nil,
                marker: MarkerShape = .circle, markerRadius: Double = 3.5, lineWidth: Double = 1.8) {
        self.name = name
        self.points = points
        self.kind = kind
        self.color = color
        self.marker = marker
        self.markerRadius = markerRadius
        self.lineWidth = lineWidth
    }

    /// From parallel coordinate arrays (extra elements of the longer one are ignored).
    public init(_ name: String, x: [Double], y: [Double], kind: SeriesKind = .line, color: Color? = nil,
                marker: MarkerShape = .circle, markerRadius: Double = 3.5, lineWidth: Double = 1.8) {
        self.init(name, points: zip(x, y).map { PlotPoint($0, $1) }, kind: kind, color: color,
                  marker: marker, markerRadius: markerRadius, lineWidth: lineWidth)
    }
}

/// A full-width or full-height line at a data value (e.g. the largest trained model, a target loss).
public struct ReferenceLine: Sendable {
    public enum Orientation: Sendable, Equatable { case vertical, horizontal }
    public var orientation: Orientation
    public var value: Double
    public var label: String
    public var color: Color

    public init(_ orientation: Orientation, at value: Double, label: String = "", color: Color = .gray) {
        self.orientation = orientation
        self.value = value
        self.label = label
        self.color = color
    }
}

/// Text placed at a data position.
public struct Annotation: Sendable {
    public enum Anchor: String, Sendable { case start, middle, end }
    public var x: Double
    public var y: Double
    public var text: String
    public var anchor: Anchor
    public var color: Color

    public init(x: Double, y: Double, text: String, anchor: Anchor = .start, color: Color = .black) {
        self.x = x
        self.y = y
        self.text = text
        self.anchor = anchor
        self.color = color
    }
}

/// A 2-D chart as a value: axes (with units and scales), series, reference lines, annotations.
/// `svg()` renders it without any dependency; `layout()` exposes the data-to-pixel mapping.
public struct Plot: Sendable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var referenceLines: [ReferenceLine]
    public var annotations: [Annotation]
    /// Optional heading above the legend entries (e.g. "Parameters").
    public var legendTitle: String?
    public var width: Double
    public var height: Double

    public init(title: String, x: Axis, y: Axis, series: [Series] = [], referenceLines: [ReferenceLine] = [],
                annotations: [Annotation] = [], legendTitle: String? = nil, width: Double = 720, height: Double = 440) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.referenceLines = referenceLines
        self.annotations = annotations
        self.legendTitle = legendTitle
        self.width = width
        self.height = height
    }

    /// The colour series `index` is drawn in.
    public func color(ofSeries index: Int) -> Color {
        series[index].color ?? Palette.categorical(index)
    }
}
