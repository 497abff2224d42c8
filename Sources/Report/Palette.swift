/// Fixed colours for plot series.
///
/// Categorical series use the Okabe and Ito (2008, "Color Universal Design") palette, which stays
/// distinguishable under the common forms of colour-vision deficiency; it is reordered so the
/// colours with most contrast on white come first and yellow comes last. Ordered series (one per
/// model size, per compute budget, per layer) use a sequential map sampled from viridis
/// (van der Walt and Smith, matplotlib), which is perceptually uniform and monotone in lightness,
/// so "bigger" reads as "lighter" even in greyscale.
public enum Palette {
    public static let categorical: [Color] = [
        Color(hex: 0x0072B2), // blue
        Color(hex: 0xD55E00), // vermillion
        Color(hex: 0x009E73), // bluish green
        Color(hex: 0xCC79A7), // reddish purple
        Color(hex: 0xE69F00), // orange
        Color(hex: 0x56B4E9), // sky blue
        Color(hex: 0x000000), // black
        Color(hex: 0xF0E442), // yellow
    ]

    /// The i-th categorical colour, cycling.
    public static func categorical(_ index: Int) -> Color {
        categorical[((index % categorical.count) + categorical.count) % categorical.count]
    }

    /// Viridis at ten evenly spaced positions t = 0, 1/9, ..., 1 (as sampled by matplotlib).
    static let viridisAnchors: [Color] = [
        0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89,
        0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725,
    ].map { Color(hex: $0) }

    /// The sequential map at t in [0, 1] (clamped), linearly interpolated between anchors.
    public static func sequential(_ t: Double) -> Color {
        let clamped = t.isFinite ? t.clamped(to: 0...1) : 0
        let scaled = clamped * Double(viridisAnchors.count - 1)
        let i = min(Int(scaled), viridisAnchors.count - 2)
        return viridisAnchors[i].mixed(with: viridisAnchors[i + 1], scaled - Double(i))
    }

    /// `count` colours from the sequential map, spread over t in [0, 0.85]: the bright yellow end
    /// of viridis is skipped because thin lines in it vanish on a white background.
    public static func sequential(count: Int) -> [Color] {
        guard count > 1 else { return count == 1 ? [sequential(0.0)] : [] }
        return (0..<count).map { sequential(0.85 * Double($0) / Double(count - 1)) }
    }
}
