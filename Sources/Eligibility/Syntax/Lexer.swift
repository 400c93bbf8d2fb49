/// Turns the bytes of a rule file into tokens (see docs/grammar.md, "Tokens").
///
/// The lexer works on `SourceFile.text` byte by byte and never fails: anything it cannot read
/// becomes one `.invalid` token and one diagnostic per run of bad characters, and lexing goes on.
/// The token list always ends with `.endOfFile`.
public enum Lexer {
    public static func tokenize(_ source: SourceFile, file: Int) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        tokenize(source.text, in: 0..<source.text.count, file: file)
    }

    /// Tokenizes `range` of `bytes` only; used for the `{expression}` holes of templates, whose
    /// tokens must carry offsets into the whole file.
    static func tokenize(_ bytes: [UInt8], in range: Range<Int>, file: Int) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var scanner = Scanner(bytes: bytes, start: range.lowerBound, end: min(range.upperBound, bytes.count), file: file)
        scanner.run()
        return (scanner.tokens, scanner.diagnostics)
    }

    /// Undoes the escapes `\"`, `\\` and `\n` of string content; any other backslash is kept as written.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(Byte.backslash) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == Byte.backslash, i + 1 < bytes.endIndex, let e = escaped(bytes[i + 1]) {
                out.append(e)
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The byte an escape sequence `\c` stands for, or nil when `c` is not a known escape.
    static func escaped(_ c: UInt8) -> UInt8? {
        switch c {
        case Byte.quote: Byte.quote
        case Byte.backslash: Byte.backslash
        case UInt8(ascii: "n"): Byte.lf
        default: nil
        }
    }
}

/// ASCII bytes the lexer and template parser look at.
enum Byte {
    static let tab = UInt8(ascii: "\t"), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
    static let hash = UInt8(ascii: "#"), dollar = UInt8(ascii: "$"), percent = UInt8(ascii: "%")
    static let dot = UInt8(ascii: "."), comma = UInt8(ascii: ","), minus = UInt8(ascii: "-"), underscore = UInt8(ascii: "_")
    static let lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}")
    static let bang = UInt8(ascii: "!"), equal = UInt8(ascii: "="), less = UInt8(ascii: "<"), greater = UInt8(ascii: ">")
    static let ampersand = UInt8(ascii: "&"), bar = UInt8(ascii: "|")

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isNameStart(_ b: UInt8) -> Bool { isLetter(b) || b == underscore }
    @inline(__always) static func isNamePart(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == underscore }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == space || b == tab || b == lf || b == cr || b == 0x0C }
}

private struct Scanner {
    let bytes: [UInt8]
    let start: Int
    let end: Int
    let file: Int
    var pos: Int
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []

    init(bytes: [UInt8], start: Int, end: Int, file: Int) {
        self.bytes = bytes
        self.start = start
        self.end = max(start, end)
        self.file = file
        self.pos = start
        tokens.reserveCapacity((self.end - start) / 4 + 1)
    }

    // MARK: Driver

    mutating func run() {
        // A UTF-8 byte-order mark at the very start of a file is not part of the text.
        if pos == 0, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
        while pos < end {
            let b = bytes[pos]
            if Byte.isSpace(b) {
                pos += 1
            } else if b == Byte.hash {
                while pos < end, bytes[pos] != Byte.lf { pos += 1 }
            } else if Byte.isNameStart(b) {
                scanWord()
            } else if Byte.isDigit(b) {
                scanNumber()
            } else if b == Byte.dollar {
                scanMoney()
            } else if b == Byte.quote {
                scanString()
            } else if b == Byte.lbrace, let last = tokens.last, last.isKeyword("given") {
                scanJSON()
            } else if !scanSymbol(), !scanMisquotedString() {
                scanJunk()
            }
        }
        tokens.append(Token(.endOfFile, "", range(end, end)))
    }

    // MARK: Helpers

    func range(_ lo: Int, _ hi: Int) -> SourceRange { SourceRange(file: file, start: lo, end: hi) }

    func byte(at i: Int) -> UInt8? { i < end ? bytes[i] : nil }

    func text(_ lo: Int, _ hi: Int) -> String { String(decoding: bytes[lo..<hi], as: UTF8.self) }

    mutating func add(_ kind: Token.Kind, _ text: String, _ lo: Int, _ hi: Int) {
        tokens.append(Token(kind, text, range(lo, hi)))
    }

    mutating func error(_ message: String, _ lo: Int, _ hi: Int, hint: String? = nil) {
        diagnostics.append(.error(message, at: range(lo, hi), hint: hint))
    }

    /// The end of the current line (the offset of its line break, or the end of input).
    func lineEnd(from i: Int) -> Int {
        var j = i
        while j < end, bytes[j] != Byte.lf, bytes[j] != Byte.cr { j += 1 }
        return j
    }

    // MARK: Words

    /// `age`, `child_welfare.stage`: a dotted word is an identifier even when a part is a keyword.
    mutating func scanWord() {
        let lo = pos
        var dotted = false
        pos += 1
        while true {
            while pos < end, Byte.isNamePart(bytes[pos]) { pos += 1 }
            if pos + 1 < end, bytes[pos] == Byte.dot, Byte.isNameStart(bytes[pos + 1]) {
                dotted = true
                pos += 2
            } else {
                break
            }
        }
        let word = text(lo, pos)
        add(!dotted && Token.keywords.contains(word) ? .keyword : .identifier, word, lo, pos)
    }

    // MARK: Numbers, dates, percentages, money

    mutating func scanNumber() {
        let lo = pos
        if let dateEnd = dateEnd(at: pos) {
            pos = dateEnd
            let date = text(lo, pos)
            if let problem = Self.dateProblem(bytes, lo) {
                error("invalid date '\(date)': \(problem)", lo, pos, hint: "write dates as YYYY-MM-DD, for example 2025-10-01")
            }
            add(.date, date, lo, pos)
            return
        }
        scanDigits()
        if pos + 1 < end, bytes[pos] == Byte.dot, Byte.isDigit(bytes[pos + 1]) {
            pos += 1
            scanDigits()
        }
        let digits = text(lo, pos)
        if pos < end, bytes[pos] == Byte.percent {
            pos += 1
            add(.percent, digits, lo, pos)
        } else {
            add(.number, digits, lo, pos)
        }
    }

    mutating func scanDigits() {
        while pos < end, Byte.isDigit(bytes[pos]) { pos += 1 }
    }

    /// The end of a `YYYY-MM-DD` date starting at `i`, or nil when the text there is not shaped like one.
    func dateEnd(at i: Int) -> Int? {
        guard i + 10 <= end else { return nil }
        for k in 0..<10 {
            let b = bytes[i + k]
            if k == 4 || k == 7 { guard b == Byte.minus else { return nil } } else { guard Byte.isDigit(b) else { return nil } }
        }
        if let next = byte(at: i + 10), Byte.isNamePart(next) || next == Byte.dot { return nil }
        return i + 10
    }

    static func dateProblem(_ bytes: [UInt8], _ i: Int) -> String? {
        func number(_ lo: Int, _ count: Int) -> Int {
            var n = 0
            for k in lo..<(lo + count) { n = n * 10 + Int(bytes[k] - 0x30) }
            return n
        }
        let year = number(i, 4), month = number(i + 5, 2), day = number(i + 8, 2)
        guard (1...12).contains(month) else { return "there is no month \(month)" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return "month \(month) of \(year) has \(days) days" }
        return nil
    }

    /// `$1,829.00`, `$450`, `$0.50`: the token text drops `$` and the thousands commas.
    /// A comma belongs to the amount only when exactly three digits follow it.
    mutating func scanMoney() {
        let lo = pos
        pos += 1
        guard pos < end, Byte.isDigit(bytes[pos]) else {
            error("expected an amount after '$'", lo, pos, hint: "write money as $1,829.00 or $450")
            add(.invalid, "expected an amount after '$'", lo, pos)
            return
        }
        var digits: [UInt8] = []
        while pos < end {
            let b = bytes[pos]
            if Byte.isDigit(b) {
                digits.append(b)
                pos += 1
            } else if b == Byte.comma, threeDigitsThenStop(after: pos) {
                pos += 1
            } else {
                break
            }
        }
        if pos + 1 < end, bytes[pos] == Byte.dot, Byte.isDigit(bytes[pos + 1]) {
            digits.append(Byte.dot)
            pos += 1
            while pos < end, Byte.isDigit(bytes[pos]) {
                digits.append(bytes[pos])
                pos += 1
            }
        }
        add(.money, String(decoding: digits, as: UTF8.self), lo, pos)
    }

    /// Whether the comma at `i` is followed by exactly three digits.
    func threeDigitsThenStop(after i: Int) -> Bool {
        for k in 1...3 {
            guard let b = byte(at: i + k), Byte.isDigit(b) else { return false }
        }
        if let next = byte(at: i + 4), Byte.isDigit(next) { return false }
        return true
    }

    // MARK: Strings

    /// `"..."` on one line, with the escapes `\"`, `\\` and `\n`. An unterminated string is reported
    /// at its opening quote and ends at the end of the line, so the next line lexes normally.
    mutating func scanString() {
        let lo = pos
        pos += 1
        let contentStart = pos
        var hasEscapes = false
        while pos < end {
            let b = bytes[pos]
            if b == Byte.quote {
                let value = hasEscapes ? Lexer.unescape(bytes[contentStart..<pos]) : text(contentStart, pos)
                pos += 1
                add(.string, value, lo, pos)
                return
            }
            if b == Byte.lf || b == Byte.cr { break }
            if b == Byte.backslash {
                hasEscapes = true
                if let next = byte(at: pos + 1), next != Byte.lf, next != Byte.cr {
                    if Lexer.escaped(next) == nil {
                        let sequence = "\\" + describe(scalarAt: pos + 1)
                        error("unknown escape sequence '\(sequence)' in string", pos, pos + 2,
                              hint: "the escapes are \\\" for a quote, \\\\ for a backslash and \\n for a line break")
                    }
                    pos += 2
                    continue
                }
            }
            pos += 1
        }
        error("unterminated string", lo, lo + 1, hint: "add a closing quote; a string ends on the line where it starts")
        let value = hasEscapes ? Lexer.unescape(bytes[contentStart..<pos]) : text(contentStart, pos)
        add(.string, value, lo, pos)
    }

    /// `'text'` or `“text”` (as pasted from a word processor): reported once and read as a string,
    /// so the rest of the line parses as intended.
    mutating func scanMisquotedString() -> Bool {
        let lo = pos
        let open: [UInt8], close: [UInt8]
        if bytes[pos] == Byte.apostrophe {
            open = [Byte.apostrophe]; close = [Byte.apostrophe]
        } else if hasBytes([0xE2, 0x80, 0x9C], at: pos) || hasBytes([0xE2, 0x80, 0x9D], at: pos) {
            open = Array(bytes[pos..<(pos + 3)]); close = [0xE2, 0x80, 0x9D]
        } else {
            return false
        }
        let stop = lineEnd(from: pos)
        var j = pos + open.count
        while j < stop, !hasBytes(close, at: j) { j += 1 }
        guard j < stop else { return false }
        let content = text(pos + open.count, j)
        pos = j + close.count
        error("strings are written in straight double quotes", lo, pos, hint: "write \"\(content)\"")
        add(.string, content, lo, pos)
        return true
    }

    func hasBytes(_ needle: [UInt8], at i: Int) -> Bool {
        guard i + needle.count <= end else { return false }
        for k in 0..<needle.count where bytes[i + k] != needle[k] { return false }
        return true
    }

    // MARK: JSON

    /// The profile after `given`: a balanced `{ ... }`, braces inside JSON strings ignored.
    /// When the braces never balance, the block is cut before the first line that starts with
    /// `expect`, `end` or a declaration keyword, so the test's expectations still parse.
    mutating func scanJSON() {
        let lo = pos
        var depth = 0
        var inString = false
        var cut: Int?
        var i = pos
        while i < end {
            let b = bytes[i]
            if inString {
                if b == Byte.backslash { i += 2; continue }
                if b == Byte.quote { inString = false }
            } else if b == Byte.quote {
                inString = true
            } else if b == Byte.lbrace {
                depth += 1
            } else if b == Byte.rbrace {
                depth -= 1
                if depth == 0 {
                    pos = i + 1
                    add(.json, text(lo, pos), lo, pos)
                    return
                }
            } else if b == Byte.lf, cut == nil, lineStartsWithKeyword(i + 1) {
                cut = i
            }
            i += 1
        }
        var hi = cut ?? end
        while hi > lo + 1, Byte.isSpace(bytes[hi - 1]) { hi -= 1 }
        error("unterminated JSON block", lo, lo + 1, hint: "add the missing '}' so that the braces of the profile balance")
        add(.json, text(lo, hi), lo, hi)
        pos = hi
    }

    /// Whether the line starting at `i` begins (after indentation) with a word that cannot be JSON.
    func lineStartsWithKeyword(_ i: Int) -> Bool {
        var j = i
        while j < end, bytes[j] == Byte.space || bytes[j] == Byte.tab { j += 1 }
        var k = j
        while k < end, Byte.isNamePart(bytes[k]) { k += 1 }
        guard k > j else { return false }
        switch text(j, k) {
        case "expect", "end", "test", "enum", "fact", "member", "let", "parameter", "program", "referral", "tier": return true
        default: return false
        }
    }

    // MARK: Symbols

    mutating func scanSymbol() -> Bool {
        let lo = pos
        let b = bytes[pos]
        let next = byte(at: pos + 1)
        switch b {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), Byte.comma, UInt8(ascii: ":"),
             UInt8(ascii: ";"), UInt8(ascii: "+"), Byte.minus, UInt8(ascii: "*"), UInt8(ascii: "/"), Byte.percent:
            pos += 1
        case Byte.less, Byte.greater:
            pos += next == Byte.equal ? 2 : 1
        case Byte.bang:
            guard next == Byte.equal else { return false }
            pos += 2
        case Byte.equal:
            if next == Byte.equal {
                pos += 2
                error("'==' is not an operator in rules", lo, pos, hint: "write '=' to compare two values")
                add(.symbol, "=", lo, pos)
                return true
            }
            pos += 1
        default:
            return false
        }
        add(.symbol, text(lo, pos), lo, pos)
        return true
    }

    // MARK: Junk

    /// A run of characters that cannot start a token: one diagnostic and one `.invalid` token for the run.
    mutating func scanJunk() {
        let lo = pos
        pos += 1
        while pos < end, !Byte.isSpace(bytes[pos]), !startsToken(at: pos) { pos += 1 }
        let shown = describe(lo, pos)
        let message = "unexpected \(shown.count == 1 ? "character" : "characters") '\(shown.text)'"
        error(message, lo, pos, hint: junkHint(lo))
        add(.invalid, message, lo, pos)
    }

    func startsToken(at i: Int) -> Bool {
        let b = bytes[i]
        if Byte.isNamePart(b) || b == Byte.hash || b == Byte.dollar || b == Byte.quote { return true }
        switch b {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), Byte.comma, UInt8(ascii: ":"),
             UInt8(ascii: ";"), UInt8(ascii: "+"), Byte.minus, UInt8(ascii: "*"), UInt8(ascii: "/"), Byte.percent,
             Byte.less, Byte.greater, Byte.equal:
            return true
        case Byte.bang:
            return byte(at: i + 1) == Byte.equal
        default:
            return false
        }
    }

    func junkHint(_ i: Int) -> String? {
        switch bytes[i] {
        case Byte.bang: return "write '!=' for 'not equal', or 'not' before a condition"
        case Byte.ampersand: return "write 'and' to join conditions"
        case Byte.bar: return "write 'or' to join conditions"
        case Byte.lbrace, Byte.rbrace: return "braces appear only in a test's 'given' profile and in explain and because strings"
        case Byte.apostrophe: return "strings are written in double quotes"
        case Byte.dot: return "numbers need a digit before the point (0.5), and names a letter after it (tanf.ca)"
        case 0xE2 where hasBytes([0xE2, 0x80, 0x9C], at: i) || hasBytes([0xE2, 0x80, 0x9D], at: i):
            return "strings are written in straight double quotes"
        case 0x80...: return "names use only the letters a to z, digits and '_'"
        default: return nil
        }
    }

    /// The characters of `bytes[lo..<hi]` for a message: printable ones as they are, others as `\u{XX}`.
    func describe(_ lo: Int, _ hi: Int) -> (text: String, count: Int) {
        var out = ""
        var count = 0
        for scalar in String(decoding: bytes[lo..<hi], as: UTF8.self).unicodeScalars {
            count += 1
            if count > 16 { out += "…"; break }
            out += Self.printable(scalar)
        }
        return (out, count)
    }

    func describe(scalarAt i: Int) -> String {
        var j = i + 1
        while j < end, bytes[j] & 0xC0 == 0x80 { j += 1 }
        return describe(i, j).text
    }

    static func printable(_ scalar: Unicode.Scalar) -> String {
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default:
            return scalar == "\u{FFFD}" ? "\\u{FFFD}" : String(scalar)
        }
    }
}
