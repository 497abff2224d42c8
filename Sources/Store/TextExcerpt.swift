extension String {
    /// The text as one line of at most `limit` characters (newlines and tabs become spaces, the
    /// rest is cut and marked with "..."), for echoing user input in a one-line error message:
    /// a 100 KB number or SQL string must not become a 100 KB error line.
    public func excerpt(_ limit: Int = 80) -> String {
        let line = String(map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard line.count > limit else { return line }
        return String(line.prefix(max(0, limit - 3))) + "..."
    }
}
