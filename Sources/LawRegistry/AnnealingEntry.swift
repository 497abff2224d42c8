import Fit
import Foundation
import Laws
import Report
import Validation

/// The LR-annealing law, Tissue et al. 2024 (Eq. 1): L(s) = L0 + A S1^-alpha - C S2, S1 the sum
/// of LRs, S2 the sum of the annealing momenta m_i = lambda m_(i-1) + (eta_(i-1) - eta_i), on whole
/// loss curves (`AnnealingFit`: Huber or least squares on log residuals, lambda fixed or fitted).
/// theta = (L0, A, alpha, C, lambda): lambda is a parameter like the others, refitted in every
/// bootstrap replicate, so a prediction needs nothing beside theta. Predicts the loss curve of any
/// schedule; the report draws the fitted and held-out runs against the fit.
public struct AnnealingEntry: LawDefinition {
    public struct Stored: Codable, Sendable {
        /// `--lambda` and `--warmup-as-peak` as given, and the objective.
        public var lambdaOption: String?
        public var warmupAsPeakOption: String?
        public var objectiveOption: String?
        public var huberDelta: Double?
        /// The fitted lambda (also theta[4]; kept here for SQL over `options`, read only from rows
        /// stored before theta carried it).
        public var lambda: Double?
        /// Steps counted at the peak LR when summing areas (nil: the warmup LRs as they are).
        public var warmupAsPeak: Int?
        public var curves: Int?
        public var fromStep: Int?
        /// Share of S2's variation the power-law terms explain (collinearity of the two terms).
        public var s2Explained: Double?
        /// The peak LR of the fitted curves.
        public var peakLR: Double?

        enum CodingKeys: String, CodingKey {
            case lambdaOption = "lambda_option", warmupAsPeakOption = "warmup_as_peak_option"
            case objectiveOption = "objective_option", huberDelta = "huber_delta", lambda
            case warmupAsPeak = "warmup_as_peak", curves, fromStep = "from_step", s2Explained = "s2_explained"
            case peakLR = "peak_lr"
        }
    }

    public init() {}

    public let name = "annealing"
    public let summary = "Tissue et al. 2024: L(s) = L0 + A S1^(-alpha) - C S2 on whole loss curves"
    public let queryHelp = "--schedule SPEC --steps S [--lr PEAK], --lr-file FILE.csv (step, lr) or --like-run ID [--steps S] for the loss curve"
    public let input = LawInput.lossCurves
    public let fitFlags: Set<FitFlag> = [.huberDelta, .lambda, .warmupAsPeak]
    public let flagNotes: [FitFlag: String] = [.starts: "they start from variable projection"]
    public let thetaCount = 5
    public let queries = QueryFlag.curveQueries

    /// Above this share of S2 explained by the power-law columns the fit is flagged: a variance inflation
    /// of 5 for C, the usual rule of thumb for collinearity. Measured on the four schedules of
    /// Data/sweeps/annealing.toml: pairs with a constant phase give 0.07 to 0.22 and predict held-out
    /// schedules within 0.62%; cosine + linear gives 0.88 and misses by 1.6% to 2%.
    public static let s2ExplainedLimit = 0.8

    /// `--warmup-as-peak`: off, the curves' own warmup, or N steps.
    enum WarmupAsPeak { case off, auto, steps(Int) }

    /// `--lambda` and `--warmup-as-peak`, parsed.
    static func options(_ settings: FitSettings) throws -> (AnnealingFit.Lambda, WarmupAsPeak) {
        let lambda: AnnealingFit.Lambda
        if settings.lambda == "fit" {
            lambda = .fitted(AnnealingFit.defaultLambdaRange)
        } else {
            guard let l = InputNumber.parse(settings.lambda), l > 0, l < 1 else {
                throw InputError("--lambda must be in (0, 1) or 'fit' (got '\(InputEcho.shown(settings.lambda))')")
            }
            lambda = .fixed(l)
        }
        switch settings.warmupAsPeak {
        case "off": return (lambda, .off)
        case "auto": return (lambda, .auto)
        default:
            let n = try InputNumber.integer(text: settings.warmupAsPeak, "--warmup-as-peak", in: 0...InputLimits.maxSteps)
            return (lambda, n > 0 ? .steps(n) : .off)
        }
    }

    public func check(_ settings: FitSettings) throws { _ = try Self.options(settings) }

    public func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard case .lossCurves(let curves) = data else { throw WrongLawInput(law: name, expected: input) }
        let (lambda, requested) = try Self.options(settings)
        let warmupAsPeak: Int?
        if case .auto = requested {
            let w = curves.map(\.warmupSteps).max() ?? 0
            warmupAsPeak = w > 1 ? w : nil
        } else if case .steps(let n) = requested {
            warmupAsPeak = n
        } else {
            warmupAsPeak = nil
        }
        let fromStep = settings.fromStep, objective = settings.curveObjective
        // A flat curve has nothing for the power law to follow: any alpha fits it with "R^2 1".
        let fitted = curves.flatMap { c in c.steps.indices.filter { c.steps[$0] >= fromStep }.map { c.losses[$0] } }
        if let lo = fitted.min(), let hi = fitted.max(), !(hi - lo > 1e-12 * max(abs(hi), abs(lo))) {
            throw FitError.invalidData("the \(fitted.count) losses fitted (from step \(fromStep)) are all equal (\(lo)): "
                                       + "a flat curve has no decay for the annealing law to fit")
        }
        let f: AnnealingFit
        do {
            f = try AnnealingFit.fit(curves, lambda: lambda, warmupAsPeak: warmupAsPeak, fromStep: fromStep, objective: objective)
        } catch FitError.noConvergence(let why) {
            // The usual cause on short runs: loss still falls like log S1 (alpha -> 0, L0 -> -inf),
            // a direction in which the power law has no finite optimum.
            throw FitError.noConvergence("\(why) (curves that still fall like log S1 drive alpha to 0; train longer or fit from a later --from-step)")
        }
        guard f.converged else { throw FitError.noConvergence("the annealing fit did not converge") }
        guard f.r2.isFinite else {
            throw FitError.noConvergence("R^2 is \(f.r2): the fitted law does not describe these curves")
        }
        // Replicates within curves (fitted curve + moving blocks of its residuals), lambda refitted in
        // each like the fit itself, so lambda gets an interval and the others carry its uncertainty.
        let resampling = CurveResampling(curves: curves, fitted: curves.map { f.predict(at: $0) }, fromStep: fromStep)
        let boot = Bootstrap.run(resamples: settings.bootstrap, seed: settings.seed, plan: { resampling.replicate(using: &$0) }) { sample in
            // One variable-projection start per lambda (the fit's best of 3): a replicate is the fitted curve plus
            // resampled residuals, near the fit's optimum, and a third of the cost matters on long curves.
            guard let b = try? AnnealingFit.fit(sample, lambda: lambda, warmupAsPeak: warmupAsPeak, fromStep: fromStep,
                                                objective: objective, startsPerLambda: 1),
                  b.converged else { return nil }
            return b.parameters
        }
        let names = AnnealingFit.parameterNames
        var notes: [String] = []
        var intervals: [ClosedRange<Double>?] = names.map { _ in nil }
        if settings.bootstrap > 0 {
            (intervals, notes) = boot.intervals(estimates: f.parameters, names: names)
            if case .fixed = lambda { intervals[4] = nil; notes.removeAll { $0.hasPrefix("lambda:") } }
            // What the intervals do not cover (docs/curve-laws.md, "Intervals"): on real held-out curves the
            // law's error is 2-4x what the replicates spread a prediction by.
            notes.append("the intervals are the fit's spread under the noise of the fitted rows (their residuals resampled in "
                         + "blocks); the law's error on other schedules is larger: measure it with --check-curve")
        }
        // theta and every replicate are (L0, A, alpha, C, lambda): each predicts at its own lambda.
        var fit = StoredFit(law: name, parameterNames: names, parameters: f.parameters,
                            intervals: intervals.map { $0.map(StoredFit.Interval.init) },
                            theta: f.parameters, bootstrapThetas: boot.samples, objective: objective.label + " on log loss",
                            objectiveValue: f.objective, rmse: f.rmse, r2: f.r2, n: f.n,
                            status: "converged; lambda \(f.lambda) (\(f.lambdaEvaluations) lambda evaluations); \(boot.status) (residual blocks within \(curves.count) curves)",
                            notes: notes, bootstrapConverged: boot.converged, bootstrapTotal: boot.total)
        if f.annealingTermExplained > Self.s2ExplainedLimit {
            fit.notes.append(String(format: "the power-law terms explain %.1f%% of S2's variation on these curves: the decay and the "
                                    + "annealing term are hard to tell apart (A and C trade off), so predictions for other "
                                    + "schedules are unreliable; fit on a curve with a constant-LR phase (constant or WSD)",
                                    100 * f.annealingTermExplained))
        }
        let peak = curves.map { $0.lrs.max() ?? 0 }.max() ?? 0
        try fit.setLawForm(Stored(lambdaOption: settings.lambda, warmupAsPeakOption: settings.warmupAsPeak,
                                  objectiveOption: settings.objective,
                                  huberDelta: settings.objective == "huber" ? settings.huberDelta : nil,
                                  lambda: f.lambda, warmupAsPeak: warmupAsPeak, curves: curves.count, fromStep: fromStep,
                                  s2Explained: f.annealingTermExplained, peakLR: peak))
        fit.recordRange([("steps_max", Double(curves.map(\.lastStep).max() ?? 0)), ("lr_max", peak)])
        return fit
    }

    /// Rows stored before theta carried lambda: (L0, A, alpha, C) with lambda beside them (and
    /// replicates with or without their own); the peak LR as the data's largest LR.
    public func upgrade(_ fit: inout StoredFit) {
        guard let form = try? stored(fit) else { return }
        if fit.theta.count == 4 {
            let lambda = form.lambda ?? AnnealingAreas.defaultLambda
            fit.theta.append(lambda)
            fit.bootstrapThetas = fit.bootstrapThetas.map { $0.count == 4 ? $0 + [lambda] : $0 }
        }
        if fit.range("lr_max") == nil, let peak = form.peakLR { fit.dataRange.append(.init("lr_max", peak)) }
    }

    /// The law at theta's lambda with the fit's warmup handling. A fit that counted the warmup at
    /// the peak LR counts the predicted schedule's OWN warmup that way (its steps until the LR
    /// first peaks), not the fitted curves'.
    public func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction {
        guard let lrs = query.lrs else { throw LawError("annealing fits predict a loss curve from a schedule") }
        let w = stored.warmupAsPeak != nil ? Self.warmupSteps(lrs) : nil
        return .curve(AnnealingLaw(lambda: theta[4], warmupAsPeak: w).predictCurve(Array(theta.prefix(4)), lrs: lrs))
    }

    /// Steps until a schedule's LR first reaches its peak (nil when it starts there).
    static func warmupSteps(_ lrs: [Double]) -> Int? {
        guard let peak = lrs.max() else { return nil }
        let w = lrs.firstIndex { $0 >= peak * (1 - 1e-9) } ?? 0
        return w > 1 ? w : nil
    }

    /// The latest fit against its curves and its predictions of the others (`CurveFitDrawing`).
    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into c: inout FitCurves) throws {
        guard let f = fits.last, f.theta.count == thetaCount, let form = try? stored(f) else { return }
        let theta = Array(f.theta.prefix(4))
        let law = AnnealingLaw(lambda: f.theta[4], warmupAsPeak: form.warmupAsPeak)
        // The law describes training after its first transient: plot from the fit's first row.
        let drawn = try CurveFitDrawing.curves(f, fromStep: form.fromStep ?? 1, context: context) { law.predictCurve(theta, lrs: $0) }
        c.annealing += drawn.curves
        if let note = drawn.note { c.dataNotes["annealing"] = note }
    }
}
