/// Caps on the sizes a user can ask for. Every count is checked against these (as a Double or an
/// Int64) before it becomes an Int or enters any size arithmetic: the trainer is compiled with
/// `-Ounchecked`, where an overflowing product would wrap silently instead of trapping. The caps
/// are far above anything a CPU can train (the demo preset runs 10^3 steps) and far below where
/// counts multiplied together could overflow 64 bits; the README states them.
public enum InputLimits {
    /// Optimizer steps of one run, and the step count of any curve or schedule (10^8).
    public static let maxSteps = 100_000_000
    /// Training tokens of one run, and any token budget (10^12).
    public static let maxTokens = 1_000_000_000_000
    /// Seeds are stored as 64-bit integers and read from specs as doubles: 2^53 - 1 keeps every seed exact.
    public static let maxSeed = 9_007_199_254_740_991
    /// Any single model dimension (layers, width, heads, context, batch); the memory check bounds
    /// their products, this keeps each factor sane before the products are formed.
    public static let maxDimension = 1 << 24
    /// BLAS threads and sweep jobs.
    public static let maxThreads = 4096
    /// Evaluation windows, downstream items, evaluations per run, bootstrap resamples, fit starts.
    public static let maxCount = 1_000_000
    /// Bootstrap resamples of one fit (each is a full refit; the default is 100).
    public static let maxBootstrap = 10_000
    /// Items per built-in downstream task: every evaluation scores them all (the presets use 100).
    public static let maxDownstreamItems = 10_000
    /// Parameter counts (spec `params`) and FLOP budgets: beyond these no model fits in memory anyway.
    public static let maxParams = 1e13
    public static let maxFLOPs = 1e30
    /// Learning rates read from curve and LR files. No optimiser trains at a rate above this (large-batch
    /// SGD with LARS uses tens); a column of 1e308 would overflow the curve laws' sums of rates, and the
    /// fit would search for a minute before failing.
    public static let maxLearningRate = 1e3
    /// Runs of one sweep grid (the paper preset has 60; a sweep plans and records every run up front).
    public static let maxRunsPerSweep = 100_000
}
