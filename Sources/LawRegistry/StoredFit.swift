import Fit
import Foundation
import Store

/// A finished fit of any law: what `fit` prints and stores, `predict` extrapolates and the report
/// draws. The one fit type between the fitter and the `fits` table (`StoredFit+Record` maps it to
/// and from a row, reading rows of earlier versions too); `FitResult`, `AnnealingFit`,
/// `MultiPowerFit` and `IsoFLOPResult` are what a law's solver returns on the way here.
///
/// The law-specific part is `lawForm`, the law's own Codable `Stored` form (`LawDefinition.Stored`:
/// lambda, IsoFLOP minima, the options the law read, ...), so nothing outside the law's file reads
/// a law-specific key.
public struct StoredFit: Codable, Sendable, Equatable {
    /// Row id in `fits` (nil before it is stored).
    public var id: Int64?
    /// The registry name of the law (`LawDefinition.name`).
    public var law: String
    /// Reported parameters, in the law's order.
    public var parameterNames: [String]
    public var parameters: [Double]
    /// 95% bootstrap interval per reported parameter (nil: none, or withheld with a note).
    public var intervals: [Interval?]
    /// Every parameter the prediction needs, in the law's internal form: a prediction is a function
    /// of theta and the query alone (the annealing lambda is in theta, not beside it).
    public var theta: [Double]
    /// theta of every converged bootstrap refit: predictions get their intervals by evaluating each.
    public var bootstrapThetas: [[Double]]
    public var objective: String
    public var objectiveValue: Double
    public var rmse: Double
    public var r2: Double
    /// Observations fitted (points, pairs, curve rows or compute levels).
    public var n: Int
    public var status: String
    /// Caveats a reader of the fit needs; printed, in `--json` and stored.
    public var notes: [String] = []
    public var bootstrapConverged = 0
    public var bootstrapTotal = 0
    /// The largest (or smallest) inputs the fit saw, e.g. N_max, C_max, steps_max, loss_min: what
    /// predictions say they extrapolate from. In the order recorded.
    public var dataRange: [RangeBound] = []
    /// Parameters whose intervals say the data do not pin them down (`Identification`).
    public var unidentified: [String] = []
    /// What a law judges some parameters by instead of their own interval (see `JudgedTerm`): a
    /// prefactor such as Chinchilla's A is a value at N = 1, decades below the data, so its interval
    /// inherits all the exponent's uncertainty; the term A/N^alpha where the data are is what they
    /// pin down. Set by the law's fit before `noteUnidentified`; not stored.
    public var judgedTerms: [String: JudgedTerm]? = nil
    /// Which data the fit used.
    public var selection = FitSelection()
    /// Bootstrap resamples, seed and `--starts` as given.
    public var bootstrapOption = 0
    public var seed: UInt64 = 0
    public var starts: Int?
    /// The law's own stored form (`LawDefinition.Stored`), as JSON members.
    public var lawForm: JSONMembers = JSONMembers()
    /// What the command adds around the law (held-out `checks`, `--holdout` predictions, the fitted
    /// `points` with their runs and LRs, the runs' `loss`): stored and printed, read back by the report.
    public var annotations: JSONMembers = JSONMembers()
    /// When it was stored (from the row).
    public var createdAt = ""

    public init(law: String, parameterNames: [String], parameters: [Double], intervals: [Interval?], theta: [Double],
                bootstrapThetas: [[Double]], objective: String, objectiveValue: Double, rmse: Double, r2: Double,
                n: Int, status: String, notes: [String] = [], bootstrapConverged: Int = 0, bootstrapTotal: Int = 0) {
        self.law = law
        self.parameterNames = parameterNames
        self.parameters = parameters
        self.intervals = intervals
        self.theta = theta
        self.bootstrapThetas = bootstrapThetas
        self.objective = objective
        self.objectiveValue = objectiveValue
        self.rmse = rmse
        self.r2 = r2
        self.n = n
        self.status = status
        self.notes = notes
        self.bootstrapConverged = bootstrapConverged
        self.bootstrapTotal = bootstrapTotal
    }

    /// A closed interval that encodes as `[lo, hi]`.
    public struct Interval: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public init(_ r: ClosedRange<Double>) { lower = r.lowerBound; upper = r.upperBound }
        public var range: ClosedRange<Double>? { lower <= upper ? lower...upper : nil }
        public init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            lower = try c.decode(Double.self)
            upper = try c.decode(Double.self)
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(lower)
            try c.encode(upper)
        }
    }

    /// One recorded extreme of the data (`N_max`, `loss_min`, ...).
    public struct RangeBound: Codable, Sendable, Equatable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) { self.name = name; self.value = value }
    }

    /// The 95% intervals as ranges, in parameter order.
    public var ranges: [ClosedRange<Double>?] { intervals.map { $0?.range } }

    /// Records the extremes of the fitted data (non-finite ones are left out).
    public mutating func recordRange(_ fields: [(String, Double)]) {
        dataRange = fields.filter { $0.1.isFinite }.map { RangeBound($0.0, $0.1) }
    }

    /// A recorded extreme of the data, by name.
    public func range(_ name: String) -> Double? { dataRange.first { $0.name == name }?.value }

    /// Sets the law's stored form (`LawDefinition.Stored`). Its keys share `fits.options` with the
    /// common fields and the annotations, so a form that uses one of their keys is refused.
    public mutating func setLawForm<T: Encodable>(_ form: T) throws {
        let members = try JSONMembers(encoding: form)
        if let clash = members.members.first(where: { Self.commonKeys.contains($0.0) || Self.annotationKeys.contains($0.0) }) {
            throw LawError("the \(law) law's stored form uses the key '\(clash.0)', which every fit's options use")
        }
        lawForm = members
    }

    /// The law's stored form, decoded; keys it does not know are ignored (rows of other versions).
    public func lawForm<T: Decodable>(_ type: T.Type) throws -> T {
        try lawForm.decode(type)
    }

    /// Notes (and `unidentified`) for every parameter whose interval says the data do not pin it down.
    public mutating func noteUnidentified() {
        let terms = judgedTerms ?? [:]
        let judged: [ClosedRange<Double>?] = zip(parameterNames, ranges).map { name, own in
            guard own != nil, let term = terms[name] else { return own }
            return term.interval.range
        }
        let labels = parameterNames.map { name in terms[name].map { "\(name) (judged by \($0.label))" } ?? name }
        for (k, name) in parameterNames.enumerated() {
            guard let term = terms[name], let own = ranges[k], let at = judged[k],
                  Identification.reason(name: name, interval: own) != nil,
                  Identification.reason(name: name, interval: at) == nil else { continue }
            notes.append("\(name)'s interval [\(Identification.fmt(own.lowerBound)), \(Identification.fmt(own.upperBound))] is wide because it "
                         + "is a value far outside the data; \(term.label) is [\(Identification.fmt(at.lowerBound)), "
                         + "\(Identification.fmt(at.upperBound))], identified")
        }
        let names = Identification.unidentified(names: parameterNames, intervals: judged)
        guard !names.isEmpty else { return }
        notes += Identification.notes(names: labels, intervals: judged)
        unidentified = names
    }

    /// The imported source the fit used, if it was fitted on imported points.
    public var importedSource: String? { selection.source }

    /// "source 'S' where P": what a fit's imported points are, for captions.
    public var describedSource: String {
        var s = "source '\(selection.source ?? "?")'"
        if let w = selection.predicate { s += " where \(w)" }
        return s
    }

    /// The `--holdout` kind of the fit (nil: fitted on all its data).
    public var holdoutKind: String? { annotations["holdout"]?["kind"]?.string }
}
