import Fit
import Foundation
import Report
import Store

/// One scaling law as the command line, `predict` and the report see it: its name, the data it is
/// fitted on, the options it reads, how it fits, how it predicts, its stored form and what it
/// draws. Each law is one file (`ChinchillaEntry`, `AnnealingEntry`, ...) listed in `LawRegistry`;
/// nothing outside that file switches on the law's name or knows its parameter count, so adding a
/// law touches its file, the registry's list and its tests.
public protocol LawDefinition: Sendable {
    /// The law's own stored form: the law-specific results and options of a fit (lambda, IsoFLOP
    /// minima, ...), stored as members of `fits.options`. Fields a row of an earlier version may
    /// lack must be optional (or decoded leniently).
    associatedtype Stored: Codable & Sendable

    /// `--law` name and the `fits.law` column.
    var name: String { get }
    /// One line for `fit --help`: formula and paper.
    var summary: String { get }
    /// One line for `predict --help`: what to ask it.
    var queryHelp: String { get }
    /// The kind of data it is fitted on.
    var input: LawInput { get }
    /// The `fit` options it reads besides its input's (`LawInput.flags`).
    var fitFlags: Set<FitFlag> { get }
    /// Options of its own (`--law-option NAME=VALUE`), for settings no shared flag covers.
    var lawOptions: [LawOption] { get }
    /// Why it does not read an option other laws of its kind read (appended to the refusal).
    var flagNotes: [FitFlag: String] { get }
    /// Length of the theta its predictions take.
    var thetaCount: Int { get }
    /// The `predict` option sets it answers.
    var queries: [Set<QueryFlag>] { get }
    /// Whether the report draws runs' N the way this law's latest fit counted it (`--params`).
    var setsReportParameterCount: Bool { get }
    /// The reported parameter that estimates the irreducible loss (compared with the corpus
    /// entropy rate in the report's summary), if the law has one.
    var irreducibleLossParameter: String? { get }
    /// How prose names the law ("Chinchilla"); `name` by default.
    var title: String { get }

    /// Checks the values of the options it reads before any data is loaded (bad values throw).
    func check(_ settings: FitSettings) throws
    /// Fits the law; a fit that does not converge, or data it cannot be identified from, throws.
    func fit(_ data: LawData, settings: FitSettings) throws -> StoredFit
    /// Brings a fit read from a row of an earlier version to the current form (e.g. a theta that
    /// lacked a parameter kept elsewhere). Called on every fit read through the registry.
    func upgrade(_ fit: inout StoredFit)
    /// The prediction at one theta (the estimate or a bootstrap replicate).
    func evaluate(_ theta: [Double], _ stored: Stored, _ query: LawQuery) throws -> LawPrediction
    /// Adds what the report draws for this law's fits (oldest first) to `curves`.
    func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into curves: inout FitCurves) throws
}

extension LawDefinition {
    public var flagNotes: [FitFlag: String] { [:] }
    public var lawOptions: [LawOption] { [] }
    public var setsReportParameterCount: Bool { false }
    public var irreducibleLossParameter: String? { nil }
    public var title: String { name }
    public func check(_ settings: FitSettings) throws {}
    public func upgrade(_ fit: inout StoredFit) {}
    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext, into curves: inout FitCurves) throws {}

    /// Every `fit` option it reads.
    public var usedFlags: Set<FitFlag> { input.flags.union(fitFlags) }

    /// The law's stored form of a fit.
    public func stored(_ fit: StoredFit) throws -> Stored {
        do { return try fit.lawForm(Stored.self) } catch {
            throw LawError("fit \(fit.id.map(String.init) ?? "") of law \(name) has options this version cannot read (\(error))")
        }
    }

    /// The prediction at the fit's theta, and at every bootstrap theta that gives one (for intervals).
    public func predict(_ fit: StoredFit, _ query: LawQuery) throws -> (estimate: LawPrediction, replicates: [LawPrediction]) {
        guard fit.theta.count == thetaCount else {
            throw LawError("the stored \(name) fit has \(fit.theta.count) parameters (expected \(thetaCount))")
        }
        let form = try stored(fit)
        let estimate = try evaluate(fit.theta, form, query)
        let replicates = fit.bootstrapThetas.filter { $0.count == thetaCount }.compactMap { try? evaluate($0, form, query) }
        return (estimate, replicates)
    }

    /// The loss curve after each update of `lrs`, at the fit's theta (curve laws).
    public func curve(_ fit: StoredFit, lrs: [Double]) throws -> [Double] {
        guard fit.theta.count == thetaCount else {
            throw LawError("the stored \(name) fit has \(fit.theta.count) parameters (expected \(thetaCount))")
        }
        return try evaluate(fit.theta, stored(fit), LawQuery(lrs: lrs)).curve
    }
}
