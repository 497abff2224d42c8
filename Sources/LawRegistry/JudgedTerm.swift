import Fit

/// A quantity a law's fit is judged by in place of one of its parameters' own interval, e.g. the
/// Chinchilla term A/N^alpha at the data's geometric-mean N in place of A (a value at N = 1): the
/// bootstrap interval of what the data measure, so a prefactor is not called unidentified only
/// because it is quoted decades away from every observation.
public struct JudgedTerm: Codable, Sendable, Equatable {
    /// What is judged, for notes: "A/N^alpha at N = 2.3e+04 (the data's geometric mean)".
    public var label: String
    /// Its 95% bootstrap interval.
    public var interval: StoredFit.Interval

    public init(label: String, interval: ClosedRange<Double>) {
        self.label = label
        self.interval = StoredFit.Interval(interval)
    }
}
