/// The sections of the report page, in page order.
public enum ReportSection: String, Sendable, CaseIterable {
    case summary
    case lossCurves = "loss-curves"
    case chinchilla
    case isoflop
    case frontier
    case annealing
    case downstream
    case effectiveRank = "effective-rank"
    case cka
    case tables

    public var heading: String {
        switch self {
        case .summary: return "Summary"
        case .lossCurves: return "Training loss per run"
        case .chinchilla: return "Final loss vs model size (Chinchilla fit)"
        case .isoflop: return "IsoFLOP profiles"
        case .frontier: return "Compute-optimal frontier"
        case .annealing: return "Learning-rate schedule fits"
        case .downstream: return "Downstream error vs loss"
        case .effectiveRank: return "Effective rank over training"
        case .cka: return "Layer convergence (linear CKA)"
        case .tables: return "Runs and fits"
        }
    }

    /// One sentence on what the section shows and why it matters.
    public var blurb: String {
        switch self {
        case .summary: return ""
        case .lossCurves: return "Training loss against tokens seen, log-log, one line per run coloured by model size."
        case .chinchilla: return "Final validation loss of each run against parameters, grouped by token budget, with the fitted L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, Eq. 2); dashed parts are extrapolation beyond the largest trained model."
        case .isoflop: return "Final loss against parameters at fixed compute C = 6ND, with the parabola in log N fitted per budget and its minimum (Hoffmann et al. 2022, Approach 2)."
        case .frontier: return "Compute-optimal parameters and tokens against compute: isoFLOP minima as markers, the fitted allocation dashed."
        case .annealing: return "Loss over steps for each learning-rate schedule, measured (solid) and predicted (dashed) by each fitted curve law: the annealing law L(s) = L0 + A S1^-α - C S2 (Tissue et al. 2024), the Multi-Power Law (Luo et al. 2025); held-out schedules (other runs of the fitted shape, --check-curve files and --check-run runs) are genuine predictions."
        case .downstream: return "Average downstream error against validation loss with the fitted Err(L) = ε - k exp(-γ L) (Gadre et al. 2024, Eq. 5)."
        case .effectiveRank: return "Effective rank exp(H(σ/Σσ)) of each weight matrix over training (Roy and Vetterli 2007): how many directions a layer actually uses."
        case .cka: return "Linear CKA between each layer's activations at a checkpoint and at the final checkpoint (Kornblith et al. 2019; Diehl Martinez et al. 2024): 1 means the layer has converged."
        case .tables: return ""
        }
    }
}

/// A plot with the section it belongs to and a stable, HTML-safe id.
public struct NamedPlot: Sendable {
    public var id: String
    public var section: ReportSection
    public var caption: String
    public var plot: Plot

    public init(id: String, section: ReportSection, caption: String, plot: Plot) {
        self.id = id
        self.section = section
        self.caption = caption
        self.plot = plot
    }
}
