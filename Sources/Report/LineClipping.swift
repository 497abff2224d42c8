/// Liang-Barsky clipping of a segment to a rectangle: the visible part of a->b, or nil.
/// Lines are clipped geometrically (rather than with an SVG clipPath) so that several plots
/// inlined in one HTML page never share element ids.
func clipSegment(_ a: PlotPoint, _ b: PlotPoint, to r: PixelRect) -> (PlotPoint, PlotPoint)? {
    let dx = b.x - a.x, dy = b.y - a.y
    var t0 = 0.0, t1 = 1.0
    let checks = [(-dx, a.x - r.x), (dx, r.maxX - a.x), (-dy, a.y - r.y), (dy, r.maxY - a.y)]
    for (p, q) in checks {
        if p == 0 {
            if q < 0 { return nil }
        } else {
            let t = q / p
            if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return nil }
        }
    }
    return (PlotPoint(a.x + t0 * dx, a.y + t0 * dy), PlotPoint(a.x + t1 * dx, a.y + t1 * dy))
}

/// The visible runs of a polyline through `pixels` (nil entries break the line: points that
/// cannot be placed, such as NaN or non-positive values on a log axis).
func clippedRuns(_ pixels: [PlotPoint?], to r: PixelRect) -> [[PlotPoint]] {
    var runs: [[PlotPoint]] = []
    var current: [PlotPoint] = []
    func close() {
        if current.count >= 2 { runs.append(current) }
        current = []
    }
    for i in pixels.indices.dropFirst() {
        guard let a = pixels[i - 1], let b = pixels[i], let (ca, cb) = clipSegment(a, b, to: r) else {
            close()
            continue
        }
        if let last = current.last, abs(last.x - ca.x) < 1e-6, abs(last.y - ca.y) < 1e-6 {
            current.append(cb)
        } else {
            close()
            current = [ca, cb]
        }
    }
    close()
    return runs
}
