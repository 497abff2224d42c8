import Foundation
import LawRegistry
import Store

/// The report's view of fits of imported data: which points a fit used (its stored selection).
extension ReportData {
    /// The points a fit of imported data used: its source and `--where` as stored. A predicate
    /// that no longer runs (it was checked when the fit was made) falls back to the whole source.
    static func points(_ store: StoreReader, of f: StoredFit) throws -> [PointRecord] {
        guard let source = f.importedSource else { return [] }
        if let pts = try? store.points(source: source, where: f.selection.predicate) { return pts }
        return try store.points(source: source)
    }
}
