import Foundation
import Testing
@testable import Sweep

@Suite struct SweepSpecTests {
    let base = """
    name = "t"
    seq_len = 32
    batch = 8

    [models]
    shapes = ["1x32", "2x64"]

    [budgets]
    tokens_per_param = [5, 10, 20]

    [optim]
    lr = [1e-3, 3e-3]
    schedules = ["cosine", "wsd:decay=0.2,shape=1-sqrt"]
    seeds = [0, 1]
    """

    @Test func parsesEveryAxisAndExpandsTheGrid() throws {
        let s = try SweepSpec.parse(text: base, name: "t.toml")
        #expect(s.shapes.map(\.label) == ["1x32", "2x64"])
        #expect(s.tokensPerParam == [5, 10, 20])
        #expect(s.lrs == [1e-3, 3e-3] && s.seeds == [0, 1] && s.seqLen == 32 && s.batch == 8)
        let runs = try SweepPlan.runs(s)
        #expect(runs.count == 2 * 3 * 2 * 2 * 2)
        #expect(Set(runs.map(\.key)).count == runs.count)
        // Budgets are multiples of the non-embedding parameter count, rounded to whole steps.
        for r in runs {
            let tpp = Double(r.tokens) / Double(r.model.paramsNonEmbedding)
            #expect([5.0, 10, 20].contains { abs(tpp - $0) / $0 < 0.05 }, "\(r.label): \(tpp)")
            #expect(r.tokens == r.steps * r.batch * r.model.seqLen)
            #expect(r.model.nHead == r.model.dModel / 32)
        }
        // The plan is a pure function of the spec: same keys every time, different spec, different keys.
        #expect(try SweepPlan.runs(s).map(\.key) == runs.map(\.key))
        var other = s
        other.batch = 16
        #expect(Set(try SweepPlan.runs(other).map(\.key)).isDisjoint(with: runs.map(\.key)))
    }

    @Test func flopBudgetsGiveIsoFLOPProfiles() throws {
        let text = base.replacingOccurrences(of: "tokens_per_param = [5, 10, 20]", with: "flops = [1e11, 1e12]")
        let runs = try SweepPlan.runs(try SweepSpec.parse(text: text, name: "t.toml"))
        for r in runs {
            let c = 6 * Double(r.model.paramsNonEmbedding) * Double(r.tokens)
            #expect([1e11, 1e12].contains { abs(c / $0 - 1) < 0.01 }, "\(r.label): C = \(c)")
        }
    }

    @Test func shardsPartitionTheGrid() throws {
        let runs = try SweepPlan.runs(try SweepSpec.parse(text: base, name: "t.toml"))
        for n in 1...5 {
            let shards = (1...n).map { SweepPlan.shard(runs, index: $0, of: n) }
            #expect(shards.flatMap { $0 }.map(\.key).sorted() == runs.map(\.key).sorted())
            // Balanced by FLOPs: the spread is at most the largest run (longest-processing-time bound).
            let flops = shards.map { $0.reduce(0) { $0 + $1.flops } }
            #expect(flops.max()! - flops.min()! <= runs.map(\.flops).max()! * (1 + 1e-12), "\(flops)")
            #expect(shards.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func shardsOfASizeByBudgetGridTakeSimilarFLOPs() throws {
        // The demo's shape: 4 sizes x 4 budgets doubling. Every 4th run would put one budget in each shard.
        let spec = try SweepSpec.parse(text: """
            name = "g"
            [models]
            shapes = ["1x32", "2x32", "2x64", "3x64"]
            [budgets]
            tokens = [150_000, 300_000, 600_000, 1_200_000]
            """, name: "g.toml")
        let runs = try SweepPlan.runs(spec)
        let flops = (1...4).map { SweepPlan.shard(runs, index: $0, of: 4).reduce(0) { $0 + $1.flops } }
        #expect(flops.max()! / flops.min()! < 1.3, "\(flops)")
        // The same split every time: a requeued task or --status sees the shard it trained.
        #expect(SweepPlan.shard(runs, index: 2, of: 4) == SweepPlan.shard(try SweepPlan.runs(spec), index: 2, of: 4))
    }

    @Test func everyShardTrainsOnTheWholeSweepsCorpus() throws {
        let spec = try SweepSpec.parse(text: base, name: "t.toml")
        func runner(_ shard: (Int, Int)?) -> SweepRunner {
            SweepRunner(spec: spec, dbPath: "/dev/null", checkpointDir: URL(fileURLWithPath: "/tmp"), jobs: 1,
                        shard: shard, progress: SweepProgress(live: false, quiet: true))
        }
        let whole = try runner(nil).corpusTokens()
        #expect(try whole == SweepPlan.runs(spec).map(\.tokens).max())
        for n in 2...6 {
            for i in 1...n {
                // Some shards lack the largest budget; they still generate the same text.
                #expect(try runner((i, n)).corpusTokens() == whole, "shard \(i)/\(n)")
            }
        }
    }

    @Test func errorsNameTheKeyAndLine() {
        let cases: [(String, String)] = [
            (base.replacingOccurrences(of: "batch = 8", with: "batch = 8\nlearning_rate = 1"), "t.toml line 4: unknown key 'learning_rate'"),
            (base.replacingOccurrences(of: "[5, 10, 20]", with: "[]"), "line 9: 'tokens_per_param': is empty"),
            (base.replacingOccurrences(of: "[5, 10, 20]", with: "[5, -10]"), "line 9: 'tokens_per_param': values must be > 0"),
            (base.replacingOccurrences(of: "seq_len = 32", with: "seq_len = \"long\""), "line 2: 'seq_len': expected a number"),
            (base.replacingOccurrences(of: "\"1x32\", ", with: "\"1x30\", "), "d_model 30 is not a multiple of head_dim 32"),
            (base.replacingOccurrences(of: "[models]", with: "[model]"), "unknown section [model]"),
            (base.replacingOccurrences(of: "batch = 8", with: "batch = 8\nbatch = 9"), "key 'batch' appears twice"),
            ("name = \"x\"\n[models]\nshapes = [\"1x32\"]\n", "[budgets] needs exactly one of 'tokens', 'tokens_per_param' or 'flops'"),
        ]
        for (text, expected) in cases {
            #expect {
                _ = try SweepSpec.parse(text: text, name: "t.toml")
            } throws: { error in
                "\(error)".contains(expected) && !"\(error)".contains("\n")
            }
        }
    }

    @Test func multiLineArraysAndCommentsParse() throws {
        let text = """
        # a comment
        [models]
        shapes = [
            "1x32",  # small
            "2x32",
        ]
        [budgets]
        tokens = [1_000, 2e3]
        """
        let s = try SweepSpec.parse(text: text, name: "m.toml")
        #expect(s.shapes.count == 2 && s.tokens == [1000, 2000])
    }

    @Test func shapeRuleHitsTargetParameterCounts() {
        for target in [2e4, 1e5, 1e6, 1e7] {
            let shape = SweepSpec.shapeFor(params: target, headDim: 32)
            let n = 12 * Double(shape.nLayer) * Double(shape.dModel * shape.dModel)
            #expect(n / target > 0.5 && n / target < 2, "\(target): \(shape.label)")
            #expect(shape.dModel % 32 == 0)
        }
    }

    @Test func wsdBranchesShareTheTrunkWarmupAndDecayEarlier() throws {
        let text = base.replacingOccurrences(of: "seeds = [0, 1]", with: "seeds = [0]")
            .replacingOccurrences(of: "lr = [1e-3, 3e-3]", with: "lr = [1e-3]")
            .replacingOccurrences(of: "schedules = [\"cosine\", \"wsd:decay=0.2,shape=1-sqrt\"]", with: "schedules = [\"wsd:decay=0.2\"]")
            + "\n[wsd]\nbranching = true\n"
        let spec = try SweepSpec.parse(text: text, name: "w.toml")
        let runs = try SweepPlan.runs(spec)
        let runner = SweepRunner(spec: spec, dbPath: "/dev/null", checkpointDir: URL(fileURLWithPath: "/tmp"), jobs: 1,
                                 shard: nil, progress: SweepProgress(live: false, quiet: true))
        let groups = runner.groups(runs)
        #expect(groups.count == 2)  // one trunk per shape
        for g in groups {
            #expect(g.branches.count == 2)
            for b in g.branches {
                #expect(b.schedule.warmupSteps == g.trunk.schedule.warmupSteps)
                let start = g.branchStep[b.key]!
                #expect(start == b.schedule.decayStart && start < g.trunk.schedule.decayStart)
                // Up to the branch point the branch's LRs are the trunk's: it can start from its checkpoint.
                for s in 0..<start { #expect(b.schedule.lr(at: s) == g.trunk.schedule.lr(at: s)) }
            }
        }
    }

    @Test func branchedShardsKeepEachTrunkWithItsBranches() throws {
        let text = base.replacingOccurrences(of: "schedules = [\"cosine\", \"wsd:decay=0.2,shape=1-sqrt\"]",
                                             with: "schedules = [\"cosine\", \"wsd:decay=0.2\"]") + "\n[wsd]\nbranching = true\n"
        let spec = try SweepSpec.parse(text: text, name: "w.toml")
        let runs = try SweepPlan.runs(spec)
        let runner = SweepRunner(spec: spec, dbPath: "/dev/null", checkpointDir: URL(fileURLWithPath: "/tmp"), jobs: 1,
                                 shard: nil, progress: SweepProgress(live: false, quiet: true))
        let whole = runner.groups(runs).map { ([$0.trunk] + $0.branches).map(\.key).sorted() }.sorted { $0[0] < $1[0] }
        #expect(whole.contains { $0.count > 1 })
        let units = SweepPlan.shardUnits(runs, branching: true)
        #expect(units < runs.count)
        for n in 1...units {
            let shards = (1...n).map { SweepPlan.shard(runs, index: $0, of: n, branching: true) }
            #expect(shards.flatMap { $0 }.map(\.key).sorted() == runs.map(\.key).sorted())
            #expect(shards.allSatisfy { !$0.isEmpty })
            // Each shard groups its runs exactly as the whole sweep does: same trunks, same branches.
            let sharded = shards.flatMap { runner.groups($0).map { ([$0.trunk] + $0.branches).map(\.key).sorted() } }
            #expect(sharded.sorted { $0[0] < $1[0] } == whole)
        }
    }
}
