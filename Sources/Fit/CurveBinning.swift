/// Averaging of densely logged loss curves before a curve-law fit (`MultiPowerFit`, `AnnealingFit`): a train loss
/// logged every step makes the fit's cost grow with the rows, and the mean of a bin of consecutive
/// rows is a less noisy row at the bin's mean step (the law is smooth over a bin: second-order error).
enum CurveBinning {
    /// At most `limit` rows: bins of consecutive rows of (nearly) equal count, each the mean step
    /// (rounded) and mean loss of its rows; the rows unchanged when there are at most `limit`.
    static func binned(steps: [Int], losses: [Double], limit: Int) -> ([Int], [Double]) {
        let n = steps.count
        guard n > limit, limit >= 1 else { return (steps, losses) }
        var outSteps: [Int] = [], outLosses: [Double] = []
        for b in 0..<limit {
            let lo = b * n / limit, hi = (b + 1) * n / limit
            guard hi > lo else { continue }
            let count = Double(hi - lo)
            outSteps.append(Int((Double(steps[lo..<hi].reduce(0, +)) / count).rounded()))
            outLosses.append(losses[lo..<hi].reduce(0, +) / count)
        }
        return (outSteps, outLosses)
    }
}
