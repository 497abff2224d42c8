import Fit
import Foundation
import Laws

/// Fitting a point law (a `ScalingLaw` of independent observations: Chinchilla, over-training,
/// downstream) through the generic multi-start fitter, with the checks every such fit needs.
public enum PointLawFit {
    /// Fits `law` on `data`; a fit that does not converge, or data the law cannot be identified
    /// from, throws. `targets` names the observations in messages ("losses", "errors");
    /// `lowR2Hint` is appended to the low-R^2 note.
    public static func fit<L: ScalingLaw>(_ law: L, named name: String, _ data: Dataset, options: FitOptions,
                                          targets: String = "losses", lowR2Hint: String = "") throws -> StoredFit {
        let p = law.thetaNames.count
        guard data.count >= p + 1 else {
            throw FitError.invalidData("too few points to fit: \(data.count) points for the \(p) parameters of the \(name) law "
                                       + "(at least \(p + 1) needed)")
        }
        try checkNotDegenerate(law, named: name, data, targets: targets)
        let r = try Fitter.fit(law, data, options: options)
        guard r.converged else { throw FitError.noConvergence(r.status) }
        guard r.r2.isFinite else {
            throw FitError.noConvergence("R^2 is \(r.r2): the fitted law does not describe these points")
        }
        var fit = StoredFit(law: name, parameterNames: r.parameterNames, parameters: r.parameters,
                            intervals: r.intervals.isEmpty ? r.parameters.map { _ in nil } : r.intervals.map { $0.map(StoredFit.Interval.init) },
                            theta: r.theta, bootstrapThetas: r.bootstrapThetas, objective: r.objective.label,
                            objectiveValue: r.objectiveValue, rmse: r.rmse, r2: r.r2, n: r.n, status: r.status,
                            notes: r.notes, bootstrapConverged: r.bootstrapConverged, bootstrapTotal: r.bootstrapTotal)
        if !(r.r2 >= 0.5) {
            // A converged optimum can still explain nothing: say so rather than let the numbers pass as a law.
            fit.notes.append(String(format: "R^2 = %.3f: the law explains little of the variation in these points", r.r2) + lowR2Hint)
        }
        return fit
    }

    /// Data no law can be identified from is an error before fitting (nothing is stored): a target
    /// that does not vary (R^2 would be 0/0, and the optimiser wanders off to any A or a), or fewer
    /// distinct inputs than the law has parameters (20 copies of one point pin one value, not a curve).
    public static func checkNotDegenerate<L: ScalingLaw>(_ law: L, named name: String, _ data: Dataset, targets: String) throws {
        if let lo = data.y.min(), let hi = data.y.max(), !(hi - lo > 1e-12 * max(abs(hi), abs(lo))) {
            throw FitError.invalidData("all \(data.count) \(targets) are equal (\(lo)): "
                                       + "there is no variation for the \(name) law to fit")
        }
        let distinct = Set(data.x).count
        if distinct < law.thetaNames.count {
            throw FitError.invalidData("only \(distinct) distinct \(law.inputNames.joined(separator: ", ")) input"
                                       + (distinct == 1 ? "" : "s") + " among \(data.count) points, fewer than the "
                                       + "\(law.thetaNames.count) parameters of the \(name) law: it is not identified")
        }
    }

    /// The size-law inputs of every point: (N, D) for the Chinchilla form.
    public static func sizeInputs(_ p: SizePoints) -> [[Double]] { p.n.indices.map { [p.n[$0], p.d[$0]] } }
}
