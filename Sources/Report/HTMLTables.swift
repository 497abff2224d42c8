/// HTML tables of runs and fits.
enum HTMLTables {
    static func table(headers: [(String, Bool)], rows: [[String]], textColumns: Set<Int>) -> String {
        var html = "<table>\n<tr>"
        for (i, h) in headers.enumerated() {
            html += textColumns.contains(i) || h.1 ? "<th class=\"text\">\(xmlEscaped(h.0))</th>" : "<th>\(xmlEscaped(h.0))</th>"
        }
        html += "</tr>\n"
        for row in rows {
            html += "<tr>"
            for (i, cell) in row.enumerated() {
                html += textColumns.contains(i) ? "<td class=\"text\">\(xmlEscaped(cell))</td>" : "<td>\(xmlEscaped(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    static func runs(_ runs: [ReportInput.Run]) -> String {
        let headers = ["id", "label", "n_layer", "d_model", "params N", "tokens D", "lr", "schedule", "status", "final val loss [nats/token]"]
        let rows = runs.map { r in
            [r.id, r.label, String(r.nLayer), String(r.dModel), ReportFormat.count(r.params), ReportFormat.count(r.tokens),
             ReportFormat.value(r.lr, digits: 3), r.schedule, r.status, r.finalValLoss.map { ReportFormat.value($0) } ?? "–"]
        }
        return table(headers: headers.map { ($0, false) }, rows: rows, textColumns: [0, 1, 7, 8])
    }

    static func fits(_ fits: [ReportInput.Fit]) -> String {
        let rows = fits.map { f in
            let params = f.parameters.map { p in
                let interval = p.interval.map { " [\(ReportFormat.value($0.lowerBound)), \(ReportFormat.value($0.upperBound))]" } ?? ""
                return "\(p.name) = \(ReportFormat.value(p.value))\(interval)"
            }.joined(separator: "; ") + f.notes.map { " (note: \($0))" }.joined()
            return [f.id, f.law, params, ReportFormat.value(f.rmse), String(f.n), f.created]
        }
        let headers = ["id", "law", "parameters (95% interval)", "rmse", "n", "created"]
        return table(headers: headers.map { ($0, false) }, rows: rows, textColumns: [0, 1, 2, 5])
    }
}
