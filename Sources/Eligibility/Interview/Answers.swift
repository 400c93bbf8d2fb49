/// Typed answers to interview questions: what form an answer takes, and how typed text becomes a profile value.

/// The form an answer takes, from the fact's declared type.
public enum AnswerForm: Sendable, Hashable {
    case yesNo
    /// A whole number, within the fact's `range` when it has one.
    case wholeNumber(min: Int64?, max: Int64?)
    case number
    case money
    case date
    case text
    /// A two-letter USPS state code (or the state's name).
    case state
    /// One value of an enum (its index in the rules' enums).
    case choice(Int)
    /// Any number of values of an enum.
    case choices(Int)

    /// The form of a fact of this type; nil for types no profile field has.
    public init?(_ type: ValueType, lowerBound: Int64? = nil, upperBound: Int64? = nil) {
        switch type {
        case .boolean: self = .yesNo
        case .integer: self = .wholeNumber(min: lowerBound, max: upperBound)
        case .decimal, .percent: self = .number
        case .money: self = .money
        case .date: self = .date
        case .text: self = .text
        case .enumeration(let e): self = .choice(e)
        case .set(let e): self = .choices(e)
        case .duration, .error: return nil
        }
    }

    /// What a correct answer looks like, completing "expected ...".
    public func expected(_ enums: [EnumInfo]) -> String {
        switch self {
        case .yesNo: return "yes or no (y/n)"
        case .wholeNumber(let lo?, let hi?): return "a whole number from \(lo) to \(hi)"
        case .wholeNumber(let lo?, nil): return "a whole number of at least \(lo)"
        case .wholeNumber(nil, let hi?): return "a whole number of at most \(hi)"
        case .wholeNumber(nil, nil): return "a whole number"
        case .number: return "a number, such as 2.5"
        case .money: return "an amount in dollars, such as 1200 or $1,200.50"
        case .date: return "a date as YYYY-MM-DD"
        case .text: return "some text"
        case .state: return "a two-letter state code, such as CA"
        case .choice(let e): return "a number from 1 to \(enums[e].values.count) or a name from the list"
        case .choices(let e): return "numbers from 1 to \(enums[e].values.count) or names from the list, separated by commas, or none"
        }
    }

    /// A short reminder shown with the question: `(yes/no)`.
    public var hint: String {
        switch self {
        case .yesNo: "yes/no"
        case .wholeNumber(let lo?, let hi?): "a whole number, \(lo) to \(hi)"
        case .wholeNumber: "a whole number"
        case .number: "a number"
        case .money: "an amount, such as 1200 or $1,200.50"
        case .date: "YYYY-MM-DD"
        case .text: "text"
        case .state: "two-letter code, such as CA"
        case .choice: "a number or a name"
        case .choices: "numbers or names separated by commas, or none"
        }
    }
}

/// A typed answer that does not fit the question: what was expected, said so the worker can retype it.
public struct AnswerError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Turns typed answers into profile values (the contract's JSON).
public enum AnswerParser {
    /// Parses `text` as an answer of `form`; the value is what the profile field holds.
    public static func parse(_ text: String, as form: AnswerForm, enums: [EnumInfo]) -> Result<JSONValue, AnswerError> {
        let t = text.trimmingSpaces
        let expected = AnswerError("expected \(form.expected(enums))")
        switch form {
        case .yesNo:
            switch t.lowercased() {
            case "y", "yes": return .success(.bool(true))
            case "n", "no": return .success(.bool(false))
            default: return .failure(expected)
            }
        case .wholeNumber(let lo, let hi):
            guard let digits = plainNumber(t, allowFraction: false), let n = Exact(decimal: digits), n.isInteger else { return .failure(expected) }
            if let lo, n.numerator < lo { return .failure(expected) }
            if let hi, n.numerator > hi { return .failure(expected) }
            return .success(.number(String(n.numerator)))
        case .number:
            guard let digits = plainNumber(t, allowFraction: true), Exact(decimal: digits) != nil else { return .failure(expected) }
            return .success(.number(digits))
        case .money:
            var s = Substring(t)
            var negative = false
            if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
            if s.hasPrefix("$") { s = s.dropFirst().drop { $0 == " " } }
            if !negative, s.hasPrefix("-") { negative = true; s = s.dropFirst() }
            guard let digits = plainNumber(String(s), allowFraction: true, allowSign: false), Exact(decimal: digits) != nil else { return .failure(expected) }
            if negative { return .failure(AnswerError("expected an amount of at least $0")) }
            if let dot = digits.firstIndex(of: "."), digits[digits.index(after: dot)...].count > 2 {
                return .failure(AnswerError("expected an amount with at most two decimals (whole cents), such as 1200.50"))
            }
            return .success(.number(digits))
        case .date:
            if Day(iso: t) != nil { return .success(.string(t)) }
            let shaped = t.count == 10 && t.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isASCII && c.isNumber }
            return .failure(shaped ? AnswerError("expected a real calendar date as YYYY-MM-DD") : expected)
        case .text:
            return t.isEmpty ? .failure(expected) : .success(.string(t))
        case .state:
            let code = t.uppercased()
            if USPS.codes.contains(code) { return .success(.string(code)) }
            if let named = USPS.code(forName: t) { return .success(.string(named)) }
            var message = expected.message
            if !t.isEmpty {
                if let name = Suggestions.closest(to: t, in: USPS.names.values), let c = USPS.code(forName: name) { message += "; did you mean '\(c)' (\(name))?" }
            }
            return .failure(AnswerError(message))
        case .choice(let e):
            switch choice(t, enums[e]) {
            case .success(let i): return .success(.string(enums[e].values[i]))
            case .failure(let miss): return .failure(AnswerError(expected.message + (miss.guess.map { "; did you mean '\($0)'?" } ?? "")))
            }
        case .choices(let e):
            if t.lowercased() == "none" { return .success(.array([])) }
            let items = t.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            guard !items.isEmpty else { return .failure(expected) }
            var picked: [Int] = []
            for item in items {
                switch choice(item, enums[e]) {
                case .success(let i): if !picked.contains(i) { picked.append(i) }
                case .failure(let miss):
                    return .failure(AnswerError(expected.message + (miss.guess.map { "; \"\(item)\" is not in the list: did you mean '\($0)'?" } ?? "; \"\(item)\" is not in the list")))
                }
            }
            return .success(.array(picked.map { .string(enums[e].values[$0]) }))
        }
    }

    /// The text that answers a question of `form` with a profile value: how `--answers-from` types an answer.
    /// Nil when the value is absent or null (the question is skipped).
    public static func text(for value: JSONValue?, as form: AnswerForm) -> String? {
        switch value {
        case nil, .null?: return nil
        case .bool(let b)?: return b ? "yes" : "no"
        case .number(let n)?: return n
        case .string(let s)?: return s
        case .array(let items)?:
            let names = items.compactMap(\.stringValue)
            return names.isEmpty ? "none" : names.joined(separator: ", ")
        case .object?: return nil
        }
    }

    /// One enum value by its number in the shown list (from 1), its name, or its label; else the closest name, if any.
    static func choice(_ text: String, _ e: EnumInfo) -> Result<Int, ChoiceMiss> {
        if let n = Int(text), n >= 1, n <= e.values.count { return .success(n - 1) }
        let key = text.lowercased().replacingSpaces(with: "_")
        if let i = e.values.firstIndex(where: { $0.lowercased() == key }) { return .success(i) }
        if let i = e.labels.firstIndex(where: { $0?.lowercased() == text.lowercased() }) { return .success(i) }
        if Int(text) != nil || key.isEmpty { return .failure(ChoiceMiss(guess: nil)) }
        if let guess = Suggestions.closest(to: key, in: e.values) { return .failure(ChoiceMiss(guess: guess)) }
        let labels = e.labels.compactMap { $0 }
        if let label = Suggestions.closest(to: text, in: labels), let i = e.labels.firstIndex(of: label) {
            return .failure(ChoiceMiss(guess: e.values[i]))
        }
        return .failure(ChoiceMiss(guess: nil))
    }

    /// Not one of the values; `guess` is the closest name when the text looks like a typo.
    struct ChoiceMiss: Error { let guess: String? }

    /// A number as typed (`1200`, `1,200.50`, `.5`) as JSON number text (`1200`, `1200.50`, `0.5`); nil if it is not one.
    /// Commas must separate groups of three digits.
    static func plainNumber(_ text: String, allowFraction: Bool, allowSign: Bool = true) -> String? {
        var s = Substring(text)
        var sign = ""
        if allowSign, let first = s.first, first == "-" || first == "+" {
            if first == "-" { sign = "-" }
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : nil
        if fraction != nil && !allowFraction { return nil }
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            whole = groups.joined()
        }
        let isDigits: (String) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard isDigits(whole), fraction.map(isDigits) ?? true else { return nil }
        guard !whole.isEmpty || !(fraction ?? "").isEmpty else { return nil }
        let trimmed = whole.drop { $0 == "0" }
        var out = sign + (trimmed.isEmpty ? "0" : String(trimmed))
        if let fraction, !fraction.isEmpty { out += "." + fraction }
        return out == "-0" ? "0" : out
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }

    func replacingSpaces(with replacement: Character) -> String {
        String(map { $0 == " " || $0 == "-" ? replacement : $0 })
    }
}
