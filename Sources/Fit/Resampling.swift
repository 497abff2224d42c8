/// Bootstrap resampling plans, drawn up front from one seed so results do not depend on how the
/// refits are scheduled over threads.
enum Resampling {
    /// Row-index lists for `resamples` bootstrap datasets. Without groups, rows are drawn with
    /// replacement (n of n). With `data.groups`, whole groups are drawn with replacement (as many
    /// as there are distinct groups) and all their rows kept, because rows within a group (e.g. the
    /// points of one run's loss curve) are not independent observations.
    static func indexSets(for data: Dataset, resamples: Int, seed: UInt64) -> [[Int]] {
        var rng = ResampleRNG(seed: seed)
        guard let groups = data.groups else {
            let n = data.count
            return (0..<resamples).map { _ in (0..<n).map { _ in rng.index(below: n) } }
        }
        let units = rowsByGroup(groups)
        return (0..<resamples).map { _ in
            (0..<units.count).flatMap { _ in units[rng.index(below: units.count)] }
        }
    }

    /// Row indices per distinct group label, groups in order of first appearance.
    static func rowsByGroup(_ groups: [Int]) -> [[Int]] {
        var order: [Int: Int] = [:]
        var rows: [[Int]] = []
        for (i, g) in groups.enumerated() {
            if let k = order[g] {
                rows[k].append(i)
            } else {
                order[g] = rows.count
                rows.append([i])
            }
        }
        return rows
    }

    /// Resampling within fixed groups: each group keeps its size and draws its members with
    /// replacement (the IsoFLOP bootstrap, where the compute levels themselves are the design).
    static func withinGroups(_ groups: [[Int]], resamples: Int, seed: UInt64) -> [[[Int]]] {
        var rng = ResampleRNG(seed: seed)
        return (0..<resamples).map { _ in
            groups.map { rows in rows.map { _ in rows[rng.index(below: rows.count)] } }
        }
    }
}
