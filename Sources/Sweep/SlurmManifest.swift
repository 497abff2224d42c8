import Foundation

/// What `sweep --slurm` submitted for one shard folder: the shard count and sweep it belongs to
/// (so a later `--slurm M` or another spec cannot mix shards into it) and every job id.
public struct SlurmManifest: Codable, Sendable, Equatable {
    public var shards: Int
    public var sweepName: String
    public var specHash: String
    public var arrayJobs: [String] = []
    public var mergeJobs: [String] = []

    public init(shards: Int, sweepName: String, specHash: String) {
        self.shards = shards
        self.sweepName = sweepName
        self.specHash = specHash
    }

    enum CodingKeys: String, CodingKey {
        case shards, sweepName = "sweep_name", specHash = "spec_hash", arrayJobs = "array_jobs", mergeJobs = "merge_jobs"
    }

    /// The manifest in `folder`, nil when nothing was submitted there yet.
    public static func read(_ folder: ShardFolder) throws -> SlurmManifest? {
        guard let data = FileManager.default.contents(atPath: folder.manifest) else { return nil }
        do {
            return try JSONDecoder().decode(SlurmManifest.self, from: data)
        } catch {
            throw SlurmError("\(folder.manifest) is not a scalefit Slurm manifest (\(error.localizedDescription))")
        }
    }

    public func write(_ folder: ShardFolder) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        try enc.encode(self).write(to: URL(fileURLWithPath: folder.manifest), options: .atomic)
    }
}

/// A Slurm problem worth one line: a tool missing, a rejected script, a clash with earlier shards.
public struct SlurmError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
