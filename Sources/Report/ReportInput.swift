/// Everything the report shows, as plain values. The CLI fills it from the results database;
/// this module never touches the database, so it can be tested with hand-made inputs.
public struct ReportInput: Sendable {
    public var title: String
    /// Shown in the summary (e.g. the database path and a timestamp); free text.
    public var source: String
    public var runs: [Run]
    public var fits: [Fit]
    public var effectiveRank: [EffectiveRankPoint]
    public var cka: [CKAPoint]
    public var curves: FitCurves
    /// The commands named in "missing data" sentences.
    public var commands: Commands
    /// The exact entropy rate of the runs' corpus (nats per token) when every run trained on one
    /// synthetic language: the true irreducible loss, drawn as a reference under the loss plots.
    public var entropyRate: Double?
    /// The lowest loss any model reaches on the runs' windows (entropy rate plus the finite-window
    /// term), when every run trained on one built-in language with one sequence length.
    public var bestLoss: Double?
    /// The irreducible-loss parameter of the latest fit of a law that has one (Chinchilla's E;
    /// chosen by the caller), compared with the entropy rate in the summary.
    public var irreducibleEstimate: IrreducibleEstimate?

    /// A fit's estimate of the irreducible loss.
    public struct IrreducibleEstimate: Sendable {
        /// How the summary names the law ("Chinchilla").
        public var law: String
        public var parameter: Parameter
        public init(law: String, parameter: Parameter) {
            self.law = law
            self.parameter = parameter
        }
    }
    /// Imported points per source (`scalefit import`), for the summary.
    public var importedSources: [(source: String, points: Int)] = []

    public init(title: String = "scalefit report", source: String = "", runs: [Run] = [], fits: [Fit] = [],
                effectiveRank: [EffectiveRankPoint] = [], cka: [CKAPoint] = [], curves: FitCurves = FitCurves(),
                commands: Commands = Commands()) {
        self.title = title
        self.source = source
        self.runs = runs
        self.fits = fits
        self.effectiveRank = effectiveRank
        self.cka = cka
        self.curves = curves
        self.commands = commands
    }

    /// True when there is nothing at all to show.
    public var isEmpty: Bool {
        runs.isEmpty && fits.isEmpty && effectiveRank.isEmpty && cka.isEmpty && curves.isEmpty && importedSources.isEmpty
    }

    /// One training run.
    public struct Run: Sendable {
        public var id: String
        public var label: String
        public var nLayer: Int
        public var dModel: Int
        /// Parameter count N as the latest Chinchilla fit counts it (total parameters unless it chose non-embedding).
        public var params: Double
        /// Token budget D of the run.
        public var tokens: Double
        public var lr: Double
        public var schedule: String
        public var status: String
        public var finalValLoss: Double?
        /// Training loss over the run.
        public var curve: [LossPoint]
        /// Periodic evaluations.
        public var evals: [EvalPoint]

        public init(id: String, label: String, nLayer: Int, dModel: Int, params: Double, tokens: Double, lr: Double,
                    schedule: String, status: String, finalValLoss: Double? = nil, curve: [LossPoint] = [],
                    evals: [EvalPoint] = []) {
            self.id = id
            self.label = label
            self.nLayer = nLayer
            self.dModel = dModel
            self.params = params
            self.tokens = tokens
            self.lr = lr
            self.schedule = schedule
            self.status = status
            self.finalValLoss = finalValLoss
            self.curve = curve
            self.evals = evals
        }
    }

    public struct LossPoint: Sendable, Equatable {
        public var tokens: Double
        public var trainLoss: Double
        public init(tokens: Double, trainLoss: Double) {
            self.tokens = tokens
            self.trainLoss = trainLoss
        }
    }

    public struct EvalPoint: Sendable, Equatable {
        public var tokens: Double
        public var valLoss: Double
        /// Downstream task error in [0, 1] (1 - accuracy), if evaluated.
        public var downstreamError: Double?
        public init(tokens: Double, valLoss: Double, downstreamError: Double? = nil) {
            self.tokens = tokens
            self.valLoss = valLoss
            self.downstreamError = downstreamError
        }
    }

    /// One stored fit of a scaling law.
    public struct Fit: Sendable {
        public var id: String
        public var law: String
        public var parameters: [Parameter]
        public var rmse: Double
        public var n: Int
        /// Creation time as stored (free text, e.g. ISO 8601).
        public var created: String
        /// Caveats stored with the fit (e.g. "E ran to 0: ... not identified").
        public var notes: [String]
        /// `fit --holdout KIND`: the fit left some runs out (so it is not the fit on all the data).
        public var holdout: String?

        public init(id: String, law: String, parameters: [Parameter], rmse: Double, n: Int, created: String,
                    notes: [String] = [], holdout: String? = nil) {
            self.holdout = holdout
            self.id = id
            self.law = law
            self.parameters = parameters
            self.rmse = rmse
            self.n = n
            self.created = created
            self.notes = notes
        }
    }

    public struct Parameter: Sendable {
        public var name: String
        public var value: Double
        /// Confidence interval (e.g. 95% bootstrap), if computed.
        public var interval: ClosedRange<Double>?
        public init(name: String, value: Double, interval: ClosedRange<Double>? = nil) {
            self.name = name
            self.value = value
            self.interval = interval
        }
    }

    /// Effective rank of one weight matrix of one run at one step.
    public struct EffectiveRankPoint: Sendable {
        public var runID: String
        public var step: Int
        /// Layer/matrix name, e.g. "h0.attn.qkv".
        public var matrix: String
        public var erank: Double
        public init(runID: String, step: Int, matrix: String, erank: Double) {
            self.runID = runID
            self.step = step
            self.matrix = matrix
            self.erank = erank
        }
    }

    /// Linear CKA of one layer's activations at one step vs the final checkpoint's.
    public struct CKAPoint: Sendable {
        public var runID: String
        public var step: Int
        public var layer: String
        public var cka: Double
        public init(runID: String, step: Int, layer: String, cka: Double) {
            self.runID = runID
            self.step = step
            self.layer = layer
            self.cka = cka
        }
    }

    /// Commands to suggest when a section has no data (the CLI can override the defaults).
    public struct Commands: Sendable {
        public var sweep = "scalefit sweep --preset demo"
        public var fitChinchilla = "scalefit fit --law chinchilla"
        public var fitIsoflop = "scalefit fit --law isoflop"
        public var fitAnnealing = "scalefit fit --law annealing"
        public var fitDownstream = "scalefit fit --law downstream"
        public var downstreamEval = "scalefit sweep --preset demo (runs evaluate the built-in downstream tasks)"
        public var effectiveRank = "scalefit sweep --preset demo (measured at every evaluation; scalefit analyze --run ID prints them)"
        public var cka = "scalefit sweep --preset demo (computed when a run finishes; scalefit analyze --run ID prints it)"
        public init() {}
    }
}
