import Foundation
import Report
import Store

/// The laws scalefit knows, in the order `--help` lists them: the only place that names them all.
/// The command line (`fit`, `predict`) and the report find a law here by name and ask it; a
/// registry with more laws (a test's toy law) works through the same calls.
public struct LawRegistry: Sendable {
    public let laws: [any LawDefinition]

    public init(laws: [any LawDefinition]) { self.laws = laws }

    /// The built-in laws.
    public static let standard = LawRegistry(laws: [
        ChinchillaEntry(), IsoFLOPEntry(), OvertrainEntry(), DownstreamEntry(), AnnealingEntry(), MultiPowerEntry(),
    ])

    public var names: [String] { laws.map(\.name) }

    public func law(named name: String) -> (any LawDefinition)? { laws.first { $0.name == name } }

    /// The laws of a `--law` value: one name, or a comma-separated list of comparable laws of one kind.
    public func parse(_ list: String) throws -> [any LawDefinition] {
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = try names.map { name in
            guard let l = law(named: name) else {
                throw LawError("unknown law '\(name)' (expected one of: \(self.names.joined(separator: ", ")))")
            }
            return l
        }
        if parsed.count > 1 {
            let kind = parsed[0].input
            if let bad = parsed.first(where: { !$0.input.comparable || $0.input != kind }) {
                let comparable = laws.filter { $0.input.comparable }
                let label = Set(comparable.map(\.input)).count == 1 ? comparable[0].input.label.replacingOccurrences(of: "-law", with: "") + " laws" : "laws of one kind"
                throw LawError("only \(label) (\(comparable.map(\.name).joined(separator: ", "))) can be compared in one --law list (got \(bad.name))")
            }
            if Set(names).count != names.count { throw LawError("--law lists a law twice: \(list)") }
        }
        return parsed
    }

    /// A fit read from the `fits` table, brought to the current form by its law (rows of earlier
    /// versions); a fit of a law this registry does not know is returned as read.
    public func storedFit(from record: FitRecord) -> StoredFit {
        var fit = StoredFit(record: record)
        law(named: fit.law)?.upgrade(&fit)
        return fit
    }

    /// Fits a law by name.
    public func fit(law name: String, _ data: LawData, settings: FitSettings) throws -> StoredFit {
        guard let l = law(named: name) else { throw LawError("unknown law '\(name)'") }
        return try l.fit(data, settings: settings)
    }

    /// Predicts from a stored fit through its law.
    public func predict(_ fit: StoredFit, _ query: LawQuery) throws -> (estimate: LawPrediction, replicates: [LawPrediction]) {
        guard let l = law(named: fit.law) else { throw LawError("fit \(fit.id ?? 0) has an unknown law '\(fit.law)'") }
        return try l.predict(fit, query)
    }

    /// Everything the report draws from stored fits: each law draws its own fits.
    public func reportCurves(_ fits: [StoredFit], _ context: ReportContext) throws -> FitCurves {
        var curves = FitCurves()
        for l in laws {
            let own = fits.filter { $0.law == l.name }
            if !own.isEmpty { try l.reportCurves(own, context, into: &curves) }
        }
        return curves
    }

    /// The error for an option none of the chosen laws reads, naming those that read it (nil: one reads it).
    public func refusal(_ flag: FitFlag, for chosen: [any LawDefinition]) -> String? {
        guard !chosen.contains(where: { $0.usedFlags.contains(flag) }) else { return nil }
        if chosen.count == 1, let note = chosen[0].flagNotes[flag] {
            return "\(flag.rawValue) is not used by \(chosen[0].name) fits (\(note))"
        }
        let users = laws.filter { $0.usedFlags.contains(flag) }
        let kinds = Set(chosen.map(\.input))
        if kinds.count == 1, let kind = kinds.first, !laws.contains(where: { $0.input == kind && $0.usedFlags.contains(flag) }),
           Set(users.map(\.input)).count >= 2 {
            return "\(flag.rawValue) is not used by \(kindName(kind)) fits (\(kind.dataHint))"
        }
        return "\(flag.rawValue) is only used by \(describe(users)) fits (--law \(Self.list(users.map(\.name), "or")))"
    }

    /// `--law-option NAME=VALUE` values, each NAME declared by one of the chosen laws (`LawOption`).
    public func lawOptions(_ given: [String], for chosen: [any LawDefinition]) throws -> [String: String] {
        var out: [String: String] = [:]
        for text in given {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard parts.count == 2, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw LawError("--law-option must be NAME=VALUE (got '\(text.count > 60 ? String(text.prefix(60)) + "..." : text)')")
            }
            guard out[name] == nil else { throw LawError("--law-option \(name) is given twice") }
            if !chosen.contains(where: { $0.lawOptions.contains { $0.name == name } }) {
                let users = laws.filter { $0.lawOptions.contains { $0.name == name } }
                let own = chosen.flatMap(\.lawOptions).map(\.name)
                throw LawError("--law-option \(name) is " + (users.isEmpty ? "not an option of any law" : "only used by \(Self.list(users.map(\.name), "and")) fits")
                               + " (" + (own.isEmpty ? "the \(Self.list(chosen.map(\.name), "and")) law\(chosen.count > 1 ? "s have" : " has") none" : "options: " + own.joined(separator: ", ")) + ")")
            }
            out[name] = String(parts[1])
        }
        return out
    }

    /// A kind of fit by its label, or by its law's name when it is the only law of its kind.
    func kindName(_ kind: LawInput) -> String {
        let ofKind = laws.filter { $0.input == kind }
        return ofKind.count == 1 ? ofKind[0].name : kind.label
    }

    /// "chinchilla and curve-law": whole kinds by their label, the rest by name.
    func describe(_ users: [any LawDefinition]) -> String {
        var parts: [String] = []
        for kind in LawInput.allCases {
            let ofKind = laws.filter { $0.input == kind }
            let used = users.filter { $0.input == kind }
            if used.isEmpty { continue }
            if used.count == ofKind.count && ofKind.count > 1 { parts.append(kind.label) } else { parts += used.map(\.name) }
        }
        return Self.list(parts, "and")
    }

    static func list(_ items: [String], _ conjunction: String) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }
}
