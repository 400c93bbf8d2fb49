import Testing
@testable import Eligibility

private func lex(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    Lexer.tokenize(SourceFile(path: "t.rules", text: text), file: 0)
}

/// The tokens of `text` as `kind(text)`, without the final end of file.
private func dump(_ text: String) -> [String] {
    let tokens = lex(text).tokens
    #expect(tokens.last?.kind == .endOfFile)
    return tokens.dropLast().map(\.dump)
}

struct LexerTests {
    // MARK: Token kinds

    @Test(arguments: [
        // identifiers, dotted identifiers, keywords
        ("age", ["identifier(age)"]),
        ("_x1 A9", ["identifier(_x1)", "identifier(A9)"]),
        ("child_welfare.stage", ["identifier(child_welfare.stage)"]),
        ("tanf.ca ca.mbsac_region1", ["identifier(tanf.ca)", "identifier(ca.mbsac_region1)"]),
        ("program.name", ["identifier(program.name)"]),
        ("count.members", ["identifier(count.members)"]),
        ("program name", ["keyword(program)", "identifier(name)"]),
        ("yes/no", ["keyword(yes)", "symbol(/)", "keyword(no)"]),
        // numbers, percentages, dates
        ("12 0.5 007", ["number(12)", "number(0.5)", "number(007)"]),
        ("130% 49.6%", ["percent(130)", "percent(49.6)"]),
        ("2025-10-01", ["date(2025-10-01)"]),
        ("2024-02-29", ["date(2024-02-29)"]),
        ("2025-10-011", ["number(2025)", "symbol(-)", "number(10)", "symbol(-)", "number(011)"]),
        ("2025 - 10", ["number(2025)", "symbol(-)", "number(10)"]),
        ("6months", ["number(6)", "identifier(months)"]),
        // money: a comma belongs to the amount only before exactly three digits
        ("$1,829.00", ["money(1829.00)"]),
        ("$450 $0.50", ["money(450)", "money(0.50)"]),
        ("$1,234,567.89", ["money(1234567.89)"]),
        ("$14,580, $19,720", ["money(14580)", "symbol(,)", "money(19720)"]),
        ("$1,2345", ["money(1)", "symbol(,)", "number(2345)"]),
        ("$1,23", ["money(1)", "symbol(,)", "number(23)"]),
        ("$5,000;", ["money(5000)", "symbol(;)"]),
        ("-$5", ["symbol(-)", "money(5)"]),
        // strings keep template braces; escapes are undone
        ("\"Stable housing\"", ["string(Stable housing)"]),
        ("\"{x} and {{y}}\"", ["string({x} and {{y}})"]),
        ("\"\"", ["string()"]),
        (#""say \"hi\" \\ now""#, [#"string(say "hi" \ now)"#]),
        // symbols
        ("( ) [ ] , : ; = != < <= > >= + - * / %",
         ["symbol(()", "symbol())", "symbol([)", "symbol(])", "symbol(,)", "symbol(:)", "symbol(;)", "symbol(=)", "symbol(!=)",
          "symbol(<)", "symbol(<=)", "symbol(>)", "symbol(>=)", "symbol(+)", "symbol(-)", "symbol(*)", "symbol(/)", "symbol(%)"]),
        ("a<=b", ["identifier(a)", "symbol(<=)", "identifier(b)"]),
        // comments and whitespace
        ("a # a comment \"with a quote\n\tb\r\n", ["identifier(a)", "identifier(b)"]),
        ("# only a comment", []),
        ("", []),
        ("\u{FEFF}fact", ["keyword(fact)"]),
        // JSON after given
        (#"given { "a": "}", "b": { "c": [1, 2] } } expect"#,
         ["keyword(given)", #"json({ "a": "}", "b": { "c": [1, 2] } })"#, "keyword(expect)"]),
        ("given # the profile\n{}", ["keyword(given)", "json({})"]),
        (#"given {"q": "a \"}\" b"} end"#, ["keyword(given)", #"json({"q": "a \"}\" b"})"#, "keyword(end)"]),
    ] as [(String, [String])])
    func tokenKinds(_ source: String, _ expected: [String]) {
        #expect(dump(source) == expected)
        #expect(lex(source).diagnostics.isEmpty)
    }

    @Test func everyKeywordIsAKeywordAndEveryOtherWordAnIdentifier() {
        for word in Token.keywords.sorted() {
            #expect(dump(word) == ["keyword(\(word))"])
            #expect(dump(word + "s_x") == ["identifier(\(word)s_x)"])
            #expect(dump("a." + word) == ["identifier(a.\(word))"])
        }
        for word in ["boolean", "integer", "decimal", "money", "date", "text", "eligible", "unclaimed", "household", "size"] {
            #expect(dump(word) == ["identifier(\(word))"])
        }
    }

    @Test func escapesInStrings() {
        let tokens = lex(#""line\nbreak""#).tokens
        #expect(tokens[0].text == "line\nbreak")
    }

    // MARK: Ranges

    @Test func tokenRangesCoverWhatWasWritten() {
        let source = SourceFile(path: "t.rules", text: #"x $1,829.00 "a\"b" 130% 2025-10-01 tanf.ca given {"a": 1}"#)
        let tokens = Lexer.tokenize(source, file: 3).tokens
        #expect(tokens.map { source.slice($0.range) } ==
                ["x", "$1,829.00", #""a\"b""#, "130%", "2025-10-01", "tanf.ca", "given", #"{"a": 1}"#, ""])
        #expect(tokens.allSatisfy { $0.range.file == 3 })
        #expect(tokens.last!.range == SourceRange(file: 3, start: source.text.count, end: source.text.count))
    }

    // MARK: Errors

    @Test(arguments: [
        ("a @ b", ["identifier(a)", "invalid", "identifier(b)"], ["unexpected character '@'"]),
        ("a@@&b", ["identifier(a)", "invalid", "identifier(b)"], ["unexpected characters '@@&'"]),
        ("a @ b @", ["identifier(a)", "invalid", "identifier(b)", "invalid"], ["unexpected character '@'", "unexpected character '@'"]),
        ("\u{0}\u{1}x", ["invalid", "identifier(x)"], [#"unexpected characters '\u{0}\u{1}'"#]),
        ("café", ["identifier(caf)", "invalid"], ["unexpected character 'é'"]),
        ("a ! b", ["identifier(a)", "invalid", "identifier(b)"], ["unexpected character '!'"]),
        ("1.", ["number(1)", "invalid"], ["unexpected character '.'"]),
        ("{x}", ["invalid", "identifier(x)", "invalid"], ["unexpected character '{'", "unexpected character '}'"]),
        ("$x", ["invalid", "identifier(x)"], ["expected an amount after '$'"]),
        ("a == b", ["identifier(a)", "symbol(=)", "identifier(b)"], ["'==' is not an operator in rules"]),
        ("2025-13-01", ["date(2025-13-01)"], ["invalid date '2025-13-01': there is no month 13"]),
        ("2025-02-29", ["date(2025-02-29)"], ["invalid date '2025-02-29': month 2 of 2025 has 28 days"]),
        (#""a\qb""#, [#"string(a\qb)"#], [#"unknown escape sequence '\q' in string"#]),
        ("'abc' x", ["string(abc)", "identifier(x)"], ["strings are written in straight double quotes"]),
        ("\u{201C}abc\u{201D}", ["string(abc)"], ["strings are written in straight double quotes"]),
        ("\"abc\nx", ["string(abc)", "identifier(x)"], ["unterminated string"]),
        ("\"abc", ["string(abc)"], ["unterminated string"]),
        ("given {\"a\": {", ["keyword(given)", "json({\"a\": {)"], ["unterminated JSON block"]),
        ("given {\n  \"a\": 1\n  expect x eligible\nend", ["keyword(given)", "json({\n  \"a\": 1)", "keyword(expect)",
                                                      "identifier(x)", "identifier(eligible)", "keyword(end)"],
         ["unterminated JSON block"]),
    ] as [(String, [String], [String])])
    func errors(_ source: String, _ expected: [String], _ messages: [String]) {
        let result = lex(source)
        #expect(result.tokens.dropLast().map { $0.kind == .invalid ? "invalid" : $0.dump } == expected)
        #expect(result.tokens.last?.kind == .endOfFile)
        #expect(result.diagnostics.map(\.message) == messages)
        #expect(result.diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func unterminatedStringIsReportedAtItsOpeningQuote() {
        let result = lex("fact x : text \"What is it?\nfact y : text")
        #expect(result.diagnostics.count == 1)
        let d = result.diagnostics[0]
        #expect(d.range == SourceRange(file: 0, start: 14, end: 15))
        #expect(d.hint?.hasPrefix("add a closing quote") == true)
        // The next line lexes normally.
        #expect(result.tokens.suffix(5).map(\.dump) == ["keyword(fact)", "identifier(y)", "symbol(:)", "identifier(text)", "endOfFile"])
    }

    @Test func invalidUTF8IsOneRunOfJunk() {
        let source = SourceFile(path: "t.rules", bytes: [0x61, 0x20, 0xFF, 0xFE, 0xC0, 0x20, 0x62])
        let result = Lexer.tokenize(source, file: 0)
        #expect(result.tokens.map { $0.kind } == [.identifier, .invalid, .identifier, .endOfFile])
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics[0].message == #"unexpected characters '\u{FFFD}\u{FFFD}\u{FFFD}'"#)
    }

    @Test func nulBytesAndControlCharacters() {
        let source = SourceFile(path: "t.rules", bytes: [0, 0, 0x61, 0, 7, 0x62])
        let result = Lexer.tokenize(source, file: 0)
        #expect(result.tokens.map(\.kind) == [.invalid, .identifier, .invalid, .identifier, .endOfFile])
        #expect(result.diagnostics.map(\.message) == [#"unexpected characters '\u{0}\u{0}'"#, #"unexpected characters '\u{0}\u{7}'"#])
    }
}
