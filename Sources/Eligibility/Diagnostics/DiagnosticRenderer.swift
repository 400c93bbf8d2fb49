/// Renders diagnostics the way swiftc does: `path:line:col: error: message`, the source line, a caret, then hints and notes.
public struct DiagnosticRenderer: Sendable {
    public let files: [SourceFile]
    public init(files: [SourceFile]) { self.files = files }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.sortedByLocation().map(render).joined()
    }

    public func render(_ d: Diagnostic) -> String {
        var out = header(d.severity.rawValue, d.message, d.range)
        out += excerpt(d.range)
        if let hint = d.hint { out += "hint: \(hint)\n" }
        for note in d.notes {
            out += header("note", note.message, note.range)
            out += excerpt(note.range)
        }
        return out
    }

    private func header(_ kind: String, _ message: String, _ range: SourceRange) -> String {
        guard range.file >= 0, range.file < files.count else { return "\(kind): \(message)\n" }
        let file = files[range.file]
        let loc = file.location(of: range.start)
        return "\(file.path):\(loc.line):\(loc.column): \(kind): \(message)\n"
    }

    private func excerpt(_ range: SourceRange) -> String {
        guard range.file >= 0, range.file < files.count else { return "" }
        let file = files[range.file]
        let loc = file.location(of: range.start)
        let line = file.line(loc.line)
        // Tabs keep their width under the caret so it lines up in a terminal.
        let prefix = line.prefix(loc.column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        let endLoc = file.location(of: range.end)
        let width = endLoc.line == loc.line ? max(1, endLoc.column - loc.column) : max(1, line.count - loc.column + 1)
        let printable = line.map { $0.isASCII && ($0.asciiValue! < 32 && $0 != "\t") ? "?" : String($0) }.joined()
        return "\(printable)\n\(prefix)^\(String(repeating: "~", count: width - 1))\n"
    }
}
