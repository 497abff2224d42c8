import Foundation

/// The machine's physical memory, to refuse a model that cannot fit before anything is allocated
/// or written (an oversized allocation dies with a signal, not an error).
public enum MachineMemory {
    /// `MemTotal` from /proc/meminfo in bytes; on systems without it, Foundation's figure.
    public static let totalBytes: Double = {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
           let kb = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            return kb * 1024
        }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }()

    /// Bytes in decimal units, two or three significant digits: "27 TB", "1.5 GB", "512 B".
    public static func format(bytes: Double) -> String {
        guard bytes.isFinite else { return "more than 10^300 B" }
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
        var v = bytes, u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        if u == units.count - 1 && v >= 1000 { return String(format: "%.2g EB", v) }
        return v >= 10 || u == 0 ? String(format: "%.0f %@", v, units[u]) : String(format: "%.1f %@", v, units[u])
    }
}
