import Foundation
import Laws

/// The minimum of one iso-compute profile (one point of Hoffmann et al. 2022, Figure 3 centre/right).
public struct IsoFLOPGroupMinimum: Sendable, Equatable {
    /// The group's compute budget (the given level, or the geometric mean of its members' C).
    public var compute: Double
    /// Loss-minimising parameter count N_opt (the parabola's vertex).
    public var N: Double
    /// D_opt, read off the profile at N_opt (C / (6 N_opt) when D = C / (6 N)).
    public var D: Double
    /// Parabola value at the vertex.
    public var loss: Double
    /// Points in the group.
    public var points: Int
    /// Coefficient of (log N)^2 (> 0: the profile has a minimum).
    public var curvature: Double
    /// Parabola c0 + c1 x + c2 x^2 in x = log N - centre, for plotting the profile.
    public var coefficients: [Double]
    public var centre: Double
    /// False when the vertex lies outside the window's model sizes (an extrapolated minimum).
    public var withinSampledRange: Bool
    /// Model sizes of the points the parabola was fitted to (around the discrete minimum).
    public var window: ClosedRange<Double>
    /// Distinct model sizes in the window.
    public var windowPoints: Int
}

/// Outcome of `IsoFLOPAnalysis.fit`: parameters by name, intervals, per-group minima.
public struct IsoFLOPResult: Sendable {
    /// Names of `parameters`: exponents of N_opt and D_opt in C, then their prefactors.
    public static let parameterNames = ["a", "b", "kN", "kD"]

    public struct Skipped: Sendable, Equatable {
        public var compute: Double
        public var points: Int
        public var reason: String
    }

    /// Values in `parameterNames` order.
    public var parameters: [Double]
    /// Bootstrap percentile intervals in `parameterNames` order (empty without bootstrap; nil
    /// entries where `BootstrapSamples.intervals` withheld one).
    public var intervals: [ClosedRange<Double>?] = []
    /// Caveats: skipped budgets, withheld intervals.
    public var notes: [String] = []
    /// The bootstrap replicates (empty without bootstrap).
    public var bootstrap = BootstrapSamples(samples: [], total: 0)
    /// One minimum per usable compute group, in increasing compute.
    public var minima: [IsoFLOPGroupMinimum]
    /// Groups that could not be used, and why.
    public var skipped: [Skipped]
    /// Fit quality of log N_opt against log C.
    public var nFitRMSE: Double
    public var nFitR2: Double
    public var pointsUsed: Int
    public var bootstrapConverged: Int { bootstrap.converged }

    public var parameterNames: [String] { Self.parameterNames }

    public func parameter(_ name: String) -> Double? {
        Self.parameterNames.firstIndex(of: name).map { parameters[$0] }
    }

    /// Compute-optimal (N, D) the fitted power laws predict for a budget.
    public func optimal(compute: Double) -> (N: Double, D: Double) {
        (parameters[2] * pow(compute, parameters[0]), parameters[3] * pow(compute, parameters[1]))
    }

    /// The same result in the shape every other law's fit has, so the CLI can print and store it
    /// uniformly: theta = (a, b, log kN, log kD); objective = sum of squared log-residuals of the
    /// N_opt fit; rmse and r2 are those of that log-log fit; n = number of compute groups used.
    public func asFitResult() -> FitResult {
        let a = parameters[0], b = parameters[1], kN = parameters[2], kD = parameters[3]
        let skippedNote = skipped.isEmpty ? "" : ", \(skipped.count) skipped"
        let bootNote = bootstrap.total > 0 ? "; \(bootstrap.status)" : ""
        return FitResult(
            law: "isoflop", objective: .leastSquares, theta: [a, b, log(kN), log(kD)], parameters: parameters,
            parameterNames: Self.parameterNames, intervals: intervals,
            objectiveValue: nFitRMSE * nFitRMSE * Double(minima.count), rmse: nFitRMSE, r2: nFitR2,
            n: minima.count, converged: true,
            status: "\(minima.count) compute groups from \(pointsUsed) points\(skippedNote)\(bootNote)",
            startsTried: 1, startsConverged: 1, bootstrapConverged: bootstrap.converged, bootstrapTotal: bootstrap.total,
            bootstrapThetas: bootstrap.samples.map { [$0[0], $0[1], log($0[2]), log($0[3])] }, notes: skippedNotes + notes)
    }

    /// One note per skipped budget, naming it.
    public var skippedNotes: [String] {
        skipped.map { String(format: "compute level C = %.3g skipped (%d points): ", $0.compute, $0.points) + $0.reason }
    }
}
