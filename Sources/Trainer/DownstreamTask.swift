/// One multiple-choice question: which continuation follows `context`?
public struct MultipleChoiceItem: Sendable, Equatable {
    public var context: [UInt8]
    public var choices: [[UInt8]]
    /// Index of the true continuation in `choices`.
    public var answer: Int

    public init(context: [UInt8], choices: [[UInt8]], answer: Int) {
        self.context = context
        self.choices = choices
        self.answer = answer
    }
}

/// A downstream task: a set of multiple-choice items scored by the model's log-likelihood of each
/// choice given the context. Its metric is top-1 error, the quantity Gadre et al. (2024, "Language
/// models scale reliably with over-training and on downstream tasks") predict from the validation
/// loss with an exponential law; tasks built here let the project test that link on its own models.
public struct DownstreamTask: Sendable {
    public var name: String
    public var description: String
    public var items: [MultipleChoiceItem]

    public init(name: String, description: String, items: [MultipleChoiceItem]) {
        self.name = name
        self.description = description
        self.items = items
    }

    /// Top-1 error: the fraction of items whose true choice does not score strictly higher than every
    /// other choice. Ties (and NaN scores) count as wrong, so a model that cannot tell choices apart
    /// scores error 1, never a lucky 1/k. `score` is typically the summed log-likelihood of the
    /// continuation given the context. Comparisons are exact, so a context-free scorer only ties if
    /// its sums are exact; rounding noise can break such ties either way. NaN for a task without items.
    public func evaluate(score: (_ context: [UInt8], _ continuation: [UInt8]) -> Double) -> Double {
        evaluate(scoreAll: { pairs in pairs.map { score($0.context, $0.continuation) } })
    }

    /// The same top-1 error with every (context, choice) pair of the task scored in one call, so a
    /// model can batch them (`Model.logLikelihoods`).
    public func evaluate(scoreAll: (_ pairs: [(context: [UInt8], continuation: [UInt8])]) -> [Double]) -> Double {
        guard !items.isEmpty else { return .nan }
        let all = scoreAll(items.flatMap { item in item.choices.map { (context: item.context, continuation: $0) } })
        var wrong = 0
        var next = 0
        for item in items {
            let scores = Array(all[next..<(next + item.choices.count)])
            next += item.choices.count
            let truth = scores[item.answer]
            let beaten = scores.indices.contains { $0 != item.answer && !(truth > scores[$0]) }
            if beaten || truth.isNaN { wrong += 1 }
        }
        return Double(wrong) / Double(items.count)
    }
}
