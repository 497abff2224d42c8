extension Plot {
    /// The plot as a standalone SVG document (also valid inline in HTML). Points that cannot be
    /// placed (non-finite, or <= 0 on a log axis) are skipped; lines break at them and are clipped
    /// to the plot area.
    public func svg() -> String {
        let layout = layout()
        var w = SvgWriter()
        let area = layout.plotArea
        w.rect(PixelRect(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        if !title.isEmpty {
            w.text(title, at: PlotPoint(area.x + area.width / 2, 24), size: 15, anchor: "middle", weight: "bold")
        }
        drawGridAndTicks(&w, layout)
        drawReferenceLines(&w, layout)
        drawSeries(&w, layout)
        drawAnnotations(&w, layout)
        drawLegend(&w, layout)
        return w.document(width: width, height: height, title: title)
    }

    private func drawGridAndTicks(_ w: inout SvgWriter, _ l: PlotLayout) {
        let a = l.plotArea
        let fs = PlotLayout.fontSize
        for tick in l.xTicks {
            guard let px = l.pixelX(tick.value), px >= a.x - 0.5, px <= a.maxX + 0.5 else { continue }
            if tick.isMajor {
                w.line(PlotPoint(px, a.y), PlotPoint(px, a.maxY), stroke: "#e4e4e4")
            }
            w.line(PlotPoint(px, a.maxY), PlotPoint(px, a.maxY + (tick.isMajor ? 6 : 3)), stroke: "#444444")
            if let label = tick.label {
                w.text(label.base, at: PlotPoint(px, a.maxY + 8 + fs), size: fs, anchor: "middle", exponent: label.exponent)
            }
        }
        for tick in l.yTicks {
            guard let py = l.pixelY(tick.value), py >= a.y - 0.5, py <= a.maxY + 0.5 else { continue }
            if tick.isMajor {
                w.line(PlotPoint(a.x, py), PlotPoint(a.maxX, py), stroke: "#e4e4e4")
            }
            w.line(PlotPoint(a.x - (tick.isMajor ? 6 : 3), py), PlotPoint(a.x, py), stroke: "#444444")
            if let label = tick.label {
                let shift = 0.45 * 0.75 * fs * Double(label.exponent?.count ?? 0)
                w.text(label.base, at: PlotPoint(a.x - 9 - shift, py + fs * 0.35), size: fs, anchor: "end", exponent: label.exponent)
            }
        }
        w.raw("<rect x=\"\(SvgWriter.num(a.x))\" y=\"\(SvgWriter.num(a.y))\" width=\"\(SvgWriter.num(a.width))\" height=\"\(SvgWriter.num(a.height))\" fill=\"none\" stroke=\"#444444\"/>")
        w.text(x.title, at: PlotPoint(a.x + a.width / 2, a.maxY + 44), size: 13, anchor: "middle")
        w.text(y.title, at: PlotPoint(16, a.y + a.height / 2), size: 13, anchor: "middle", rotate: -90)
    }

    private func drawReferenceLines(_ w: inout SvgWriter, _ l: PlotLayout) {
        let a = l.plotArea
        for ref in referenceLines {
            let color = ref.color.hexString
            switch ref.orientation {
            case .vertical:
                guard let px = l.pixelX(ref.value), px >= a.x, px <= a.maxX else { continue }
                w.line(PlotPoint(px, a.y), PlotPoint(px, a.maxY), stroke: color, width: 1.2, dash: "2 3")
                if !ref.label.isEmpty {
                    w.text(ref.label, at: PlotPoint(px - 4, a.y + 6), size: 11, anchor: "end", fill: color, rotate: -90)
                }
            case .horizontal:
                guard let py = l.pixelY(ref.value), py >= a.y, py <= a.maxY else { continue }
                w.line(PlotPoint(a.x, py), PlotPoint(a.maxX, py), stroke: color, width: 1.2, dash: "2 3")
                if !ref.label.isEmpty {
                    w.text(ref.label, at: PlotPoint(a.x + 6, py - 4), size: 11, fill: color)
                }
            }
        }
    }

    static func dash(for kind: SeriesKind) -> String? { kind == .dashed ? "7 4" : nil }

    private func drawSeries(_ w: inout SvgWriter, _ l: PlotLayout) {
        // Lines first, markers on top so no line hides a measurement.
        for (i, s) in series.enumerated() where s.kind != .scatter {
            let pixels = s.points.map { l.pixel($0) }
            w.path(runs: clippedRuns(pixels, to: l.plotArea), stroke: color(ofSeries: i).hexString,
                   width: s.lineWidth, dash: Self.dash(for: s.kind))
        }
        for (i, s) in series.enumerated() where s.kind == .scatter || s.kind == .lineWithMarkers {
            let fill = color(ofSeries: i).hexString
            for p in s.points {
                guard let px = l.pixel(p), l.contains(px) else { continue }
                w.marker(s.marker, at: px, radius: s.markerRadius, fill: fill)
            }
        }
    }

    private func drawAnnotations(_ w: inout SvgWriter, _ l: PlotLayout) {
        for note in annotations {
            guard let px = l.pixel(PlotPoint(note.x, note.y)), l.contains(px) else { continue }
            w.text(note.text, at: px, size: 11, anchor: note.anchor.rawValue, fill: note.color.hexString)
        }
    }

    private func drawLegend(_ w: inout SvgWriter, _ l: PlotLayout) {
        let entries = legendEntries
        guard !entries.isEmpty else { return }
        let fs = PlotLayout.legendFontSize
        let rowHeight = fs + 5
        let x0 = l.plotArea.maxX + 14
        var y = l.plotArea.y + fs
        let maxChars = max(4, Int((l.legendWidth - 40) / (0.58 * fs)))
        if let heading = legendTitle, !heading.isEmpty {
            w.text(truncated(heading, maxChars + 4), at: PlotPoint(x0, y), size: fs, weight: "bold")
            y += rowHeight
        }
        let capacity = max(1, Int((l.plotArea.maxY - y) / rowHeight) + 1)
        let shown = entries.count > capacity ? Array(entries.prefix(capacity - 1)) : entries
        for i in shown {
            let s = series[i]
            let color = color(ofSeries: i).hexString
            let mid = PlotPoint(x0 + 11, y - fs * 0.35)
            if s.kind != .scatter {
                w.line(PlotPoint(x0, mid.y), PlotPoint(x0 + 22, mid.y), stroke: color, width: s.lineWidth, dash: Self.dash(for: s.kind))
            }
            if s.kind == .scatter || s.kind == .lineWithMarkers {
                w.marker(s.marker, at: mid, radius: min(s.markerRadius, 4.5), fill: color)
            }
            w.text(truncated(s.name, maxChars), at: PlotPoint(x0 + 28, y), size: fs)
            y += rowHeight
        }
        if shown.count < entries.count {
            w.text("+ \(entries.count - shown.count) more", at: PlotPoint(x0 + 28, y), size: fs, fill: "#666666")
        }
    }

    private func truncated(_ s: String, _ maxChars: Int) -> String {
        s.count <= maxChars ? s : String(s.prefix(maxChars - 1)) + "…"
    }
}
