import Fit
import Foundation
import Laws
import Report

/// The Multi-Power Law, Luo et al. 2025: L(t) = L0 + A S1^-alpha - LD(t), LD(t) = B sum_k
/// (eta_(k-1) - eta_k) (1 - (C eta_k^-gamma S_k(t) + 1)^-beta), on whole loss curves
/// (`MultiPowerFit`: Huber or least squares on log residuals, starts from a 4-parameter pre-fit,
/// weak priors). No bootstrap (each refit is a full multi-start fit), so no intervals. Predicts
/// the loss curve of any schedule.
public struct MultiPowerEntry: LawDefinition {
    public struct Stored: Codable, Sendable {
        public var objectiveOption: String?
        public var huberDelta: Double?
        public var curves: Int?
        public var fromStep: Int?
        public var priorStrength: Double?
        /// Bound on the error of the compressed drop-term evaluation.
        public var dropErrorBound: Double?
        /// The peak LR of the fitted curves.
        public var peakLR: Double?

        enum CodingKeys: String, CodingKey {
            case objectiveOption = "objective_option", huberDelta = "huber_delta", curves, fromStep = "from_step"
            case priorStrength = "prior_strength", dropErrorBound = "drop_error_bound", peakLR = "peak_lr"
        }
    }

    public init() {}

    public let name = MultiPowerLaw.name
    public let summary = "Luo et al. 2025: L(t) = L0 + A S1^(-alpha) - LD(t), the Multi-Power Law, on whole loss curves"
    public let queryHelp = "--schedule SPEC --steps S [--lr PEAK], --lr-file FILE.csv (step, lr) or --like-run ID [--steps S] for the loss curve"
    public let input = LawInput.lossCurves
    public let fitFlags: Set<FitFlag> = [.huberDelta, .starts]
    public let thetaCount = MultiPowerLaw.parameterNames.count
    public let queries = QueryFlag.curveQueries

    public func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .lossCurves(let curves) = data else { throw WrongLawInput(law: name, expected: input) }
        var options = MultiPowerFit.Options()
        options.objective = settings.curveObjective
        options.fromStep = settings.fromStep
        if let starts = settings.starts { options.starts = starts }
        let f = try MultiPowerFit.fit(curves, options: options)
        var fit = StoredFit(law: name, parameterNames: MultiPowerFit.parameterNames, parameters: f.parameters,
                            intervals: f.parameters.map { _ in nil }, theta: f.theta, bootstrapThetas: [],
                            objective: f.objective.label + " on log loss", objectiveValue: f.objectiveValue,
                            rmse: f.rmse, r2: f.r2, n: f.n,
                            status: "converged from \(f.startsConverged)/\(f.startsTried) pre-fit starts over \(curves.count) curves")
        let peak = curves.map { $0.lrs.max() ?? 0 }.max() ?? 0
        try fit.setLawForm(Stored(objectiveOption: settings.objective,
                                  huberDelta: settings.objective == "huber" ? settings.huberDelta : nil,
                                  curves: curves.count, fromStep: f.fromStep, priorStrength: options.priorWidth,
                                  dropErrorBound: f.dropErrorBound, peakLR: peak))
        fit.recordRange([("steps_max", Double(curves.map(\.lastStep).max() ?? 0)), ("lr_max", peak)])
        return fit
    }

    /// Rows stored before the data range carried the peak LR.
    public func upgrade(_ fit: inout StoredFit) {
        if fit.range("lr_max") == nil, let peak = (try? stored(fit))?.peakLR { fit.dataRange.append(.init("lr_max", peak)) }
    }

    public func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        guard let lrs = query.lrs else { throw LawError("multipower fits predict a loss curve from a schedule") }
        return .curve(MultiPowerLaw.predictCurve(MultiPowerLaw.parameters(from: theta), lrs: lrs))
    }

    /// The latest fit against its curves and its predictions of the others, in a panel of its own.
    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into c: inout FitCurves) throws {
        guard let f = fits.last, f.theta.count == thetaCount else { return }
        let p = MultiPowerLaw.parameters(from: f.theta)
        let drawn = try CurveFitDrawing.curves(f, fromStep: (try? stored(f))?.fromStep ?? 1, context: context) {
            MultiPowerLaw.predictCurve(p, lrs: $0)
        }
        guard !drawn.curves.isEmpty else { return }
        c.curveFits.append(.init(id: name, title: "Loss vs step: Multi-Power Law fit and prediction", curves: drawn.curves))
        if let note = drawn.note { c.dataNotes[name] = note }
    }
}
