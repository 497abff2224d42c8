import Foundation
import Store

/// `StoredFit` <-> a row of the `fits` table. The columns and the keys of `options` are those the
/// table has always had (README "Schema"), so rows written by earlier versions load (a law's
/// `upgrade` fills in what they lack) and SQL over `options` keeps working.
extension StoredFit {
    /// Keys of `options` that belong to every fit; the rest are the law's form or annotations.
    static let commonKeys: Set<String> = ["bootstrap", "seed", "starts", "theta", "bootstrap_thetas", "data_range",
                                          "unidentified", "bootstrap_converged", "bootstrap_total", "notes"]
    /// Keys the command adds around the law (`annotations`).
    public static let annotationKeys: Set<String> = ["checks", "holdout", "points", "loss"]

    /// The fit as a row of `fits`.
    public var record: FitRecord {
        var opts: [(String, JSONText.Value)] = [("bootstrap", .int(Int64(bootstrapOption))),
                                                ("seed", .int(Int64(bitPattern: seed)))]
        if let starts { opts.append(("starts", .int(Int64(starts)))) }
        opts += lawForm.members
        opts.append(("theta", .array(theta.map { .number($0) })))
        opts.append(("bootstrap_thetas", .array(bootstrapThetas.map { .array($0.map { .number($0) }) })))
        opts.append(("data_range", .object(dataRange.map { ($0.name, .number($0.value)) })))
        if !unidentified.isEmpty { opts.append(("unidentified", .array(unidentified.map { .string($0) }))) }
        opts.append(("bootstrap_converged", .int(Int64(bootstrapConverged))))
        opts.append(("bootstrap_total", .int(Int64(bootstrapTotal))))
        if !notes.isEmpty { opts.append(("notes", .array(notes.map { .string($0) }))) }
        opts += annotations.members
        var r = FitRecord(law: law, params: JSONText.render(paramsJSON), intervals: JSONText.render(intervalsJSON),
                          selection: JSONText.render(selection.json), objective: objective,
                          objectiveValue: objectiveValue, rmse: rmse, r2: r2, nPoints: n, converged: true,
                          status: status, options: JSONText.render(.object(opts)))
        r.id = id
        r.createdAt = createdAt
        return r
    }

    /// `{name: value}` of the reported parameters.
    public var paramsJSON: JSONText.Value { .object(zip(parameterNames, parameters).map { ($0, .number($1)) }) }

    /// `{name: [lo, hi]}` for the parameters that have an interval.
    public var intervalsJSON: JSONText.Value {
        .object(zip(parameterNames, intervals).compactMap { name, iv in
            iv.map { (name, .array([.number($0.lower), .number($0.upper)])) }
        })
    }

    /// A row of `fits`, of this version or an earlier one: every column and key may be missing or
    /// malformed (a hand-edited row) and reads as empty; nothing is dropped (unknown `options` keys
    /// stay in `lawForm`, so storing the fit again keeps them). The law's `upgrade` runs after this
    /// (`LawRegistry.storedFit(from:)`).
    public init(record r: FitRecord) {
        let params = (try? JSONText.parse(r.params))?.members ?? []
        let ci = (try? JSONText.parse(r.intervals))?.members ?? []
        self.init(law: r.law, parameterNames: params.map(\.0), parameters: params.map { $0.1.double ?? .nan },
                  intervals: params.map { name, _ in
                      guard let a = ci.last(where: { $0.0 == name })?.1.array, a.count == 2,
                            let lo = a[0].double, let hi = a[1].double, lo <= hi else { return nil }
                      return Interval(lo...hi)
                  },
                  theta: [], bootstrapThetas: [], objective: r.objective, objectiveValue: r.objectiveValue ?? .nan,
                  rmse: r.rmse ?? .nan, r2: r.r2 ?? .nan, n: r.nPoints, status: r.status)
        id = r.id
        createdAt = r.createdAt
        if let text = r.selection.data(using: .utf8), let s = try? JSONDecoder().decode(FitSelection.self, from: text) {
            selection = s
        }
        let opts = (try? JSONText.parse(r.options))?.members ?? []
        func option(_ key: String) -> JSONText.Value? { opts.last { $0.0 == key }?.1 }
        theta = option("theta")?.array?.map { $0.double ?? .nan } ?? []
        bootstrapThetas = (option("bootstrap_thetas")?.array ?? []).map { $0.array?.map { $0.double ?? .nan } ?? [] }
        dataRange = (option("data_range")?.members ?? []).compactMap { k, v in v.double.map { RangeBound(k, $0) } }
        unidentified = option("unidentified")?.array?.compactMap(\.string) ?? []
        notes = option("notes")?.array?.compactMap(\.string) ?? []
        bootstrapConverged = option("bootstrap_converged")?.double.map { Int($0) } ?? 0
        bootstrapTotal = option("bootstrap_total")?.double.map { Int($0) } ?? 0
        bootstrapOption = option("bootstrap")?.double.map { Int($0) } ?? 0
        if case .int(let s) = option("seed") { seed = UInt64(bitPattern: s) }
        starts = option("starts")?.double.map { Int($0) }
        lawForm = JSONMembers(opts.filter { !Self.commonKeys.contains($0.0) && !Self.annotationKeys.contains($0.0) })
        annotations = JSONMembers(opts.filter { Self.annotationKeys.contains($0.0) })
    }
}
