import Foundation
import Laws

/// The fitted rows of a Multi-Power Law fit (Luo et al. 2025), prepared once: per row its loss,
/// forward area S1(t) and the blocks of its drop term (`MultiPowerDrops`), flattened so an
/// evaluation of the law and its gradient at all rows is one pass over plain arrays.
struct MultiPowerRows: Sendable {
    var losses: [Double] = []
    var s1: [Double] = []
    /// Row i's blocks are entries rowStart[i] ..< rowStart[i + 1].
    var rowStart: [Int] = [0]
    var drop: [Double] = []
    /// S1(t) - P-bar of the block (the LR area since the block's drops).
    var distance: [Double] = []
    var meanLogRate: [Double] = []
    /// Curve index of each row.
    var curve: [Int] = []
    /// Square root of each row's weight in the objective (`MultiPowerFit.Options.rowWeightPower`).
    var rootWeight: [Double] = []
    /// 0-based step of each row.
    var step: [Double] = []

    var count: Int { losses.count }

    /// Adds `steps` (0-based) of a schedule with `losses`.
    mutating func append(drops: MultiPowerDrops, steps: [Int], losses rowLosses: [Double], curve c: Int) {
        for (t, y) in zip(steps, rowLosses) {
            let st = drops.cumulative[t]
            losses.append(y)
            s1.append(st)
            curve.append(c)
            rootWeight.append(1)
            step.append(Double(t))
            drops.forEachBlock(upTo: t) { d, meanP, l in
                drop.append(d)
                distance.append(max(st - meanP, 0))
                meanLogRate.append(l)
            }
            rowStart.append(drop.count)
        }
    }

    /// The law and, if `jacobian` is given, d L / d theta (theta = fitting coordinates, see
    /// `MultiPowerLaw.theta(from:)`) at row i into jacobian[k * stride + i]... through `grad`.
    @inline(__always)
    func evaluate(_ theta: UnsafePointer<Double>, row i: Int, grad: UnsafeMutablePointer<Double>?) -> Double {
        let l0 = theta[0]
        let a = MultiPowerLaw.expCapped(theta[1]), alpha = MultiPowerLaw.expCapped(theta[2])
        let b = MultiPowerLaw.expCapped(theta[3]), c = MultiPowerLaw.expCapped(theta[4])
        let beta = MultiPowerLaw.expCapped(theta[5]), gamma = MultiPowerLaw.expCapped(theta[6])
        let logS1 = Foundation.log(s1[i])
        let power = a * Foundation.exp(min(-alpha * logS1, 700))
        var sumG = 0.0, sumQ = 0.0, sumPL = 0.0, sumQL = 0.0
        drop.withUnsafeBufferPointer { dp in
            distance.withUnsafeBufferPointer { sp in
                meanLogRate.withUnsafeBufferPointer { lp in
                    for e in rowStart[i]..<rowStart[i + 1] {
                        let d = dp[e], l = lp[e]
                        let x = c * Foundation.exp(min(-gamma * l, 700)) * sp[e]
                        let lx = Foundation.log1p(x)
                        let p = Foundation.exp(-beta * lx)
                        sumG += d * (1 - p)
                        if grad != nil {
                            // q = x dG/dx = beta x (1 + x)^(-beta - 1)
                            let q = beta * p * (x / (1 + x))
                            sumQ += d * q
                            sumPL += d * p * lx
                            sumQL += d * q * l
                        }
                    }
                }
            }
        }
        if let grad {
            grad[0] = 1
            grad[1] = power
            grad[2] = -alpha * power * logS1
            grad[3] = -b * sumG
            grad[4] = -b * sumQ
            grad[5] = -b * beta * sumPL
            grad[6] = b * gamma * sumQL
        }
        return l0 + power - b * sumG
    }

    /// Weight of each row: the span of steps it stands for, (t_{i+1} - t_{i-1}) / 2, times t^-q,
    /// normalised to mean 1 per curve (times n_mean / n_c with `equalCurves`).
    func weights(power q: Double, equalCurves: Bool) -> [Double] {
        var w = [Double](repeating: 1, count: count)
        guard q != 0 || equalCurves else { return w }
        let curves = Set(curve).sorted()
        let meanCount = Double(count) / Double(max(curves.count, 1))
        for c in curves {
            let idx = curve.indices.filter { curve[$0] == c }
            let t = idx.map { step[$0] }
            var raw = [Double](repeating: 1, count: idx.count)
            for k in idx.indices {
                let lo = k > 0 ? t[k - 1] : t[k], hi = k + 1 < idx.count ? t[k + 1] : t[k]
                let span = idx.count > 1 ? max(hi - lo, 1) / (k > 0 && k + 1 < idx.count ? 2 : 1) : 1
                raw[k] = span * Foundation.pow(max(t[k], 1), -q)
            }
            let mean = raw.reduce(0, +) / Double(raw.count)
            let factor = equalCurves ? meanCount / Double(idx.count) : 1
            for (k, i) in idx.enumerated() { w[i] = mean > 0 ? raw[k] / mean * factor : 1 }
        }
        return w
    }
}
