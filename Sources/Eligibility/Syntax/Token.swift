/// One lexical token of a rule file, with the byte range it covers.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A name, possibly dotted: `age`, `child_welfare.stage`, `tanf.ca`.
        case identifier
        /// A reserved word (see `Token.keywords`); dotted words are always identifiers.
        case keyword
        /// `12`, `0.5`: an exact decimal; `text` holds the digits as written.
        case number
        /// `$1,829.00`: `text` holds the digits without `$` and grouping commas (`1829.00`).
        case money
        /// `130%`: `text` holds the number before the `%` (`130`).
        case percent
        /// `2025-10-01`.
        case date
        /// `"..."`: `text` holds the raw content between the quotes, escapes undone; `{...}` kept for templates.
        case string
        /// `{ ... }` after `given`: a JSON object kept as raw text (braces included).
        case json
        /// Punctuation and operators: `( ) [ ] , : ; = != < <= > >= + - * / %`.
        case symbol
        case endOfFile
        /// Something the lexer could not read; `text` is the message, already reported as a diagnostic.
        case invalid
    }

    public let kind: Kind
    public let text: String
    public let range: SourceRange

    public init(_ kind: Kind, _ text: String, _ range: SourceRange) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    public func isKeyword(_ word: String) -> Bool { kind == .keyword && text == word }
    public func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }

    /// Words that cannot name a fact, value or parameter.
    public static let keywords: Set<String> = [
        // declarations
        "enum", "fact", "member", "let", "parameter", "program", "requirement", "benefit", "referral",
        "tier", "test", "end", "cite", "explain", "applies", "enrolled", "when", "kind", "from", "by",
        "each", "additional", "priority", "because", "needs", "consent", "to", "given", "expect", "ask",
        "only", "range", "set", "of", "for", "programs", "as",
        // expressions
        "and", "or", "not", "if", "then", "else", "in", "where", "over", "otherwise", "known",
        "true", "false", "yes", "no", "any", "all", "count", "sum", "min", "max", "members",
    ]
}
