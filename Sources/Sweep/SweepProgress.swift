import Foundation
import Store
import Trainer

/// Sweep progress on stderr: a live status line on a terminal (runs done/total, the current
/// run's step and loss, an ETA from FLOPs done vs. left), plain log lines otherwise.
public final class SweepProgress: @unchecked Sendable {
    let live: Bool
    let quiet: Bool
    let lock = NSLock()
    var total = 0
    var done = 0
    var flopsTotal = 0.0
    var flopsDone = 0.0
    /// Model FLOPs of the steps trained so far in this sweep call (6N + attention per token).
    public var trainedFLOPs: Double { lock.withLock { flopsDone } }
    var started = Date()
    var current: [String: (label: String, step: Int, steps: Int, loss: Double, flopsPerStep: Double)] = [:]
    var lastDraw = Date.distantPast

    public init(live: Bool = isatty(2) == 1, quiet: Bool = false) {
        self.live = live
        self.quiet = quiet
    }

    func emit(_ s: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(s.utf8))
    }

    func start(total: Int, alreadyDone: Int, flopsTotal: Double, entropyRate: Double?, bestLoss: Double? = nil) {
        lock.withLock {
            self.total = total
            self.done = alreadyDone
            self.flopsTotal = flopsTotal
            started = Date()
        }
        var msg = "sweep: \(total) runs, \(alreadyDone) already done, \(String(format: "%.3g", flopsTotal)) training FLOPs planned"
        if let h = entropyRate { msg += String(format: "; corpus entropy rate %.4f nats/token", h) }
        if let b = bestLoss { msg += String(format: ", best loss on the training windows %.4f", b) }
        emit(msg + "\n")
    }

    func runStarted(_ r: PlannedRun) {
        lock.withLock {
            current[r.key] = (r.label, 0, r.steps, .nan, r.flops / Double(r.steps))
        }
        if !live { emit("start  \(r.label) (\(r.steps) steps)\n") }
    }

    func event(_ r: PlannedRun, _ e: TrainingEvent) {
        guard case .step(let step, _, _, let loss, _, _) = e else { return }
        let line: String? = lock.withLock {
            if let c = current[r.key] {
                flopsDone += c.flopsPerStep
                current[r.key] = (c.label, step + 1, c.steps, loss, c.flopsPerStep)
            }
            guard live, Date().timeIntervalSince(lastDraw) > 0.25 else { return nil }
            lastDraw = Date()
            return statusLine()
        }
        if let line { emit("\r\u{1B}[2K" + line) }
    }

    func runFinished(_ r: PlannedRun, record: RunRecord) {
        let line: String = lock.withLock {
            done += 1
            current[r.key] = nil
            return String(format: "done   %@: %@, val loss %.4f, %.0f tok/s  [%d/%d]", r.label, record.status,
                          record.finalValLoss ?? .nan, record.tokensPerSecond ?? 0, done, total)
        }
        emit((live ? "\r\u{1B}[2K" : "") + line + "\n")
    }

    func finish() {
        if live { emit("\r\u{1B}[2K") }
    }

    /// "runs 3/12 | 2x64 D=1.2M step 340/1200 loss 2.31 | ETA 1m20s"
    func statusLine() -> String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? flopsDone / elapsed : 0
        let eta = rate > 0 ? max(0, flopsTotal - flopsDone) / rate : .nan
        let runs = current.values.map { String(format: "%@ step %d/%d loss %.3f", $0.label, $0.step, $0.steps, $0.loss) }
        return "runs \(done)/\(total) | " + runs.joined(separator: " | ") + " | ETA " + formatDuration(eta)
    }
}

func formatDuration(_ s: Double) -> String {
    guard s.isFinite else { return "?" }
    let t = Int(s.rounded())
    if t >= 3600 { return "\(t / 3600)h\(String(format: "%02d", (t % 3600) / 60))m" }
    if t >= 60 { return "\(t / 60)m\(String(format: "%02d", t % 60))s" }
    return "\(t)s"
}
