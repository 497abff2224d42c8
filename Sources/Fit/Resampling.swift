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
            return (0..<resamples).map { _ in rows(data.count, using: &rng) }
        }
        let units = rowsByGroup(groups)
        return (0..<resamples).map { _ in clusters(units, using: &rng) }
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
    static func withinGroups(_ groups: [[Int]], using rng: inout ResampleRNG) -> [[Int]] {
        groups.map { rows in rows.map { _ in rows[rng.index(below: rows.count)] } }
    }

    /// Whole clusters drawn with replacement (as many as there are), all their rows kept: the
    /// cluster bootstrap, for rows that are correlated within a cluster (the evaluations of one run).
    static func clusters(_ units: [[Int]], using rng: inout ResampleRNG) -> [Int] {
        (0..<units.count).flatMap { _ in units[rng.index(below: units.count)] }
    }

    /// Rows drawn with replacement, n of n.
    static func rows(_ n: Int, using rng: inout ResampleRNG) -> [Int] {
        (0..<n).map { _ in rng.index(below: n) }
    }
}
