import Fit
import Laws
import Foundation

/// The values of the `fit` options, as a law's `fit` reads them.
public struct FitSettings: Sendable {
    public var bootstrap = 100
    public var seed: UInt64 = 0
    /// `--starts`: use this many evenly spaced starts of the law's start grid (nil: all).
    public var starts: Int?
    public var huberDelta = 1e-3
    /// `--objective` of the curve laws: "huber" or "lsq".
    public var objective = "huber"
    /// `--lambda`: a value in (0, 1) or "fit".
    public var lambda = "fit"
    /// `--warmup-as-peak`: N, "auto" or "off".
    public var warmupAsPeak = "off"
    /// First fitted step of curve laws (resolved from `--from-step` or the warmup by the command).
    public var fromStep = 1
    /// `--law-option NAME=VALUE` as given (the laws' own options, `LawDefinition.lawOptions`).
    public var lawOptions: [String: String] = [:]

    public init() {}

    /// A law option's value: as given, else its declared default (nil: the law declares no such option).
    public func lawOption(_ name: String, of law: some LawDefinition) -> String? {
        guard let option = law.lawOptions.first(where: { $0.name == name }) else { return nil }
        return lawOptions[name] ?? option.defaultValue
    }

    /// Every k-th start of a law's grid, so `--starts N` keeps the grid's spread (nil: the whole grid).
    public func startSubset(_ grid: [[Double]]) -> [[Double]]? {
        guard let starts, starts < grid.count else { return nil }
        let stride = Double(grid.count) / Double(starts)
        return (0..<starts).map { grid[Int(Double($0) * stride)] }
    }

    /// The curve laws' objective on log residuals.
    public var curveObjective: Objective {
        objective == "lsq" ? .leastSquares : .huber(delta: huberDelta)
    }

    /// The generic fitter's options for a point law.
    public var fitOptions: FitOptions { FitOptions(bootstrap: bootstrap, seed: seed) }
}
