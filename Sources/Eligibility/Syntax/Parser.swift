/// Reads a rule file into its syntax tree (docs/grammar.md), reporting every syntax error.
///
/// Recursive descent with error recovery in the style of Crafting Interpreters: an error is
/// recorded as a diagnostic, then the parser skips to the next declaration (or, inside a
/// program, referral, tier, test or parameter, to the next item) and goes on.
public enum Parser {
    public static func parse(_ source: SourceFile, file: Int) -> (syntax: RuleFileSyntax, diagnostics: [Diagnostic]) {
        let lexed = Lexer.tokenize(source, file: file)
        var parser = RuleParser(tokens: lexed.tokens, source: source.text, file: file)
        let declarations = parser.parseFile()
        return (RuleFileSyntax(file: file, declarations: declarations), (lexed.diagnostics + parser.diagnostics).sortedByLocation())
    }

    /// Parses a whole file as one expression (for tests and tools).
    static func parseExpression(_ source: SourceFile, file: Int) -> (expr: Expr?, diagnostics: [Diagnostic]) {
        let lexed = Lexer.tokenize(source, file: file)
        var parser = RuleParser(tokens: lexed.tokens, source: source.text, file: file)
        var expr: Expr?
        do {
            expr = try parser.parseExpression()
            if !parser.atEnd { throw parser.fail("expected the end of the expression, found \(parser.describe(parser.current))", at: parser.current) }
        } catch {
            expr = nil
        }
        return (expr, (lexed.diagnostics + parser.diagnostics).sortedByLocation())
    }

    /// Deeper nesting than this is reported instead of parsed, so no input can exhaust the stack.
    public static let maximumNesting = 256
}

/// Thrown to unwind to the nearest recovery point; the diagnostic is already recorded.
struct ParseError: Error {}

/// Keywords that are also the names of profile fields or enum values (`enrolled`, `needs`,
/// `referral`): accepted wherever a name is expected and as values in expressions, unless the
/// next token shows they start the construct they introduce (`enrolled when`, `needs consent`,
/// `referral ID`).
let contextualNames: Set<String> = ["enrolled", "needs", "referral"]

struct RuleParser {
    let tokens: [Token]
    let source: [UInt8]
    let file: Int
    var pos = 0
    var depth = 0
    /// False while parsing a fact's `ask only when` condition, so a following `otherwise` is the fact's fallback.
    var allowOtherwise = true
    var diagnostics: [Diagnostic] = []
    /// Inside a template hole: the offset of its closing `}`, which is where the hole's tokens end.
    var templateClose: Int?

    init(tokens: [Token], source: [UInt8], file: Int) {
        self.tokens = tokens.isEmpty ? [Token(.endOfFile, "", SourceRange(file: file, start: 0, end: 0))] : tokens
        self.source = source
        self.file = file
    }

    // MARK: Token access

    var current: Token { tokens[pos] }
    var atEnd: Bool { tokens[pos].kind == .endOfFile }
    func peek(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }
    var previous: Token { tokens[max(pos - 1, 0)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[pos]
        if token.kind != .endOfFile { pos += 1 }
        return token
    }

    func check(_ keyword: String) -> Bool { tokens[pos].isKeyword(keyword) }
    func checkSymbol(_ symbol: String) -> Bool { tokens[pos].isSymbol(symbol) }

    mutating func match(_ keyword: String) -> Bool {
        guard check(keyword) else { return false }
        advance()
        return true
    }

    mutating func matchSymbol(_ symbol: String) -> Bool {
        guard checkSymbol(symbol) else { return false }
        advance()
        return true
    }

    /// From `start` to the end of the last token consumed.
    func spanning(from start: SourceRange) -> SourceRange {
        pos == 0 ? start : start.to(previous.range)
    }

    // MARK: Diagnostics

    /// Records an error at `token` (unless the lexer already reported that token) and returns the error to throw.
    mutating func fail(_ message: String, at token: Token, hint: String? = nil, notes: [Diagnostic.Note] = []) -> ParseError {
        report(message, at: token, hint: hint, notes: notes)
        return ParseError()
    }

    mutating func report(_ message: String, at token: Token, hint: String? = nil, notes: [Diagnostic.Note] = []) {
        guard token.kind != .invalid else { return }
        diagnostics.append(.error(message, at: errorRange(token), hint: hint, notes: notes))
    }

    mutating func report(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostics.append(.error(message, at: range, hint: hint))
    }

    /// Where to point for `token`: the token itself, or just after the last real token at the end of the file.
    func errorRange(_ token: Token) -> SourceRange {
        guard token.kind == .endOfFile else { return token.range }
        if let close = templateClose { return SourceRange(file: token.range.file, start: close, end: close + 1) }
        var i = tokens.count - 2
        while i >= 0, tokens[i].kind == .endOfFile { i -= 1 }
        guard i >= 0 else { return token.range }
        let end = tokens[i].range.end
        return SourceRange(file: token.range.file, start: end, end: end)
    }

    /// How a token reads in a message: `'end'`, `'$1,829.00'`, `string "Alameda"`, `end of file`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfFile: return templateClose == nil ? "end of file" : "'}'"
        case .string:
            let text = token.text.count > 24 ? token.text.prefix(24) + "…" : Substring(token.text)
            return "string \"\(text)\""
        case .json: return "a JSON block"
        case .identifier, .keyword, .symbol: return "'\(token.text)'"
        case .number, .money, .percent, .date, .invalid:
            let lo = max(0, min(token.range.start, source.count)), hi = max(lo, min(token.range.end, source.count))
            return "'\(String(decoding: source[lo..<hi], as: UTF8.self))'"
        }
    }

    mutating func expect(_ keyword: String, _ context: String, hint: String? = nil) throws(ParseError) -> Token {
        guard check(keyword) else { throw fail("expected '\(keyword)' \(context), found \(describe(current))", at: current, hint: hint) }
        return advance()
    }

    mutating func expectSymbol(_ symbol: String, _ context: String, hint: String? = nil) throws(ParseError) -> Token {
        guard checkSymbol(symbol) else { throw fail("expected '\(symbol)' \(context), found \(describe(current))", at: current, hint: hint) }
        return advance()
    }

    mutating func expectString(_ context: String, hint: String? = nil) throws(ParseError) -> Token {
        guard current.kind == .string else {
            throw fail("expected a string in double quotes \(context), found \(describe(current))", at: current, hint: hint)
        }
        return advance()
    }

    mutating func optionalString() -> String? {
        current.kind == .string ? advance().text : nil
    }

    // MARK: Names

    /// Whether the current token can be read as a name: an identifier, or a contextual keyword.
    func atName(_ i: Int? = nil) -> Bool {
        let token = i.map { tokens[min($0, tokens.count - 1)] } ?? current
        return token.kind == .identifier || (token.kind == .keyword && contextualNames.contains(token.text))
    }

    /// A name after `after` (a keyword, for the message). A reserved word is reported and accepted, so parsing goes on.
    mutating func parseName(after: String, naming what: String) throws(ParseError) -> Name {
        let token = current
        if atName() {
            advance()
            return Name(token.text, token.range)
        }
        if token.kind == .keyword, token.text != "end" {
            report("'\(token.text)' is a reserved word and cannot name \(what)", at: token,
                   hint: "choose another name; '\(token.text)' has its own meaning in the rule language")
            advance()
            return Name(token.text, token.range)
        }
        throw fail("expected a name after '\(after)', found \(describe(token))", at: token)
    }

    // MARK: File and recovery

    mutating func parseFile() -> [Declaration] {
        var declarations: [Declaration] = []
        while !atEnd {
            let before = pos
            do {
                if let declaration = try parseDeclaration() { declarations.append(declaration) }
            } catch {
                synchronize(nil)
                if pos == before { advance() }
            }
        }
        return declarations
    }

    /// Whether the token at `i` starts a top-level declaration, judging by its neighbours where the word has other uses.
    func isDeclarationStart(_ i: Int) -> Bool {
        let token = tokens[i]
        guard token.kind == .keyword else { return false }
        let prev = i > 0 ? tokens[i - 1] : nil
        let next = tokens[min(i + 1, tokens.count - 1)]
        switch token.text {
        case "enum", "fact", "parameter", "test", "let": return true
        case "member": return !(prev.map { $0.isKeyword("any") || $0.isKeyword("all") } ?? false)
        case "tier": return !(prev?.isKeyword("expect") ?? false)
        case "program": return next.kind == .identifier && !(prev?.isKeyword("for") ?? false)
        case "referral":
            return next.kind == .identifier && !(prev?.isKeyword("expect") ?? false) && !(prev?.isKeyword("no") ?? false)
        default: return false
        }
    }

    enum Block: String { case enumeration = "enum", parameter, program, referral, tier, test }

    /// Whether the token at `i` starts an item of `block`.
    func isItemStart(_ block: Block, _ i: Int) -> Bool {
        let token = tokens[i]
        guard token.kind == .keyword else { return false }
        let prev = i > 0 ? tokens[i - 1] : nil
        let next = tokens[min(i + 1, tokens.count - 1)]
        switch block {
        case .enumeration: return false
        case .parameter: return token.text == "from" || token.text == "cite" || token.text == "by"
        case .program:
            switch token.text {
            case "applies", "cite", "let", "requirement": return true
            case "kind": return !(prev.map { $0.isSymbol("(") || $0.isSymbol(",") } ?? false)
            case "enrolled": return next.isKeyword("when")
            case "benefit": return !next.isSymbol("(")
            default: return false
            }
        case .referral:
            switch token.text {
            case "to", "for", "when", "priority", "because", "cite": return true
            case "needs": return next.isKeyword("consent")
            default: return false
            }
        case .tier:
            switch token.text {
            case "when", "cite": return true
            case "otherwise": return next.isKeyword("because")
            default: return false
            }
        case .test: return token.text == "expect"
        }
    }

    /// Skips tokens until a place where parsing can resume: the next declaration or, inside a block,
    /// its next item or its `end`.
    mutating func synchronize(_ block: Block?) {
        while !atEnd {
            if isDeclarationStart(pos) || check("end") { return }
            if let block, isItemStart(block, pos) { return }
            advance()
        }
    }

    /// Whether a block's body goes on; reports a missing `end` when it cannot.
    /// `what` names the block in messages (`program 'tanf.ca'`); `header` is where it starts.
    mutating func bodyContinues(_ block: Block, _ what: String, header: SourceRange) -> Bool {
        if check("end") { return false }
        let endsBlock: Bool
        if atEnd {
            endsBlock = true
        } else if block == .program && check("let") {
            endsBlock = false
        } else if block == .enumeration && check("referral") {
            endsBlock = false   // an enum value, as in child_welfare_stage
        } else {
            endsBlock = isDeclarationStart(pos)
        }
        guard endsBlock else { return true }
        report("expected 'end' to close \(what), found \(describe(current))", at: current,
               hint: "every program, parameter, referral, tier, test and enum ends with 'end'",
               notes: [.init("\(what) starts here", at: header)])
        return false
    }

    /// Parses the items of a block until its `end`, recovering from errors item by item.
    /// Returns the range from `opener` to the `end` (or to the last token read).
    mutating func parseBody(_ block: Block, _ what: String, opener: Token, header: SourceRange? = nil,
                            item: (inout RuleParser) throws(ParseError) -> Void) -> SourceRange {
        while bodyContinues(block, what, header: header ?? opener.range) {
            let before = pos
            do {
                try item(&self)
            } catch {
                synchronize(block)
                if pos == before { advance() }
            }
        }
        _ = match("end")
        return spanning(from: opener.range)
    }

    /// Records a duplicate clause: `duplicate 'kind' in program 'tanf.ca'`.
    mutating func duplicate(_ clause: String, in what: String, at token: Token, first: SourceRange?) -> Bool {
        guard let first else { return false }
        report("duplicate '\(clause)' in \(what)", at: token, hint: "keep one '\(clause)'",
               notes: [.init("the first '\(clause)' is here", at: first)])
        return true
    }

    // MARK: Declarations

    mutating func parseDeclaration() throws(ParseError) -> Declaration? {
        let token = current
        guard token.kind == .keyword else { throw unexpectedAtTopLevel(token) }
        switch token.text {
        case "enum": return parseEnum()
        case "fact": return .fact(try parseFact(scope: .household, start: advance()))
        case "let": return .value(try parseLet(scope: .household, start: advance()))
        case "member":
            let start = advance()
            if check("fact") { advance(); return .fact(try parseFact(scope: .member, start: start)) }
            if check("let") { advance(); return .value(try parseLet(scope: .member, start: start)) }
            throw fail("expected 'fact' or 'let' after 'member', found \(describe(current))", at: current,
                       hint: "'member fact' and 'member let' declare one value per person in the household")
        case "parameter": return parseParameter()
        case "program": return parseProgram()
        case "referral": return parseReferral()
        case "tier": return parseTier()
        case "test": return parseTest()
        default: throw unexpectedAtTopLevel(token)
        }
    }

    mutating func unexpectedAtTopLevel(_ token: Token) -> ParseError {
        var hint: String?
        if token.kind == .keyword {
            switch token.text {
            case "end": hint = "there is no program, parameter, referral, tier, test or enum open here for 'end' to close"
            case "range", "ask", "otherwise": hint = "a fact's clauses come in this order: range, ask only when, otherwise"
            case "requirement", "benefit", "applies", "enrolled", "kind": hint = "'\(token.text)' belongs inside a program"
            case "expect", "given": hint = "'\(token.text)' belongs inside a test"
            default: break
            }
        }
        return fail("expected a declaration (enum, fact, let, parameter, program, referral, tier or test), found \(describe(token))",
                    at: token, hint: hint)
    }

    /// `enum NAME "title"? (VALUE "label"?)* end`
    mutating func parseEnum() -> Declaration? {
        let opener = advance()
        let name: Name
        do {
            name = try parseName(after: "enum", naming: "an enum")
        } catch {
            synchronize(.enumeration)
            _ = match("end")
            return nil
        }
        let title = optionalString()
        var values: [EnumValue] = []
        let range = parseBody(.enumeration, "enum '\(name.text)'", opener: opener, header: opener.range.to(name.range)) { (p: inout RuleParser) throws(ParseError) in
            guard p.atName() || (p.current.kind == .keyword && !p.check("end")) else {
                throw p.fail("expected a value of enum '\(name.text)' or 'end', found \(p.describe(p.current))", at: p.current,
                             hint: p.current.kind == .string ? "each value is a name followed by an optional label: stable \"Stable housing\"" : nil)
            }
            let value = try p.parseName(after: name.text, naming: "an enum value")
            values.append(EnumValue(name: value, label: p.optionalString()))
        }
        return .enumeration(EnumDecl(name: name, title: title, values: values, range: range))
    }

    /// `member? fact NAME : TYPE "question"? (range A to B)? (ask only when E)? (otherwise E)?`
    mutating func parseFact(scope: Scope, start: Token) throws(ParseError) -> FactDecl {
        let name = try parseName(after: "fact", naming: "a fact")
        _ = try expectSymbol(":", "and a type after the fact's name", hint: "write the type after a colon: fact rent : money \"...\"")
        let type = try parseType()
        let question = optionalString()
        var bounds: (Expr, Expr)?
        if match("range") {
            let lower = try parseUnary()
            _ = try expect("to", "between the bounds of 'range'", hint: "write 'range 0 to 120'")
            let upper = try parseUnary()
            bounds = (lower, upper)
        }
        var askWhen: Expr?
        if check("ask") {
            advance()
            _ = try expect("only", "after 'ask'", hint: "write 'ask only when CONDITION'")
            _ = try expect("when", "after 'ask only'", hint: "write 'ask only when CONDITION'")
            let saved = allowOtherwise
            allowOtherwise = false
            defer { allowOtherwise = saved }
            askWhen = try parseExpression()
        }
        var fallback: Expr?
        if match("otherwise") { fallback = try parseExpression() }
        return FactDecl(scope: scope, name: name, type: type, question: question, bounds: bounds, askWhen: askWhen,
                        fallback: fallback, range: spanning(from: start.range))
    }

    /// `yes/no`, `integer`, an enum name, `set of ENUM`, ...
    mutating func parseType() throws(ParseError) -> TypeRef {
        let token = current
        if token.isKeyword("yes") {
            advance()
            guard checkSymbol("/"), peek().isKeyword("no") else {
                throw fail("expected '/no' after 'yes' in the type 'yes/no', found \(describe(current))", at: current)
            }
            advance()
            let no = advance()
            return .named(Name("yes/no", token.range.to(no.range)))
        }
        if token.isKeyword("set") {
            advance()
            _ = try expect("of", "after 'set'", hint: "write 'set of' and an enum name: set of need")
            return .setOf(try parseName(after: "set of", naming: "an enum"))
        }
        if token.kind == .identifier {
            advance()
            return .named(Name(token.text, token.range))
        }
        throw fail("expected a type (yes/no, integer, decimal, money, date, text, an enum name or 'set of' an enum), found \(describe(token))",
                   at: token)
    }

    /// `member? let NAME = EXPR`
    mutating func parseLet(scope: Scope, start: Token) throws(ParseError) -> LetDecl {
        let name = try parseName(after: "let", naming: "a value")
        _ = try expectSymbol("=", "after the name of 'let \(name.text)'", hint: "write 'let \(name.text) = EXPRESSION'")
        let value = try parseExpression()
        return LetDecl(scope: scope, name: name, value: value, range: spanning(from: start.range))
    }

    /// `parameter NAME "title"? (cite "...")? (by KEY)? (from DATE: ROW)+ end`
    mutating func parseParameter() -> Declaration? {
        let opener = advance()
        var header: (name: Name, title: String?, cite: String?, key: ParameterKey)?
        do {
            let name = try parseName(after: "parameter", naming: "a parameter")
            let title = optionalString()
            var cite: String?
            if match("cite") { cite = try expectString("after 'cite'").text }
            var key = ParameterKey.scalar
            if match("by") { key = try parseParameterKey() }
            header = (name, title, cite, key)
        } catch {
            synchronize(.parameter)
        }
        var versions: [ParameterVersion] = []
        var sawFrom = false
        let name = header?.name
        let what = name.map { "parameter '\($0.text)'" } ?? "the parameter"
        let key = header?.key ?? .scalar
        let range = parseBody(.parameter, what, opener: opener, header: opener.range.to(name?.range ?? opener.range)) { (p: inout RuleParser) throws(ParseError) in
            if p.check("cite") || p.check("by") {
                let clause = p.advance()
                p.report("expected 'from' and a date or 'end' in \(what), found '\(clause.text)'", at: clause,
                         hint: "a parameter's 'cite' and 'by' come before its first 'from'")
                if clause.text == "cite" { _ = p.optionalString() } else { _ = try? p.parseParameterKey() }
                return
            }
            guard p.check("from") else {
                throw p.fail("expected 'from' and a date or 'end' in \(what), found \(p.describe(p.current))", at: p.current,
                             hint: "each value starts with the date it takes effect: from 2025-01-01: $100")
            }
            sawFrom = true
            versions.append(try p.parseVersion(key: key, what: what))
        }
        guard let header else { return nil }
        if !sawFrom {
            report("\(what) has no values", at: header.name.range,
                   hint: "add a line such as 'from 2025-01-01: $100' before 'end'")
        }
        return .parameter(ParameterDecl(name: header.name, title: header.title, cite: header.cite, key: header.key,
                                        versions: versions, range: range))
    }

    mutating func parseParameterKey() throws(ParseError) -> ParameterKey {
        let token = current
        if token.kind == .identifier {
            advance()
            if token.text == "household", current.kind == .identifier, current.text == "size" {
                advance()
                return .householdSize
            }
            if token.text == "county" || token.text == "state" { return .text(Name(token.text, token.range)) }
            return .enumeration(Name(token.text, token.range))
        }
        throw fail("expected 'household size', 'county', 'state' or an enum name after 'by', found \(describe(token))", at: token)
    }

    /// `from DATE: ROW`, the row shaped by what the parameter is keyed by.
    mutating func parseVersion(key: ParameterKey, what: String) throws(ParseError) -> ParameterVersion {
        let start = advance()
        guard current.kind == .date else {
            throw fail("expected a date (YYYY-MM-DD) after 'from', found \(describe(current))", at: current,
                       hint: "write the date the value takes effect: from 2025-10-01: ...")
        }
        let dateToken = advance()
        let date = Name(dateToken.text, dateToken.range)
        _ = try expectSymbol(":", "after the date \(dateToken.text)")
        var entries: [ParameterVersion.Entry] = []
        var eachAdditional: Expr?
        var otherwise: Expr?
        switch key {
        case .scalar:
            entries.append(.init(key: nil, value: try parseExpression()))
        case .householdSize:
            entries.append(.init(key: nil, value: try parseExpression()))
            while matchSymbol(",") { entries.append(.init(key: nil, value: try parseExpression())) }
            if matchSymbol(";") {
                _ = try expect("each", "after ';'", hint: "write '; each additional AMOUNT' for every person beyond the last size listed")
                _ = try expect("additional", "after 'each'", hint: "write '; each additional AMOUNT' for every person beyond the last size listed")
                eachAdditional = try parseExpression()
            }
        case .text, .enumeration:
            repeat {
                if check("otherwise") {
                    advance()
                    otherwise = try parseExpression()
                    break
                }
                entries.append(try parseEntry(key))
            } while matchSymbol(",")
        }
        guard check("from") || check("end") || atEnd || isDeclarationStart(pos) else {
            let startsValue = [.number, .money, .percent, .date, .string, .identifier].contains(current.kind)
            if startsValue, otherwise == nil, eachAdditional == nil {
                throw fail("expected ',' between the values of \(what), found \(describe(current))", at: current,
                           hint: "separate the values of a row with commas")
            }
            throw fail("expected 'from' or 'end' after the values of \(what), found \(describe(current))", at: current,
                       hint: otherwise != nil ? "'otherwise VALUE' comes last in a row" : nil)
        }
        return ParameterVersion(from: date, entries: entries, eachAdditional: eachAdditional, otherwise: otherwise,
                                range: spanning(from: start.range))
    }

    /// `"Alameda" 1` or `shelter $10`.
    mutating func parseEntry(_ key: ParameterKey) throws(ParseError) -> ParameterVersion.Entry {
        let token = current
        let keyExpr: Expr
        if token.kind == .string {
            advance()
            keyExpr = Expr(.text(token.text), token.range)
        } else if atName() {
            advance()
            keyExpr = Expr(.name(token.text), token.range)
        } else {
            let example: String
            switch key {
            case .text(let name): example = name.text == "state" ? "\"CA\" $100" : "\"Alameda\" 1"
            case .enumeration: example = "shelter $10"
            default: example = "KEY VALUE"
            }
            throw fail("expected a key before the value, found \(describe(token))", at: token,
                       hint: "each entry is a key and its value, separated by commas: \(example), otherwise VALUE")
        }
        return .init(key: keyExpr, value: try parseExpression())
    }

    /// `program ID "title"? item* end`
    mutating func parseProgram() -> Declaration? {
        let opener = advance()
        let id: Name?
        do { id = try parseName(after: "program", naming: "a program") } catch { id = nil; synchronize(.program) }
        let title = id == nil ? nil : optionalString()
        let what = id.map { "program '\($0.text)'" } ?? "the program"
        var kind: Name?, applies: Expr?, enrolledWhen: Expr?, cite: String?, benefit: Expr?, benefitExplain: Template?
        var firsts: [String: SourceRange] = [:]
        var lets: [LetDecl] = []
        var requirements: [RequirementDecl] = []
        let range = parseBody(.program, what, opener: opener, header: opener.range.to(id?.range ?? opener.range)) { (p: inout RuleParser) throws(ParseError) in
            let token = p.current
            let clause = token.text == "applies" || token.text == "enrolled" ? "\(token.text) when" : token.text
            let repeated = token.kind == .keyword && ["kind", "applies", "enrolled", "cite", "benefit"].contains(token.text)
                && p.duplicate(clause, in: what, at: token, first: firsts[clause])
            if token.kind == .keyword, !repeated { firsts[clause] = token.range }
            switch token.kind == .keyword ? token.text : "" {
            case "kind":
                p.advance()
                let value = try p.parseName(after: "kind", naming: "a program kind")
                if !repeated { kind = value }
            case "applies", "enrolled":
                p.advance()
                _ = try p.expect("when", "after '\(token.text)'", hint: "write '\(token.text) when CONDITION'")
                let condition = try p.parseExpression()
                if repeated { break }
                if token.text == "applies" { applies = condition } else { enrolledWhen = condition }
            case "cite":
                p.advance()
                let text = try p.expectString("after 'cite'").text
                if !repeated { cite = text }
            case "let":
                lets.append(try p.parseLet(scope: .household, start: p.advance()))
            case "requirement":
                requirements.append(try p.parseRequirement())
            case "benefit":
                p.advance()
                let amount = try p.parseExpression()
                var explain: Template?
                if p.match("explain") { explain = p.parseTemplate(try p.expectString("after 'explain'")) }
                if !repeated { benefit = amount; benefitExplain = explain }
            default:
                var hint = "a program holds kind, applies when, enrolled when, cite, let, requirement and benefit lines"
                if token.isKeyword("explain") { hint = "'explain' comes right after a requirement's condition, before its 'cite'" }
                throw p.fail("expected a program item or 'end' in \(what), found \(p.describe(token))", at: token, hint: hint)
            }
        }
        guard let id else { return nil }
        return .program(ProgramDecl(id: id, title: title, kind: kind, applies: applies, enrolledWhen: enrolledWhen, cite: cite,
                                    lets: lets, requirements: requirements, benefit: benefit, benefitExplain: benefitExplain,
                                    range: range))
    }

    /// `requirement ID "title"? EXPR (explain "...")? (cite "...")?`
    mutating func parseRequirement() throws(ParseError) -> RequirementDecl {
        let start = advance()
        let id = try parseName(after: "requirement", naming: "a requirement")
        let title = optionalString()
        if check("end") || isItemStart(.program, pos) || isDeclarationStart(pos) {
            throw fail("expected an expression, found \(describe(current))", at: current,
                       hint: "requirement '\(id.text)' needs a condition after its title")
        }
        let condition = try parseExpression()
        var explain: Template?
        if match("explain") { explain = parseTemplate(try expectString("after 'explain'")) }
        var cite: String?
        if match("cite") { cite = try expectString("after 'cite'").text }
        return RequirementDecl(id: id, title: title, condition: condition, explain: explain, cite: cite, range: spanning(from: start.range))
    }

    /// `referral ID "title"? item* end`
    mutating func parseReferral() -> Declaration? {
        let opener = advance()
        let id: Name?
        do { id = try parseName(after: "referral", naming: "a referral") } catch { id = nil; synchronize(.referral) }
        let title = id == nil ? nil : optionalString()
        let what = id.map { "referral '\($0.text)'" } ?? "the referral"
        var to: String?, target = ReferralTarget.none, when: Expr?, because: Template?, needsConsent = false, cite: String?
        var priorities: [PriorityRule] = []
        var firsts: [String: SourceRange] = [:]
        let range = parseBody(.referral, what, opener: opener, header: opener.range.to(id?.range ?? opener.range)) { (p: inout RuleParser) throws(ParseError) in
            let token = p.current
            let clause = token.text == "needs" ? "needs consent" : token.text
            let repeated = token.kind == .keyword && ["to", "for", "when", "because", "needs", "cite"].contains(token.text)
                && p.duplicate(clause, in: what, at: token, first: firsts[clause])
            if token.kind == .keyword, !repeated { firsts[clause] = token.range }
            switch token.kind == .keyword ? token.text : "" {
            case "to":
                p.advance()
                let text = try p.expectString("after 'to'", hint: "name the agency or service: to \"County TANF office\"").text
                if !repeated { to = text }
            case "for":
                p.advance()
                let value: ReferralTarget
                if p.match("program") {
                    value = .program(try p.parseName(after: "for program", naming: "a program"))
                } else if p.match("programs") {
                    _ = try p.expect("of", "after 'for programs'", hint: "write 'for programs of kind KIND'")
                    _ = try p.expect("kind", "after 'for programs of'", hint: "write 'for programs of kind KIND'")
                    value = .programsOfKind(try p.parseName(after: "kind", naming: "a program kind"))
                } else {
                    throw p.fail("expected 'program' or 'programs of kind' after 'for', found \(p.describe(p.current))", at: p.current,
                                 hint: "write 'for program ID' or 'for programs of kind KIND'")
                }
                if !repeated { target = value }
            case "when":
                p.advance()
                let condition = try p.parseExpression()
                if !repeated { when = condition }
            case "priority":
                p.advance()
                let level = try p.parseName(after: "priority", naming: "a priority")
                var condition: Expr?
                if p.match("when") { condition = try p.parseExpression() }
                priorities.append(PriorityRule(level: level, when: condition))
            case "because":
                p.advance()
                let template = p.parseTemplate(try p.expectString("after 'because'"))
                if !repeated { because = template }
            case "needs":
                p.advance()
                _ = try p.expect("consent", "after 'needs'", hint: "write 'needs consent'")
                needsConsent = true
            case "cite":
                p.advance()
                let text = try p.expectString("after 'cite'").text
                if !repeated { cite = text }
            default:
                throw p.fail("expected a referral item or 'end' in \(what), found \(p.describe(token))", at: token,
                             hint: "a referral holds to, for, when, priority, because, needs consent and cite lines")
            }
        }
        guard let id else { return nil }
        guard let when else {
            report("\(what) has no 'when' condition", at: id.range,
                   hint: "add 'when CONDITION' saying when to refer; write 'when true' to always refer")
            return nil
        }
        return .referral(ReferralDecl(id: id, title: title, to: to, target: target, when: when, priorities: priorities,
                                      because: because, needsConsent: needsConsent, cite: cite, range: range))
    }

    /// `tier ID "title"? (cite "...")? (when EXPR because "..." | otherwise because "...")* end`
    mutating func parseTier() -> Declaration? {
        let opener = advance()
        var header: (id: Name, title: String?, cite: String?)?
        do {
            let id = try parseName(after: "tier", naming: "a tier")
            let title = optionalString()
            var cite: String?
            if match("cite") { cite = try expectString("after 'cite'").text }
            header = (id, title, cite)
        } catch {
            synchronize(.tier)
        }
        let what = header.map { "tier '\($0.id.text)'" } ?? "the tier"
        var conditions: [TierDecl.Condition] = []
        let range = parseBody(.tier, what, opener: opener, header: opener.range.to(header?.id.range ?? opener.range)) { (p: inout RuleParser) throws(ParseError) in
            let token = p.current
            if p.match("when") {
                let condition = try p.parseExpression()
                _ = try p.expect("because", "after the condition of 'when'", hint: "each way into a tier gives its reason: when CONDITION because \"...\"")
                conditions.append(.init(condition: condition, because: p.parseTemplate(try p.expectString("after 'because'"))))
            } else if p.match("otherwise") {
                _ = try p.expect("because", "after 'otherwise'", hint: "write 'otherwise because \"...\"'")
                conditions.append(.init(condition: nil, because: p.parseTemplate(try p.expectString("after 'because'"))))
            } else if p.check("cite") {
                p.report("expected 'when', 'otherwise' or 'end' in \(what), found 'cite'", at: token,
                         hint: "a tier's 'cite' comes right after its title")
                p.advance()
                _ = p.optionalString()
            } else {
                throw p.fail("expected 'when', 'otherwise' or 'end' in \(what), found \(p.describe(token))", at: token)
            }
        }
        guard let header else { return nil }
        return .tier(TierDecl(id: header.id, title: header.title, cite: header.cite, conditions: conditions, range: range))
    }

    /// `test "name" given { JSON } expect* end`
    mutating func parseTest() -> Declaration? {
        let opener = advance()
        var header: (name: Token, given: Token)?
        do {
            let name = try expectString("after 'test'", hint: "name the test case: test \"CalWORKs: a family of three with no income\"")
            _ = try expect("given", "and the profile after the test's name", hint: "write 'given { ... }' with the family profile as JSON")
            guard current.kind == .json else {
                throw fail("expected the profile as a JSON object in braces after 'given', found \(describe(current))", at: current)
            }
            header = (name, advance())
        } catch {
            synchronize(.test)
        }
        let what = header.map { "test \"\($0.name.text)\"" } ?? "the test"
        var expectations: [ExpectationLine] = []
        let range = parseBody(.test, what, opener: opener, header: opener.range.to(header?.name.range ?? opener.range)) { (p: inout RuleParser) throws(ParseError) in
            guard p.check("expect") else {
                throw p.fail("expected 'expect' or 'end' in \(what), found \(p.describe(p.current))", at: p.current)
            }
            expectations.append(try p.parseExpectation())
        }
        guard let header else { return nil }
        return .test(TestDecl(name: header.name.text, nameRange: header.name.range, given: header.given.text,
                              givenRange: header.given.range, expectations: expectations, range: range))
    }

    static let statuses = ["eligible", "ineligible", "needs_info"]
    static let results = ["met", "not_met", "unknown"]

    mutating func parseExpectation() throws(ParseError) -> ExpectationLine {
        let start = advance()
        let expectation = try parseExpectationBody()
        return ExpectationLine(expectation, spanning(from: start.range))
    }

    /// What follows `expect`.
    mutating func parseExpectationBody() throws(ParseError) -> Expectation {
        if match("tier") {
            return .tier(try parseName(after: "tier", naming: "a tier"))
        }
        if check("referral") || (check("no") && peek().isKeyword("referral")) {
            let present = !match("no")
            advance()
            let id = try parseName(after: "referral", naming: "a referral")
            var priority: Name?
            if match("priority") { priority = try parseName(after: "priority", naming: "a priority") }
            return .referral(id: id, present: present, priority: priority)
        }
        if check("not"), peek().kind == .identifier, peek().text == "unclaimed" {
            advance(); advance()
            return .unclaimed(program: try parseName(after: "unclaimed", naming: "a program"), present: false)
        }
        if current.kind == .identifier, current.text == "unclaimed", atName(pos + 1),
           !Self.statuses.contains(peek().text) {
            advance()
            return .unclaimed(program: try parseName(after: "unclaimed", naming: "a program"), present: true)
        }
        let program = try parseName(after: "expect", naming: "a program")
        let token = current
        if token.kind == .identifier, Self.statuses.contains(token.text) {
            advance()
            return .status(program: program, status: Name(token.text, token.range))
        }
        if match("benefit") {
            return .benefit(program: program, amount: try parseExpression())
        }
        if match("requirement") {
            let requirement = try parseName(after: "requirement", naming: "a requirement")
            let result = current
            guard result.kind == .identifier, Self.results.contains(result.text) else {
                throw fail("expected 'met', 'not_met' or 'unknown' after 'requirement \(requirement.text)', found \(describe(result))",
                           at: result, hint: suggestion(for: result, in: Self.results))
            }
            advance()
            return .requirement(program: program, requirement: requirement, result: Name(result.text, result.range))
        }
        if check("not"), peek().kind == .identifier, peek().text == "listed" {
            advance(); advance()
            return .notListed(program: program)
        }
        throw fail("expected 'eligible', 'ineligible', 'needs_info', 'benefit', 'requirement' or 'not listed' after 'expect \(program.text)', found \(describe(token))",
                   at: token, hint: suggestion(for: token, in: Self.statuses + ["benefit", "requirement"]))
    }

    func suggestion(for token: Token, in words: [String]) -> String? {
        guard token.kind == .identifier || token.kind == .keyword,
              let word = Suggestions.closest(to: token.text, in: words) else { return nil }
        return "did you mean '\(word)'?"
    }

    // MARK: Templates

    /// The parts of an `explain` or `because` string: text, and `{expression}` holes parsed from
    /// the file's bytes so their ranges point into the string. `{{` and `}}` are literal braces.
    mutating func parseTemplate(_ token: Token) -> Template {
        let lo = token.range.start, hi = min(token.range.end, source.count)
        guard lo < hi, source[lo] == Byte.quote else {
            // A string the lexer recovered from other quotes: already reported; keep its text.
            return Template(parts: [.text(token.text)], range: token.range)
        }
        var parts: [Template.Part] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))); text.removeAll() }
        }
        var i = lo + 1
        while i < hi {
            let b = source[i]
            if b == Byte.quote { break }
            if b == Byte.backslash, i + 1 < hi, let e = Lexer.escaped(source[i + 1]) {
                text.append(e)
                i += 2
            } else if b == Byte.lbrace, i + 1 < hi, source[i + 1] == Byte.lbrace {
                text.append(Byte.lbrace)
                i += 2
            } else if b == Byte.rbrace, i + 1 < hi, source[i + 1] == Byte.rbrace {
                text.append(Byte.rbrace)
                i += 2
            } else if b == Byte.rbrace {
                diagnostics.append(.error("unmatched '}' in template", at: SourceRange(file: file, start: i, end: i + 1),
                                          hint: "write '}}' for a literal brace"))
                text.append(b)
                i += 1
            } else if b == Byte.lbrace {
                var close = i + 1
                while close < hi, source[close] != Byte.rbrace, source[close] != Byte.quote { close += 1 }
                guard close < hi, source[close] == Byte.rbrace else {
                    diagnostics.append(.error("unclosed '{' in template", at: SourceRange(file: file, start: i, end: i + 1),
                                              hint: "end the expression with '}', or write '{{' for a literal brace"))
                    text.append(b)
                    i += 1
                    continue
                }
                flush()
                if let expr = parseHole(open: i, close: close) { parts.append(.expr(expr)) }
                i = close + 1
            } else {
                text.append(b)
                i += 1
            }
        }
        flush()
        return Template(parts: parts, range: token.range)
    }

    /// The expression between the braces at `open` and `close`.
    mutating func parseHole(open: Int, close: Int) -> Expr? {
        let lexed = Lexer.tokenize(source, in: (open + 1)..<close, file: file)
        diagnostics += lexed.diagnostics
        var sub = RuleParser(tokens: lexed.tokens, source: source, file: file)
        sub.templateClose = close
        defer { diagnostics += sub.diagnostics }
        if sub.atEnd {
            diagnostics.append(.error("expected an expression between '{' and '}'", at: SourceRange(file: file, start: open, end: close + 1),
                                      hint: "write '{{' and '}}' for literal braces"))
            return nil
        }
        do {
            let expr = try sub.parseExpression()
            guard sub.atEnd else {
                throw sub.fail("expected '}' after the expression, found \(sub.describe(sub.current))", at: sub.current,
                               hint: "a template hole holds one expression: {countable_income}")
            }
            return expr
        } catch {
            return nil
        }
    }

    // MARK: Expressions

    /// Counts one level of nesting; deeper than `Parser.maximumNesting` is an error, not a stack overflow.
    mutating func nest() throws(ParseError) {
        guard depth < Parser.maximumNesting else {
            throw fail("expression nested too deeply (more than \(Parser.maximumNesting) levels)", at: current,
                       hint: "split the expression into smaller 'let' values")
        }
        depth += 1
    }

    /// Counts one more operator in a chain (`a + b + c ...`): each makes the tree one level deeper for the
    /// passes after the parser, so a chain shares the nesting limit. The caller gives the levels back.
    mutating func link() throws(ParseError) {
        guard depth < Parser.maximumNesting else {
            throw fail("expression too long (more than \(Parser.maximumNesting) operators in a row, counting nesting)", at: current,
                       hint: "split the expression into smaller 'let' values")
        }
        depth += 1
    }

    // The functions on the recursive path (parseExpression down to parsePrimary and back) keep
    // their frames small: token tests, node building and messages live in separate functions,
    // so the deepest nesting allowed fits comfortably in a thread's stack even in debug builds.

    /// `expr := otherwise`
    mutating func parseExpression() throws(ParseError) -> Expr {
        try nest()
        defer { depth -= 1 }
        var left = try parseOr()
        var links = 0
        defer { depth -= links }
        while atOtherwise() {
            try link(); links += 1
            advance()
            left = Self.otherwise(left, try parseOr())
        }
        return left
    }

    /// An expression between delimiters (parentheses, brackets, `if ... then`), where `otherwise` is always allowed.
    mutating func parseEnclosed() throws(ParseError) -> Expr {
        let saved = allowOtherwise
        allowOtherwise = true
        defer { allowOtherwise = saved }
        return try parseExpression()
    }

    mutating func parseOr() throws(ParseError) -> Expr {
        var left = try parseAnd()
        var links = 0
        defer { depth -= links }
        while check("or") {
            try link(); links += 1
            advance()
            left = Self.binary(.or, left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(ParseError) -> Expr {
        var left = try parseNot()
        var links = 0
        defer { depth -= links }
        while check("and") {
            try link(); links += 1
            advance()
            left = Self.binary(.and, left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(ParseError) -> Expr {
        guard check("not") else { return try parseComparison() }
        let start = advanceRange()
        try nest()
        defer { depth -= 1 }
        return Self.unary(.not, start, try parseNot())
    }

    mutating func parseComparison() throws(ParseError) -> Expr {
        let left = try parseAdditive()
        guard let op = comparisonOperator() else { return left }
        advance()
        if op == .notIn { advance() }
        let right = try parseAdditive()
        if comparisonOperator() != nil { throw chainedComparison() }
        return Self.binary(op, left, right)
    }

    mutating func parseAdditive() throws(ParseError) -> Expr {
        var left = try parseMultiplicative()
        var links = 0
        defer { depth -= links }
        while let op = additiveOperator() {
            try link(); links += 1
            advance()
            left = Self.binary(op, left, try parseMultiplicative())
        }
        return left
    }

    mutating func parseMultiplicative() throws(ParseError) -> Expr {
        var left = try parseUnary()
        var links = 0
        defer { depth -= links }
        while let op = multiplicativeOperator() {
            try link(); links += 1
            advance()
            left = Self.binary(op, left, try parseUnary())
        }
        return left
    }

    mutating func parseUnary() throws(ParseError) -> Expr {
        guard checkSymbol("-") else { return try parsePostfix() }
        let start = advanceRange()
        try nest()
        defer { depth -= 1 }
        return Self.unary(.negate, start, try parseUnary())
    }

    /// A primary, then `days`, `months` or `years` to make it a duration.
    mutating func parsePostfix() throws(ParseError) -> Expr {
        withDuration(try parsePrimary())
    }

    // Helpers of the recursive path.

    mutating func advanceRange() -> SourceRange { advance().range }

    func atOtherwise() -> Bool {
        allowOtherwise && check("otherwise") && !peek().isKeyword("because")
    }

    func comparisonOperator() -> BinaryOperator? {
        let token = current
        if token.kind == .symbol {
            switch token.text {
            case "=": return .equal
            case "!=": return .notEqual
            case "<": return .less
            case "<=": return .lessOrEqual
            case ">": return .greater
            case ">=": return .greaterOrEqual
            default: return nil
            }
        }
        if token.isKeyword("in") { return .in }
        if token.isKeyword("not"), peek().isKeyword("in") { return .notIn }
        return nil
    }

    func additiveOperator() -> BinaryOperator? {
        checkSymbol("+") ? .add : checkSymbol("-") ? .subtract : nil
    }

    func multiplicativeOperator() -> BinaryOperator? {
        checkSymbol("*") ? .multiply : checkSymbol("/") ? .divide : nil
    }

    static func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr) -> Expr {
        Expr(.binary(op, left, right), left.range.to(right.range))
    }

    static func otherwise(_ left: Expr, _ right: Expr) -> Expr {
        Expr(.otherwise(left, right), left.range.to(right.range))
    }

    static func unary(_ op: UnaryOperator, _ start: SourceRange, _ operand: Expr) -> Expr {
        Expr(.unary(op, operand), start.to(operand.range))
    }

    static func durationUnit(_ word: String) -> DurationUnit? {
        switch word {
        case "day", "days": .days
        case "month", "months": .months
        case "year", "years": .years
        default: nil
        }
    }

    mutating func withDuration(_ primary: Expr) -> Expr {
        guard current.kind == .identifier, let unit = Self.durationUnit(current.text) else { return primary }
        let end = advance().range
        return Expr(.duration(primary, unit), primary.range.to(end))
    }

    mutating func chainedComparison() -> ParseError {
        fail("comparisons cannot be chained, found \(describe(current)) after a comparison", at: current,
             hint: "join two comparisons with 'and': a <= b and b <= c")
    }

    mutating func parsePrimary() throws(ParseError) -> Expr {
        switch current.kind {
        case .number, .money, .percent, .date, .string: return parseLiteral()
        case .identifier: return try parseNameOrCall()
        case .symbol:
            if checkSymbol("(") { return try parseGroup() }
            if checkSymbol("[") { return try parseList() }
        case .keyword: return try parseKeywordPrimary()
        case .json, .endOfFile, .invalid: break
        }
        throw expectedExpression()
    }

    mutating func expectedExpression() -> ParseError {
        fail("expected an expression, found \(describe(current))", at: current)
    }

    mutating func parseLiteral() -> Expr {
        let token = advance()
        switch token.kind {
        case .number: return Expr(.number(token.text), token.range)
        case .money: return Expr(.money(token.text), token.range)
        case .percent: return Expr(.percent(token.text), token.range)
        case .date: return Expr(.date(token.text), token.range)
        default: return Expr(.text(token.text), token.range)
        }
    }

    /// `( expr )`: the parentheses belong to the range, so errors point at the whole group.
    mutating func parseGroup() throws(ParseError) -> Expr {
        let open = advance().range
        let inner = try parseEnclosed()
        guard checkSymbol(")") else { throw unclosedGroup(open) }
        return Expr(inner.kind, open.to(advance().range))
    }

    mutating func unclosedGroup(_ open: SourceRange) -> ParseError {
        fail("expected ')' to close '(', found \(describe(current))", at: current, notes: [.init("to match this '('", at: open)])
    }

    mutating func parseList() throws(ParseError) -> Expr {
        let open = advance().range
        let items = try parseArguments(closing: "]", of: nil, open: open)
        return Expr(.list(items), spanning(from: open))
    }

    enum KeywordPrimary { case boolean(Bool), conditional, known, count, aggregate, programKind, name }

    /// What a keyword starts in an expression, if anything.
    func keywordPrimary() -> KeywordPrimary? {
        switch current.text {
        case "true", "yes": .boolean(true)
        case "false", "no": .boolean(false)
        case "if": .conditional
        case "known": .known
        case "count": .count
        case "any", "all", "sum", "min", "max": .aggregate
        case "kind": .programKind
        case "enrolled" where !peek().isKeyword("when"), "needs" where !peek().isKeyword("consent"),
             "referral" where peek().kind != .identifier, "program" where peek().kind != .identifier,
             "benefit" where peek().isSymbol("("):
            .name
        default: nil
        }
    }

    mutating func parseKeywordPrimary() throws(ParseError) -> Expr {
        switch keywordPrimary() {
        case .boolean(let value): return Expr(.boolean(value), advanceRange())
        case .conditional: return try parseConditional()
        case .known: return try parseKnown()
        case .count: return try parseCount()
        case .aggregate: return try parseAggregate()
        case .programKind: return try parseProgramKind()
        case .name: return try parseNameOrCall()
        case nil: throw expectedExpression()
        }
    }

    /// `kind cash_assistance`
    mutating func parseProgramKind() throws(ParseError) -> Expr {
        let start = advanceRange()
        let name = try parseName(after: "kind", naming: "a program kind")
        return Expr(.programKind(name.text), start.to(name.range))
    }

    /// `known x`: whether x has a value.
    mutating func parseKnown() throws(ParseError) -> Expr {
        let start = advance().range
        try nest()
        defer { depth -= 1 }
        let operand = try parsePrimary()
        return Expr(.known(operand), start.to(operand.range))
    }

    /// `name`, or `name(args)`: a built-in function or a parameter table.
    mutating func parseNameOrCall() throws(ParseError) -> Expr {
        let name = advanceName()
        guard checkSymbol("(") else { return Expr(.name(name.text), name.range) }
        advance()
        let args = try parseArguments(closing: ")", of: name.text, open: previous.range)
        return Expr(.call(name, args), spanning(from: name.range))
    }

    mutating func advanceName() -> Name {
        let token = advance()
        return Name(token.text, token.range)
    }

    /// Comma-separated expressions up to `closing` (which is consumed); the opening symbol is already read.
    /// `function` names the call for messages; nil for a list.
    mutating func parseArguments(closing: String, of function: String?, open: SourceRange) throws(ParseError) -> [Expr] {
        var items: [Expr] = []
        if matchSymbol(closing) { return items }
        repeat {
            items.append(try parseEnclosed())
        } while matchSymbol(",")
        guard matchSymbol(closing) else { throw unclosedArguments(closing, function, open) }
        return items
    }

    mutating func unclosedArguments(_ closing: String, _ function: String?, _ open: SourceRange) -> ParseError {
        let what = function.map { "the arguments of '\($0)'" } ?? "the list"
        let opener = closing == "]" ? "[" : "("
        return fail("expected '\(closing)' or ',' in \(what), found \(describe(current))", at: current,
                    notes: [.init("to match this '\(opener)'", at: open)])
    }

    /// `if C then A else B`; the else branch extends as far right as it can.
    mutating func parseConditional() throws(ParseError) -> Expr {
        let start = advance()
        let condition = try parseEnclosed()
        _ = try expect("then", "after the condition of 'if'", hint: "write 'if CONDITION then VALUE else VALUE'")
        let then = try parseEnclosed()
        _ = try expect("else", "after the 'then' value of 'if'", hint: "every 'if' needs an 'else' value")
        let otherwise = try parseExpression()
        return Expr(.conditional(condition, then: then, else: otherwise), start.range.to(otherwise.range))
    }

    /// `count members (where C)?`
    mutating func parseCount() throws(ParseError) -> Expr {
        let start = advance()
        _ = try expect("members", "after 'count'", hint: "write 'count members' or 'count members where CONDITION'")
        var filter: Expr?
        if match("where") { filter = try parseExpression() }
        return Expr(.aggregate(.count, body: nil, filter: filter), spanning(from: start.range))
    }

    /// `any member where C`, `sum E over members (where C)?`, ... and the function form `max(a, b, ...)`.
    mutating func parseAggregate() throws(ParseError) -> Expr {
        let aggregate = Aggregate(rawValue: current.text)!
        if aggregate == .min || aggregate == .max, peek().isSymbol("("), hasTopLevelComma(from: pos + 1) {
            return try parseNameOrCall()
        }
        let start = advanceRange()
        if aggregate == .any || aggregate == .all, match("member") {
            guard match("where") else { throw aggregateError(aggregate, body: nil) }
            let body = try parseExpression()
            return Expr(.aggregate(aggregate, body: body, filter: nil), start.to(body.range))
        }
        if check("members") { throw aggregateError(aggregate, body: nil) }
        let body = try parseEnclosed()
        guard match("over") else { throw aggregateError(aggregate, body: body) }
        guard match("members") else { throw aggregateError(aggregate, body: nil) }
        var filter: Expr?
        if match("where") { filter = try parseExpression() }
        return Expr(.aggregate(aggregate, body: body, filter: filter), spanning(from: start))
    }

    /// What went wrong in `any member where ...`, `sum ... over members`, with how to write it.
    mutating func aggregateError(_ aggregate: Aggregate, body: Expr?) -> ParseError {
        let word = aggregate.rawValue
        let found = describe(current)
        if previous.isKeyword("member") {
            return fail("expected 'where' after '\(word) member', found \(found)", at: current, hint: "write '\(word) member where CONDITION'")
        }
        if previous.isKeyword("over") {
            return fail("expected 'members' after 'over', found \(found)", at: current)
        }
        let anyOrAll = aggregate == .any || aggregate == .all
        if check("members") {
            return fail("expected a value after '\(word)', found 'members'", at: current,
                        hint: anyOrAll ? "write '\(word) member where CONDITION'" : "write '\(word) VALUE over members'")
        }
        var hint = "write '\(word) VALUE over members', optionally followed by 'where CONDITION'"
        if aggregate == .min || aggregate == .max {
            hint += ", or \(word)(a, b) for the \(aggregate == .max ? "larger" : "smaller") of two or more values"
        }
        if anyOrAll { hint = "write '\(word) member where CONDITION' or '\(word) CONDITION over members'" }
        return fail("expected 'over members' after '\(word) \(excerpt(body?.range ?? current.range))', found \(found)", at: current, hint: hint)
    }

    /// The source text of `range` for a message, shortened when long.
    func excerpt(_ range: SourceRange) -> String {
        let lo = max(0, min(range.start, source.count)), hi = max(lo, min(range.end, source.count))
        let text = String(decoding: source[lo..<hi], as: UTF8.self)
        return text.count > 30 ? text.prefix(30) + "…" : text
    }

    /// Whether the parenthesis at `open` holds a comma at its own level, making `max(...)` a function call.
    func hasTopLevelComma(from open: Int) -> Bool {
        var level = 0
        var i = open
        while i < tokens.count {
            let token = tokens[i]
            if token.kind == .endOfFile { return false }
            if token.kind == .symbol {
                switch token.text {
                case "(", "[": level += 1
                case ")", "]":
                    level -= 1
                    if level == 0 { return false }
                case ",": if level == 1 { return true }
                default: break
                }
            } else if token.kind == .keyword {
                switch token.text {
                case "end", "requirement", "let", "explain", "because", "from": return false
                default: break
                }
            }
            i += 1
        }
        return false
    }
}
