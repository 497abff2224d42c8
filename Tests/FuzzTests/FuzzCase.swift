import CLITestSupport
import Foundation

/// One hostile command line. `{DB}` in an argument is replaced by the database the case runs against.
struct FuzzCase: Sendable {
    var name: String
    var args: [String]

    init(_ name: String, _ args: [String]) {
        self.name = name
        self.args = args
    }
}

/// Runs cases against copies of a fixture database, a few processes at a time, and checks the
/// contract for bad input: exit code 2, exactly one stderr line starting `error: `, no signal, no
/// timeout, and a database whose canonical dump is unchanged.
enum FuzzRunner {
    static let workers = 3
    static let timeout: TimeInterval = 30

    /// The failures, one line each (empty when every case kept the contract).
    /// The next case to take and the failures so far, shared by the worker threads.
    private final class Progress: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var failures: [String] = []
    }

    static func run(_ cases: [FuzzCase], fixture: FuzzFixture) -> [String] {
        let shared = Progress()
        let start = Date()
        defer {
            print(String(format: "fuzz: %d cases, %d broke the contract, %.1f s", cases.count, shared.failures.count,
                         Date().timeIntervalSince(start)))
        }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let db = fixture.scratch.path("worker-\(UUID().uuidString).db")
            func reset() -> String {
                try? FileManager.default.removeItem(atPath: db)
                try! FileManager.default.copyItem(atPath: fixture.database, toPath: db)
                return try! DatabaseDump.canonical(db)
            }
            var before = reset()
            while true {
                let i: Int? = shared.lock.withLock {
                    guard shared.next < cases.count else { return nil }
                    shared.next += 1
                    return shared.next - 1
                }
                guard let i else { break }
                let c = cases[i]
                let args = c.args.map { $0.replacingOccurrences(of: "{DB}", with: db) }
                var problems: [String] = []
                do {
                    // A crash is seen as the signal; the backtracer's symbolication would only cost seconds.
                    let r = try CLI.run(args, cwd: fixture.scratch.url, timeout: timeout,
                                        environment: ["SWIFT_BACKTRACE": "enable=no"])
                    let lines = r.stderr.split(separator: "\n")
                    if r.signaled { problems.append("crashed (signal \(r.status))") }
                    if r.timedOut { problems.append("timed out after \(Int(timeout)) s") }
                    if r.status != 2 { problems.append("exit \(r.status)") }
                    if lines.count != 1 || !lines[0].hasPrefix("error: ") {
                        problems.append("stderr \(lines.count) lines: \(String(r.stderr.prefix(300)))")
                    }
                    let after = (try? DatabaseDump.canonical(db)) ?? "<unreadable>"
                    if after != before {
                        problems.append("changed the database")
                        before = reset()
                    }
                } catch {
                    problems.append("could not run: \(error)")
                }
                if !problems.isEmpty {
                    let shown = args.map { $0.count > 200 ? "\($0.prefix(40))...(\($0.count) chars)" : $0 }
                    // The generated file, so the failure can be read without rerunning.
                    if let file = c.args.first(where: { $0.contains("/gen-") }),
                       let text = try? String(contentsOfFile: file, encoding: .utf8) {
                        problems.append("file: " + String(text.prefix(240)).replacingOccurrences(of: "\n", with: "\\n"))
                    }
                    shared.lock.withLock { shared.failures.append("[\(c.name)] \(shown.joined(separator: " ")): \(problems.joined(separator: "; "))") }
                }
            }
            try? FileManager.default.removeItem(atPath: db)
        }
        return shared.failures.sorted()
    }
}
