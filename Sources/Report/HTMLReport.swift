extension ReportBuilder {
    /// One self-contained HTML page: inline CSS and inline SVGs, no scripts, no network. Every
    /// section appears; sections without data say what is missing and which command produces it.
    public static func html(_ input: ReportInput, plots: [NamedPlot]) -> String {
        var body = "<h1>\(xmlEscaped(input.title))</h1>\n"
        if !input.source.isEmpty { body += "<p class=\"source\">\(xmlEscaped(input.source))</p>\n" }
        body += "<nav>" + ReportSection.allCases.map { "<a href=\"#\($0.rawValue)\">\(xmlEscaped($0.heading))</a>" }.joined() + "</nav>\n"
        for section in ReportSection.allCases {
            body += "<section id=\"\(section.rawValue)\">\n<h2>\(xmlEscaped(section.heading))</h2>\n"
            if !section.blurb.isEmpty { body += "<p class=\"blurb\">\(xmlEscaped(section.blurb))</p>\n" }
            for note in missingNotes(section, input) {
                body += "<p class=\"missing\">\(inlineCode(note))</p>\n"
            }
            switch section {
            case .summary: body += summary(input)
            case .tables:
                if !input.runs.isEmpty { body += "<h3>Runs</h3>\n" + HTMLTables.runs(orderedRuns(input)) }
                if !input.fits.isEmpty { body += "<h3>Fits</h3>\n" + HTMLTables.fits(input.fits) }
            default: break
            }
            for plot in plots where plot.section == section {
                body += "<figure id=\"fig-\(xmlEscaped(plot.id))\">\n\(plot.plot.svg())<figcaption>\(xmlEscaped(plot.caption))</figcaption>\n</figure>\n"
            }
            body += "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(xmlEscaped(input.title))</title>
        <style>
        \(HTMLStyle.css)
        </style>
        </head>
        <body>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    /// Escapes a sentence and renders `backticked` spans as <code>.
    static func inlineCode(_ text: String) -> String {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { i, part in
            i % 2 == 1 ? "<code>\(xmlEscaped(String(part)))</code>" : xmlEscaped(String(part))
        }.joined()
    }

    static func summary(_ input: ReportInput) -> String {
        guard !input.isEmpty else { return "" }
        var items: [String] = []
        let statuses = Dictionary(grouping: input.runs, by: \.status).map { "\($0.value.count) \($0.key)" }.sorted()
        items.append("\(input.runs.count) run(s)" + (statuses.isEmpty ? "" : ": " + statuses.joined(separator: ", ")))
        if let lo = input.runs.map(\.params).min(), let hi = input.runs.map(\.params).max() {
            items.append("Model sizes \(ReportFormat.count(lo)) to \(ReportFormat.count(hi)) parameters")
        }
        if let lo = input.runs.map(\.tokens).min(), let hi = input.runs.map(\.tokens).max() {
            items.append("Token budgets \(ReportFormat.count(lo)) to \(ReportFormat.count(hi)) tokens")
        }
        if let best = finishedRuns(input).min(by: { $0.finalValLoss! < $1.finalValLoss! }) {
            items.append("Best final validation loss \(ReportFormat.value(best.finalValLoss!)) nats/token (\(best.label))")
        }
        if let h = input.entropyRate {
            var line = "Corpus entropy rate \(ReportFormat.value(h)) nats/token"
            if let best = input.bestLoss {
                line += "; best achievable loss on the training windows \(ReportFormat.value(best)) (the rate plus the finite-window term): the true irreducible loss of these runs"
            } else {
                line += ": the true irreducible loss"
            }
            if let estimate = input.irreducibleEstimate {
                let e = estimate.parameter
                line += "; the latest \(estimate.law) fit estimates \(e.name) = \(ReportFormat.value(e.value))"
                if let iv = e.interval { line += " (95% interval \(ReportFormat.value(iv.lowerBound)) to \(ReportFormat.value(iv.upperBound)))" }
                let truth = input.bestLoss ?? h
                line += String(format: ", %+.1f%% from the %@", 100 * (e.value - truth) / truth,
                               input.bestLoss == nil ? "entropy rate" : "best achievable loss")
            }
            items.append(line)
        }
        if let h = input.curves.holdout, !h.points.isEmpty {
            items.append(String(format: "Held-out check (%@): fitted without %d run(s), the law predicted their final losses within %.2f%%",
                                h.kind, h.points.count, 100 * h.maxRelError))
        }
        if !input.importedSources.isEmpty {
            let total = input.importedSources.map(\.points).reduce(0, +)
            items.append("\(total) imported point(s): " + input.importedSources.map { "\($0.points) of source '\($0.source)'" }.joined(separator: ", "))
        }
        let laws = Set(input.fits.map(\.law)).sorted()
        items.append("\(input.fits.count) fit(s)" + (laws.isEmpty ? "" : " of " + laws.joined(separator: ", ")))
        items.append("\(input.effectiveRank.count) effective-rank and \(input.cka.count) CKA measurement(s)")
        return "<ul class=\"summary\">\n" + items.map { "<li>\(xmlEscaped($0))</li>\n" }.joined() + "</ul>\n"
    }
}
