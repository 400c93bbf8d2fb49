/// One problem found in the rules or an input, as a value: collected, sorted and rendered in one place.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Comparable {
        case error, warning, note
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        private var rank: Int { switch self { case .error: 0; case .warning: 1; case .note: 2 } }
    }
    public let severity: Severity
    /// Lower-case, no final period, as swiftc writes them.
    public let message: String
    public let range: SourceRange
    /// How to fix it, shown after the caret.
    public let hint: String?
    /// Related places, for example the first declaration of a duplicate.
    public let notes: [Note]

    /// A secondary message pointing at another place.
    public struct Note: Sendable, Hashable {
        public let message: String
        public let range: SourceRange
        public init(_ message: String, at range: SourceRange) { self.message = message; self.range = range }
    }

    public init(_ severity: Severity, _ message: String, at range: SourceRange, hint: String? = nil, notes: [Note] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.hint = hint
        self.notes = notes
    }

    public static func error(_ message: String, at range: SourceRange, hint: String? = nil, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, message, at: range, hint: hint, notes: notes)
    }
    public static func warning(_ message: String, at range: SourceRange, hint: String? = nil, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: range, hint: hint, notes: notes)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }

    /// Sorted by file, then position, then severity; exact duplicates removed.
    public func sortedByLocation() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }.sorted {
            ($0.range.file, $0.range.start, $0.severity, $0.message) < ($1.range.file, $1.range.start, $1.severity, $1.message)
        }
    }
}
