import Fit
import Foundation
import Laws
import Report

/// IsoFLOP profiles, Hoffmann et al. 2022, Approach 2: per compute level the minimum of loss vs
/// log N from a parabola through the points near it (`IsoFLOPAnalysis`, after Porian et al. 2024),
/// then N*(C) = kN C^a and D*(C) = kD C^b by least squares in log-log. theta = (a, b, log kN, log kD).
/// Predicts N* and D* at a compute; the report draws each level's profile and minimum.
public struct IsoFLOPEntry: LawDefinition {
    public struct Stored: Codable, Sendable {
        public var powerLaws: PowerLaws?
        public var groups: [Level]?
        public var skipped: [SkippedLevel]?
        enum CodingKeys: String, CodingKey { case powerLaws = "power_laws", groups, skipped }
    }

    public struct PowerLaws: Codable, Sendable {
        public var a: Double?
        public var b: Double?
        public var kN: Double?
        public var kD: Double?
    }

    /// One compute level's minimum, its parabola and the (N, loss) points it was drawn through.
    public struct Level: Codable, Sendable {
        public var compute: Double?
        public var nOpt: Double?
        public var dOpt: Double?
        public var lossOpt: Double?
        /// c0 + c1 u + c2 u^2 in u = log N - centre.
        public var parabola: [Double?]?
        public var centre: Double?
        public var withinRange: Bool?
        /// The model sizes the parabola was fitted over.
        public var window: [Double?]?
        public var points: [[Double?]]?
        enum CodingKeys: String, CodingKey {
            case compute, nOpt = "n_opt", dOpt = "d_opt", lossOpt = "loss_opt", parabola, centre
            case withinRange = "within_range", window, points
        }
    }

    public struct SkippedLevel: Codable, Sendable {
        public var compute: Double?
        public var points: Int?
        public var reason: String?
    }

    public init() {}

    public let name = "isoflop"
    public let summary = "Approach 2: per compute level (a flops sweep's budget, an imported compute column) the minimum of "
        + "loss vs log N from a parabola through the points near it, then N*(C), D*(C) power laws"
    public let queryHelp = "--compute C for N*, D*"
    public let input = LawInput.sizePoints
    public let fitFlags: Set<FitFlag> = []
    public let thetaCount = 4
    public let queries: [Set<QueryFlag>] = [[.compute]]

    public func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .sizePoints(let o) = data else { throw WrongLawInput(law: name, expected: input) }
        let points = o.n.indices.map { IsoFLOPPoint(N: o.n[$0], D: o.d[$0], loss: o.loss[$0], level: o.level[$0]) }
        if let lo = points.map(\.loss).min(), let hi = points.map(\.loss).max(), !(hi - lo > 1e-12 * max(abs(hi), abs(lo))) {
            throw FitError.invalidData("all \(points.count) losses are equal (\(lo)): IsoFLOP profiles have no minimum to find")
        }
        let analysis = IsoFLOPAnalysis(points: points)
        let r = try analysis.fit(bootstrap: settings.bootstrap, seed: settings.seed)
        let f = r.asFitResult()
        var fit = StoredFit(law: name, parameterNames: f.parameterNames, parameters: f.parameters,
                            intervals: f.intervals.isEmpty ? f.parameters.map { _ in nil } : f.intervals.map { $0.map(StoredFit.Interval.init) },
                            theta: f.theta, bootstrapThetas: f.bootstrapThetas, objective: f.objective.label,
                            objectiveValue: f.objectiveValue, rmse: f.rmse, r2: f.r2, n: f.n, status: f.status,
                            notes: f.notes, bootstrapConverged: f.bootstrapConverged, bootstrapTotal: f.bootstrapTotal)
        let members = analysis.groups()
        let levels = r.minima.map { m in
            let pts = members.min { abs(log($0.compute / m.compute)) < abs(log($1.compute / m.compute)) }?.members ?? []
            return Level(compute: m.compute, nOpt: m.N, dOpt: m.D, lossOpt: m.loss, parabola: m.coefficients,
                         centre: m.centre, withinRange: m.withinSampledRange,
                         window: [m.window.lowerBound, m.window.upperBound],
                         points: pts.map { [points[$0].N, points[$0].loss] })
        }
        try fit.setLawForm(Stored(
            powerLaws: PowerLaws(a: r.parameters[0], b: r.parameters[1], kN: r.parameters[2], kD: r.parameters[3]),
            groups: levels,
            skipped: r.skipped.isEmpty ? nil : r.skipped.map { SkippedLevel(compute: $0.compute, points: $0.points, reason: $0.reason) }))
        // The recorded budgets are the compute the points were trained at (6ND with total N overstates it).
        var range = o.range
        if let top = o.level.compactMap({ $0 }).max() { range = range.map { $0.0 == "C_max" ? ($0.0, top) : $0 } }
        fit.recordRange(range)
        return fit
    }

    /// Fits stored before theta carried (a, b, log kN, log kD) predict from their power laws.
    public func upgrade(_ fit: inout StoredFit) {
        guard fit.theta.count != thetaCount, let p = (try? stored(fit))?.powerLaws,
              let a = p.a, let b = p.b, let kN = p.kN, let kD = p.kD else { return }
        fit.theta = [a, b, log(kN), log(kD)]
        fit.bootstrapThetas = []
    }

    public func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        guard let c = query.compute else { throw LawError("isoflop fits predict from --compute C") }
        return .values([("N_opt", exp(theta[2]) * pow(c, theta[0])), ("D_opt", exp(theta[3]) * pow(c, theta[1]))])
    }

    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into c: inout FitCurves) throws {
        guard let f = fits.last, let groups = (try? stored(f))?.groups else { return }
        for g in groups {
            guard let compute = g.compute else { continue }
            let pts = (g.points ?? []).compactMap { p -> PlotPoint? in
                guard p.count == 2, let x = p[0], let y = p[1] else { return nil }
                return PlotPoint(x, y)
            }
            var minimum: PlotPoint? = nil
            if let n = g.nOpt, let l = g.lossOpt { minimum = PlotPoint(n, l) }
            var parabola: [PlotPoint] = []
            // The parabola holds near the minimum only: drawn over the window it was fitted to (all
            // the points for fits stored before the window was recorded).
            let window = (g.window ?? []).compactMap { $0 }
            if let co = g.parabola?.compactMap({ $0 }), co.count == 3,
               let lo = window.count == 2 ? window[0] : pts.map(\.x).min(),
               let hi = window.count == 2 ? window[1] : pts.map(\.x).max() {
                parabola = ReportContext.logGrid(lo, hi, intervals: 40).map { n in
                    let u = Foundation.log(n) - (g.centre ?? 0)
                    return PlotPoint(n, co[0] + co[1] * u + co[2] * u * u)
                }
            }
            c.isoflop.append(.init(compute: compute, points: pts, parabola: parabola, minimum: minimum))
            c.dataNotes["isoflop"] = f.importedSource != nil ? "Data: imported points of \(f.describedSource) (fit \(f.id ?? 0))."
                                                              : "Data: finished runs (fit \(f.id ?? 0))."
            if let m = minimum {
                c.frontier.append(.init(compute: compute, params: m.x, tokens: g.dOpt ?? compute / (6 * m.x)))
            }
        }
    }
}
