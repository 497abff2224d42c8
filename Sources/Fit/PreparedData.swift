import Laws

/// Observations prepared once per solve (`ScalingLaw.prepare`), stored two ways: by row (row i is
/// x[i * width ..< (i + 1) * width]) for the per-observation calls, and by column (input j of
/// observation i at columns[j * count + i]) for the law's vectorised pass over all observations.
struct PreparedData {
    let x: [Double]
    let columns: [Double]
    let y: [Double]
    let width: Int
    var count: Int { y.count }

    init<L: ScalingLaw>(_ law: L, _ data: Dataset) {
        let w = law.preparedWidth, n = data.count
        var x = [Double](repeating: 0, count: n * w)
        var y = [Double](repeating: 0, count: n)
        x.withUnsafeMutableBufferPointer { buf in
            for i in 0..<n { y[i] = law.prepare(data.x[i], data.y[i], into: buf.baseAddress! + i * w) }
        }
        var columns = [Double](repeating: 0, count: n * w)
        for i in 0..<n { for j in 0..<w { columns[j * n + i] = x[i * w + j] } }
        self.x = x
        self.columns = columns
        self.y = y
        width = w
    }
}
