/// The bootstrap every fit shares: a resampling plan per replicate drawn up front from one seed
/// (so results do not depend on how refits are scheduled over threads), a refit per plan, and
/// percentile intervals only when they mean what a 95% interval means.
///
/// What is resampled is the caller's choice (`Resampling` has the plans: rows, whole clusters such
/// as runs, points within fixed groups such as IsoFLOP levels; `CurveResampling` builds new loss
/// curves from a fit's residuals); this type only runs the replicates and summarises them, so
/// every law reports converged counts and withholds intervals the same way.
public enum Bootstrap {
    /// Fewer converged refits than this give no interval: the 2.5% and 97.5% quantiles of a
    /// handful of samples are the extreme samples themselves.
    public static let minimumConverged = 20

    /// Draws `resamples` plans with `plan` (sequentially, from `seed`), then runs `refit` on each
    /// (in parallel when `parallel`); a nil refit did not converge.
    public static func run<Plan>(resamples: Int, seed: UInt64, parallel: Bool = true,
                                 plan: (inout ResampleRNG) -> Plan,
                                 refit: (Plan) -> [Double]?) -> BootstrapSamples {
        var rng = ResampleRNG(seed: seed)
        let plans = (0..<resamples).map { _ in plan(&rng) }
        let refits = parallel ? parallelMap(plans.count) { refit(plans[$0]) } : plans.map(refit)
        return BootstrapSamples(samples: refits.compactMap { $0 }, total: resamples)
    }
}

/// The converged refits of a bootstrap, and the intervals they support.
public struct BootstrapSamples: Sendable {
    /// One vector per converged refit, in resample order.
    public var samples: [[Double]]
    /// Resamples drawn.
    public var total: Int

    public init(samples: [[Double]], total: Int) {
        self.samples = samples
        self.total = total
    }

    public var converged: Int { samples.count }

    /// True when there are enough converged refits for intervals.
    public var supportsIntervals: Bool { converged >= Bootstrap.minimumConverged }

    /// Percentile interval of column `k` of `values(sample)` for each sample, or nil when fewer than
    /// `Bootstrap.minimumConverged` refits converged or fewer than that many values are finite.
    public func interval(_ value: ([Double]) -> Double, confidence: Double = 0.95) -> ClosedRange<Double>? {
        guard supportsIntervals else { return nil }
        let v = samples.map(value).filter(\.isFinite)
        guard v.count >= Bootstrap.minimumConverged else { return nil }
        return Percentile.interval(v, confidence: confidence)
    }

    /// Intervals for every column, each kept only when the point estimate lies strictly inside it
    /// (a percentile interval that does not contain its own estimate says the bootstrap
    /// distribution is shifted or piled up at a bound, so it is not a 95% interval of anything).
    /// Returns the intervals and one note per withheld one.
    public func intervals(estimates: [Double], names: [String], confidence: Double = 0.95)
        -> (intervals: [ClosedRange<Double>?], notes: [String]) {
        guard supportsIntervals else { return (estimates.map { _ in nil }, [shortfallNote]) }
        var notes: [String] = []
        let ivs: [ClosedRange<Double>?] = estimates.indices.map { k in
            guard let iv = interval({ $0[k] }, confidence: confidence) else {
                notes.append("\(names[k]): too few finite bootstrap values for an interval")
                return nil
            }
            guard iv.lowerBound < estimates[k], estimates[k] < iv.upperBound else {
                notes.append("\(names[k]): the bootstrap interval [\(short(iv.lowerBound)), \(short(iv.upperBound))] does not "
                             + "contain the estimate \(short(estimates[k])) strictly inside, so it is not reported")
                return nil
            }
            return iv
        }
        return (ivs, notes)
    }

    /// Why there are no intervals, for a fit's notes.
    public var shortfallNote: String {
        "only \(converged) of \(total) bootstrap refits converged (need \(Bootstrap.minimumConverged)): no intervals"
    }

    /// The counts as a status fragment: "87/100 bootstrap refits converged".
    public var status: String { "\(converged)/\(total) bootstrap refits converged" }
}

private func short(_ v: Double) -> String { String(format: "%.4g", v) }
