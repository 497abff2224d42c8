import Foundation
import Testing
@testable import Report

@Suite struct PlotTests {
    func logLog(_ points: [PlotPoint], kind: SeriesKind = .scatter) -> Plot {
        Plot(title: "t", x: Axis("Tokens", unit: "tokens", scale: .log10, range: 1...100),
             y: Axis("Loss", unit: "nats/token", scale: .log10, range: 1...100),
             series: [Series("s", points: points, kind: kind)])
    }

    @Test func logAxisPutsGeometricMidpointAtPixelMidpoint() throws {
        let layout = logLog([]).layout()
        let a = layout.plotArea
        let p = try #require(layout.pixel(PlotPoint(10, 10)))
        #expect(abs(p.x - (a.x + a.width / 2)) < 1e-9)
        #expect(abs(p.y - (a.y + a.height / 2)) < 1e-9)
        // Ends of the fixed range land on the plot-area edges (y grows downwards in SVG).
        #expect(try abs(#require(layout.pixelX(1)) - a.x) < 1e-9)
        #expect(try abs(#require(layout.pixelX(100)) - a.maxX) < 1e-9)
        #expect(try abs(#require(layout.pixelY(100)) - a.y) < 1e-9)
        // 10^0.5 is a quarter of the way on a 1..100 log axis.
        #expect(try abs(#require(layout.pixelX(10.0.squareRoot())) - (a.x + a.width / 4)) < 1e-9)
        #expect(layout.pixelX(0) == nil && layout.pixelX(-3) == nil && layout.pixelX(.nan) == nil)
    }

    @Test func linearAxisMapsProportionally() throws {
        let plot = Plot(title: "", x: Axis("Step", unit: "steps", range: 0...10), y: Axis("v", unit: "", range: -1...1))
        let layout = plot.layout()
        let a = layout.plotArea
        #expect(try abs(#require(layout.pixelX(2.5)) - (a.x + 0.25 * a.width)) < 1e-9)
        #expect(try abs(#require(layout.pixelY(0)) - (a.y + 0.5 * a.height)) < 1e-9)
    }

    @Test func logTicksSitAtDecadesWithMinorTicksBetween() {
        let ticks = AxisTicks.ticks(scale: .log10, domain: 0...4)
        let labelled = ticks.filter { $0.label != nil }
        #expect(labelled.map(\.value) == [1, 10, 100, 1000, 10000])
        #expect(labelled.allSatisfy { $0.isMajor })
        #expect(labelled.map { $0.label!.plainText } == ["1", "10", "100", "1000", "10000"])
        let minor = ticks.filter { !$0.isMajor }.map(\.value)
        #expect(minor.count == 4 * 8)
        #expect(minor.contains { abs($0 - 20) < 1e-9 } && minor.contains { abs($0 - 9000) < 1e-6 })

        // Big decades use 10^k labels.
        let big = AxisTicks.ticks(scale: .log10, domain: 5.8...9.2).filter { $0.label != nil }
        #expect(big.map { $0.label!.plainText } == ["10^6", "10^7", "10^8", "10^9"])
    }

    @Test func narrowLogRangeStillGetsSeveralLabels() {
        // A loss axis from 2.2 to 6: no decade inside, labels fall back to minor multiples.
        let ticks = AxisTicks.ticks(scale: .log10, domain: log10(2.2)...log10(6.0))
        let labels = ticks.compactMap { $0.label?.plainText }
        #expect(labels.count >= 3)
        #expect(labels == ["3", "4", "5", "6"])
        // Two decades: decades plus the 2 and 5 multiples.
        let mid = AxisTicks.ticks(scale: .log10, domain: log10(3.0)...log10(300.0)).compactMap { $0.label?.plainText }
        #expect(mid == ["5", "10", "20", "50", "100", "200"])
    }

    @Test func linearTicksAreNice() {
        let ticks = AxisTicks.ticks(scale: .linear, domain: -0.03...1.04, target: 6)
        #expect(ticks.map(\.value).enumerated().allSatisfy { abs($0.element - 0.2 * Double($0.offset)) < 1e-12 })
        #expect(ticks.map { $0.label!.plainText } == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(AxisTicks.niceStep(span: 1.07, intervals: 2) == 0.5)
        #expect(AxisTicks.niceStep(span: 900, intervals: 5) == 200)
        // Large values get scientific labels rather than long digit strings.
        let big = AxisTicks.ticks(scale: .linear, domain: 0...3e6, target: 4).compactMap { $0.label?.plainText }
        #expect(big == ["0", "10^6", "2×10^6", "3×10^6"])
    }

    @Test func unplottablePointsAreSkippedNotFatal() throws {
        let points = [PlotPoint(2, 3), PlotPoint(.nan, 4), PlotPoint(5, .infinity), PlotPoint(-1, 5),
                      PlotPoint(4, 0), PlotPoint(50, 60)]
        let plot = Plot(title: "skip", x: Axis("x", unit: "u", scale: .log10), y: Axis("y", unit: "u", scale: .log10),
                        series: [Series("data", points: points, kind: .scatter)])
        let svg = plot.svg()
        #expect(occurrences(of: "<circle", in: svg) == 2 + 1) // two valid points + the legend swatch
        // Automatic ranges come from the valid points only: 2..50 and 3..60 padded by 5% in log space.
        let layout = plot.layout()
        let span = log10(50.0) - log10(2.0)
        #expect(abs(layout.xDomain.lowerBound - (log10(2.0) - 0.05 * span)) < 1e-12)
        #expect(abs(layout.xDomain.upperBound - (log10(50.0) + 0.05 * span)) < 1e-12)
        // A line through the same points breaks at the bad ones instead of failing.
        _ = try #require(parseXML(logLog(points, kind: .line).svg()))
        // No valid data at all still renders an empty frame.
        let empty = Plot(title: "none", x: Axis("x", unit: "", scale: .log10), y: Axis("y", unit: ""),
                         series: [Series("nan", points: [PlotPoint(.nan, .nan)])])
        #expect(parseXML(empty.svg()) != nil)
    }

    @Test func svgIsWellFormedAndEscapesText() throws {
        var plot = logLog([PlotPoint(3, 4), PlotPoint(30, 20)], kind: .lineWithMarkers)
        plot.title = "Loss <fit> & \"data\""
        plot.series.append(Series("fit: L = E + A/N^α", points: [PlotPoint(1, 90), PlotPoint(100, 2)], kind: .dashed))
        plot.referenceLines = [ReferenceLine(.vertical, at: 20, label: "largest <run>")]
        plot.annotations = [Annotation(x: 5, y: 50, text: "a & b")]
        let svg = plot.svg()
        let names = try #require(parseXML(svg))
        #expect(names.first == "svg")
        #expect(names.filter { $0 == "svg" }.count == 1)
        #expect(svg.contains("Loss &lt;fit&gt; &amp; &quot;data&quot;"))
        #expect(svg.contains("largest &lt;run&gt;") && svg.contains("a &amp; b"))
        #expect(svg.contains("stroke-dasharray=\"7 4\""))
        #expect(svg.contains("Tokens [tokens]") && svg.contains("Loss [nats/token]"))
    }

    @Test func linesAreClippedToThePlotArea() throws {
        // A line leaving a fixed 1..100 range must not be drawn outside the plot area.
        let plot = logLog([PlotPoint(2, 2), PlotPoint(1000, 1000)], kind: .line)
        let a = plot.layout().plotArea
        let runs = clippedRuns(plot.series[0].points.map { plot.layout().pixel($0) }, to: a)
        let run = try #require(runs.first)
        #expect(runs.count == 1 && run.count == 2)
        #expect(abs(run[1].x - a.maxX) < 1e-9 && abs(run[1].y - a.y) < 1e-9)
    }

    @Test func sequentialPaletteRunsDarkToLight() {
        let colors = Palette.sequential(count: 5)
        #expect(colors.count == 5 && Set(colors).count == 5)
        #expect(colors.first == Color(hex: 0x440154))
        let lightness = colors.map { 0.299 * Double($0.red) + 0.587 * Double($0.green) + 0.114 * Double($0.blue) }
        #expect(zip(lightness, lightness.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Palette.categorical(8) == Palette.categorical(0))
    }
}
