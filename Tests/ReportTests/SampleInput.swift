import Foundation
@testable import Report

/// A small synthetic but realistic report input: losses from a known Chinchilla surface
/// (exponents near Besiroglu et al. 2024's, coefficients shrunk to give tiny-model losses),
/// so every section has data.
enum SampleInput {
    static let e = 1.9, a = 40.0, b = 90.0, alpha = 0.3478, beta = 0.3658
    static func loss(_ n: Double, _ d: Double) -> Double { e + a / pow(n, alpha) + b / pow(d, beta) }

    static let sizes: [(layers: Int, width: Int, params: Double)] = [(2, 64, 1.0e5), (2, 96, 2.2e5), (4, 128, 7.9e5), (4, 192, 1.8e6)]
    static let budgets: [Double] = [4e6, 1.6e7, 6.4e7]

    static func make() -> ReportInput {
        var runs: [ReportInput.Run] = []
        for (si, s) in sizes.enumerated() {
            for (bi, d) in budgets.enumerated() {
                let curve = (1...40).map { i -> ReportInput.LossPoint in
                    let t = d * Double(i) / 40
                    return ReportInput.LossPoint(tokens: t, trainLoss: loss(s.params, t) + 0.02 * sin(Double(i)))
                }
                let evals = [0.25, 0.5, 1].map { f in
                    ReportInput.EvalPoint(tokens: d * f, valLoss: loss(s.params, d * f),
                                          downstreamError: 0.95 - 2.5 * exp(-0.9 * loss(s.params, d * f)))
                }
                runs.append(ReportInput.Run(id: "\(si * 10 + bi)", label: "L\(s.layers)-d\(s.width)-D\(bi)",
                                            nLayer: s.layers, dModel: s.width, params: s.params, tokens: d, lr: 3e-3,
                                            schedule: "cosine", status: "done", finalValLoss: loss(s.params, d),
                                            curve: curve, evals: evals))
            }
        }
        runs.append(ReportInput.Run(id: "99", label: "L8-d256 <queued>", nLayer: 8, dModel: 256, params: 6.3e6, tokens: 6.4e7,
                                    lr: 1e-3, schedule: "wsd", status: "queued"))
        let nGrid = (0...40).map { pow(10, 4.5 + 3.0 * Double($0) / 40) } // 3e4 .. 3e7
        let slices = budgets.map { d in
            FitCurves.SurfaceSlice(over: .params, fixed: d, points: nGrid.map { PlotPoint($0, loss($0, d)) },
                                   extrapolatesBeyond: sizes.last!.params)
        }
        let isoflop = [1e12, 1e13, 1e14].map { c -> FitCurves.IsoFLOPGroup in
            let ns = (0...6).map { pow(10, 4.6 + 0.35 * Double($0)) }
            let pts = ns.map { PlotPoint($0, loss($0, c / (6 * $0))) }
            let fine = (0...60).map { pow(10, 4.5 + 2.3 * Double($0) / 60) }.map { PlotPoint($0, loss($0, c / (6 * $0))) }
            return FitCurves.IsoFLOPGroup(compute: c, points: pts, parabola: fine, minimum: fine.min { $0.y < $1.y })
        }
        let g = pow(alpha * a / (beta * b), 1 / (alpha + beta))
        let frontierFit = (0...20).map { i -> FitCurves.FrontierPoint in
            let c = pow(10, 11.5 + 3.0 * Double(i) / 20)
            return FitCurves.FrontierPoint(compute: c, params: g * pow(c / 6, beta / (alpha + beta)),
                                           tokens: pow(c / 6, alpha / (alpha + beta)) / g)
        }
        let steps = (1...60).map { Double($0 * 50) }
        let annealing = [("cosine", false, 0.0), ("wsd", true, 0.08)].map { name, held, shift in
            FitCurves.AnnealingCurve(schedule: name, actual: steps.map { PlotPoint($0, 3.2 + 2 / sqrt($0 / 50) + shift + 0.01 * sin($0)) },
                                     predicted: steps.map { PlotPoint($0, 3.2 + 2 / sqrt($0 / 50) + shift) }, heldOut: held)
        }
        let downstreamPoints = runs.flatMap { $0.evals.compactMap { e in e.downstreamError.map { PlotPoint(e.valLoss, $0) } } }
        let downstreamFit = (0...30).map { i -> PlotPoint in
            let l = 2.3 + 2.0 * Double(i) / 30
            return PlotPoint(l, 0.95 - 2.5 * exp(-0.9 * l))
        }
        var erank: [ReportInput.EffectiveRankPoint] = []
        var cka: [ReportInput.CKAPoint] = []
        for run in ["0", "32"] {
            for step in stride(from: 0, through: 2000, by: 250) {
                for layer in 0..<4 {
                    for (m, matrix) in ["attn.qkv", "mlp.fc"].enumerated() {
                        let value = 64 - 30 * (1 - exp(-Double(step) / 600)) * (1 + 0.2 * Double(layer)) / Double(1 + m)
                        erank.append(.init(runID: run, step: step, matrix: "h\(layer).\(matrix)", erank: value))
                    }
                    cka.append(.init(runID: run, step: step, layer: "h\(layer)",
                                     cka: 1 - exp(-Double(step) / (200 + 250 * Double(layer)))))
                }
            }
        }
        let fits = [
            ReportInput.Fit(id: "1", law: "chinchilla", parameters: [
                .init(name: "E", value: e, interval: 1.85...1.95), .init(name: "A", value: a, interval: 30...52),
                .init(name: "B", value: b), .init(name: "alpha", value: alpha), .init(name: "beta", value: beta),
            ], rmse: 0.0123, n: 12, created: "2026-11-26T12:00:00Z"),
        ]
        return ReportInput(title: "scalefit sample report", source: "sample data (tests)", runs: runs, fits: fits,
                           effectiveRank: erank, cka: cka,
                           curves: FitCurves(chinchilla: slices, isoflop: isoflop, frontierFit: frontierFit, annealing: annealing,
                                             downstream: FitCurves.DownstreamCurve(points: downstreamPoints, fitted: downstreamFit)))
    }
}
