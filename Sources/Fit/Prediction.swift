import Laws

extension Fitter {
    /// A fitted law's prediction at new inputs with its bootstrap percentile interval: the law
    /// evaluated at every bootstrap theta stored in `result` (nil interval when the fit had no
    /// bootstrap). This is how extrapolations (e.g. the loss of a 10x larger model) get error bars.
    public static func predictInterval<L: ScalingLaw>(_ law: L, _ result: FitResult, at x: [Double],
                                                      confidence: Double = 0.95)
        -> (value: Double, interval: ClosedRange<Double>?)
    {
        let value = law.predict(result.theta, x)
        let samples = BootstrapSamples(samples: result.bootstrapThetas, total: result.bootstrapTotal)
        return (value, samples.interval({ law.predict($0, x) }, confidence: confidence))
    }
}
