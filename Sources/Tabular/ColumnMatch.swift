/// Which column of a table holds a field, by name: the names people's tools write for it.
///
/// Names are compared case-insensitively after trimming. A column also matches when its name
/// ends with " - NAME": W&B panel exports name columns `RUN - train/loss` (their `__MIN` and
/// `__MAX` companions do not match). Aliases are tried in order, so `loss` wins over `val/loss`
/// when a file has both; `prefixes` match the start of a name (`lr-` for PyTorch Lightning's
/// `lr-AdamW`).
public struct ColumnSpec: Sendable {
    public var field: String
    public var aliases: [String]
    public var prefixes: [String]

    public init(_ field: String, aliases: [String], prefixes: [String] = []) {
        self.field = field
        self.aliases = aliases
        self.prefixes = prefixes
    }

    /// What the error for a missing column lists.
    public var accepted: String {
        (aliases + prefixes.map { "\($0)*" }).joined(separator: ", ")
    }
}

extension DataTable {
    /// The column index of `spec`, or nil when no column matches. `explicit` (a user's
    /// `--loss-col NAME`) must name a column of the file.
    public func column(_ spec: ColumnSpec, explicit: String? = nil) throws -> Int? {
        let names = columns.map { $0.lowercased() }
        if let explicit {
            let want = explicit.trimmingCharacters(in: .whitespaces).lowercased()
            guard let k = names.firstIndex(of: want) else {
                throw error(headerLine, "no column '\(explicit)' for \(spec.field) (columns: \(columnList))")
            }
            return k
        }
        // An exact name wins; several `RUN - NAME` columns (a W&B export of several runs) or
        // several `lr-*` columns (one per parameter group) are ambiguous, never a silent pick.
        func one(_ matches: [Int]) throws -> Int? {
            guard matches.count <= 1 else {
                let list = matches.prefix(4).map { "'\(columns[$0])'" }.joined(separator: ", ")
                throw error(headerLine, "\(matches.count) columns could be the \(spec.field) (\(list)\(matches.count > 4 ? ", ..." : "")): name one with its --*-col flag")
            }
            return matches.first
        }
        for alias in spec.aliases {
            if let k = names.firstIndex(of: alias) { return k }
            if let k = try one(names.indices.filter { names[$0].hasSuffix(" - " + alias) }) { return k }
        }
        for p in spec.prefixes {
            if let k = try one(names.indices.filter { names[$0].hasPrefix(p) }) { return k }
        }
        return nil
    }

    /// The column of `spec`; its absence is an error naming the names accepted.
    public func requiredColumn(_ spec: ColumnSpec, explicit: String? = nil, flag: String? = nil) throws -> Int {
        guard let k = try column(spec, explicit: explicit) else {
            let hint = flag.map { ", or name it with \($0)" } ?? ""
            throw error(headerLine, "no \(spec.field) column (accepted names: \(spec.accepted)\(hint); columns: \(columnList))")
        }
        return k
    }

    /// The columns, for messages (cut short when there are many).
    public var columnList: String {
        columns.count <= 12 ? columns.joined(separator: ", ") : columns.prefix(12).joined(separator: ", ") + ", ... (\(columns.count) in all)"
    }

    /// The number in `row`'s cell of column `k`: nil when the cell is empty or missing; an error
    /// naming the line and column when it is not a finite decimal number.
    public func number(_ row: Row, _ k: Int) throws -> Double? {
        guard let raw = row.cells[k] else { return nil }
        if raw.allSatisfy({ $0 == " " || $0 == "\t" }) { return nil }
        guard let v = DecimalNumber.parse(raw) else {
            throw error(row.line, "\(columns[k]) = \(TableFileError.quote(raw)) is not a finite decimal number")
        }
        return v
    }
}
