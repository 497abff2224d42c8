import Foundation

/// One iso-compute profile (loss against model size at one compute budget) and the estimate of
/// its minimum from the points near it.
///
/// Why local: a parabola in log N describes a profile only near its minimum. Far from it the
/// loss of the Chinchilla form is a sum of two exponentials in log N (A e^(-alpha x) on the small
/// side, B' e^(beta x) on the large side), so a parabola through every point of a profile sampled
/// further out on one side is dragged toward that side. Porian et al. 2024 ("Resolving
/// Discrepancies in Compute-Optimal Scaling of Language Models", Section 2 and Appendix) estimate
/// each minimum from the points around the lowest loss only, and drop budgets whose lowest loss is
/// at an end of the sampled sizes (no interior minimum: the optimum may lie beyond them).
///
/// How:
/// 1. Rows with the same N (seeds) are averaged; each averaged point carries its row count as the
///    weight of its squared error.
/// 2. The discrete minimum is the size with the lowest mean loss; it must not be the smallest or
///    the largest size.
/// 3. The window is the discrete minimum and every size within h of it in log N, h the larger
///    of the two gaps to its neighbours (so it always holds both neighbours, and on an uneven grid
///    also any closer point). A weighted parabola in log N through the window gives the vertex.
/// 4. D at the vertex is read off the profile itself (log D linear in log N over the window), not
///    from C / (6 N): a sweep splits C with the non-embedding N, so with total N counted the
///    profile's D is not C / (6 N) for the N the fit uses.
struct IsoFLOPProfile {
    /// Distinct model sizes in increasing order: log N, mean loss, number of rows, mean log D.
    let logN: [Double]
    let loss: [Double]
    let weight: [Double]
    let logD: [Double]
    /// Rows before averaging.
    let rows: Int

    struct Failure: Error {
        let message: String
    }

    init(_ points: [IsoFLOPPoint]) {
        var bySize: [Double: (loss: Double, logD: Double, count: Double)] = [:]
        for p in points {
            let s = bySize[p.N] ?? (0, 0, 0)
            bySize[p.N] = (s.loss + p.loss, s.logD + log(p.D), s.count + 1)
        }
        let sizes = bySize.keys.sorted()
        logN = sizes.map { log($0) }
        loss = sizes.map { bySize[$0]!.loss / bySize[$0]!.count }
        weight = sizes.map { bySize[$0]!.count }
        logD = sizes.map { bySize[$0]!.logD / bySize[$0]!.count }
        rows = points.count
    }

    /// The profile's minimum at budget `compute`, or why there is none.
    func minimum(compute: Double) -> Result<IsoFLOPGroupMinimum, Failure> {
        let m = logN.count
        guard m >= 3 else { return .failure(Failure(message: "\(m) distinct model sizes (need 3)")) }
        guard let k = loss.indices.min(by: { loss[$0] < loss[$1] }) else {
            return .failure(Failure(message: "no points"))
        }
        if k == 0 || k == m - 1 {
            let end = k == 0 ? "smallest" : "largest"
            return .failure(Failure(message: "no interior minimum: the lowest loss is at the \(end) model "
                                    + "(N = \(formatSize(exp(logN[k])))); train \(end == "smallest" ? "smaller" : "larger") models at this budget"))
        }
        let h = max(logN[k] - logN[k - 1], logN[k + 1] - logN[k]) * (1 + 1e-9)
        let window = logN.indices.filter { abs(logN[$0] - logN[k]) <= h }
        let centre = logN[k]
        let xs = window.map { logN[$0] - centre }
        guard let c = Polynomial.leastSquares(x: xs, y: window.map { loss[$0] }, degree: 2,
                                              weights: window.map { weight[$0] }),
              c.allSatisfy(\.isFinite)
        else { return .failure(Failure(message: "singular parabola fit near the minimum")) }
        guard c[2] > 0 else { return .failure(Failure(message: "flat profile near the minimum (no curvature)")) }
        let xStar = -c[1] / (2 * c[2])
        let lo = xs.min() ?? 0, hi = xs.max() ?? 0
        // log D along the profile, linear in log N over the window (exact when D = C / (6 N)).
        let line = Polynomial.leastSquares(x: xs, y: window.map { logD[$0] }, degree: 1) ?? [.nan, .nan]
        let n = exp(centre + xStar)
        return .success(IsoFLOPGroupMinimum(
            compute: compute, N: n, D: exp(line[0] + line[1] * xStar), loss: c[0] + c[1] * xStar + c[2] * xStar * xStar,
            points: rows, curvature: c[2], coefficients: c, centre: centre,
            withinSampledRange: xStar >= lo && xStar <= hi, window: exp(centre + lo)...exp(centre + hi),
            windowPoints: window.count))
    }
}

/// "1.2e+05" style, for messages.
func formatSize(_ v: Double) -> String { String(format: "%.3g", v) }
