/// One family's profile after reading and validation: the facts in slot order plus what the result echoes.
public struct Profile: Sendable {
    public let caseId: String
    public let state: String
    public let screeningDate: Day
    public var facts: Facts
    /// Problems that did not stop the reading, such as unknown fields.
    public let warnings: [String]
}

/// A problem with one field of a profile: its path and what was wrong.
public struct ProfileIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    /// `members[2].age: expected a whole number from 0 to 120, got "four"`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads profiles (the JSON contract) into facts, driven by the fact declarations in the rules.
public struct ProfileReader: Sendable {
    public let rules: RuleSet
    /// The largest household accepted: beyond it a record is certainly an export error.
    public static let maxMembers = 100
    /// No amount in a profile is a billion dollars or more.
    static let largestAmount = Exact(1_000_000_000)

    indirect enum Field: Sendable {
        case fact(Int)
        case group([String: Field])
    }
    let household: [String: Field]
    let member: [String: Int]
    /// What reading a fact needs: its type and bounds (copying whole declarations per field is slow).
    struct FieldSpec: Sendable {
        let type: ValueType
        let lowerBound: Int64?
        let upperBound: Int64?
    }
    let householdSpecs: [FieldSpec]
    let memberSpecs: [FieldSpec]
    /// Each enum's values by name, for constant-time lookups while reading.
    let enumValues: [[String: Int]]
    /// Reads ordinary profiles straight from their bytes (the batch hot path).
    let decoder: ProfileDecoder

    public init(rules: RuleSet) {
        self.rules = rules
        var root: [String: Field] = [:]
        func insert(_ path: ArraySlice<Substring>, _ slot: Int, into map: inout [String: Field]) {
            let key = String(path.first!)
            if path.count == 1 { map[key] = .fact(slot); return }
            var sub: [String: Field] = [:]
            if case .group(let existing)? = map[key] { sub = existing }
            insert(path.dropFirst(), slot, into: &sub)
            map[key] = .group(sub)
        }
        for (i, f) in rules.householdFacts.enumerated() { insert(f.path[...], i, into: &root) }
        household = root
        member = Dictionary(uniqueKeysWithValues: rules.memberFacts.enumerated().map { ($1.name, $0) })
        householdSpecs = rules.householdFacts.map { FieldSpec(type: $0.type, lowerBound: $0.lowerBound, upperBound: $0.upperBound) }
        memberSpecs = rules.memberFacts.map { FieldSpec(type: $0.type, lowerBound: $0.lowerBound, upperBound: $0.upperBound) }
        enumValues = rules.enums.map { e in Dictionary(uniqueKeysWithValues: e.values.enumerated().map { ($1, $0) }) }
        decoder = ProfileDecoder(rules: rules, household: household, member: member, householdSpecs: householdSpecs, memberSpecs: memberSpecs)
    }

    /// Parses and reads one profile from JSON bytes.
    public func read(json bytes: [UInt8], asOf: Day, strict: Bool = false) -> Result<Profile, ProfileErrors> {
        var none: [Facts] = []
        return read(json: bytes[...], asOf: asOf, strict: strict, spare: &none)
    }

    /// `read(json:)` of a slice of a larger buffer (a batch chunk's), reading into the storage of a family taken
    /// from `spare` when there is one (it is given back there when the record needs the tree path).
    func read(json bytes: ArraySlice<UInt8>, asOf: Day, strict: Bool = false, spare: inout [Facts]) -> Result<Profile, ProfileErrors> {
        // Most records are well formed: read them directly. Anything unusual, including every problem
        // to report, goes through the JSON tree, which says exactly what is wrong.
        if let profile = decoder.decode(bytes, asOf: asOf, spare: &spare) { return .success(profile) }
        return readTree(json: Array(bytes), asOf: asOf, strict: strict)
    }

    /// Reads one profile by parsing it into a JSON tree first: slower, but the one place that reports problems.
    func readTree(json bytes: [UInt8], asOf: Day, strict: Bool = false) -> Result<Profile, ProfileErrors> {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            // One-line records (JSON Lines) need only the column; the caller knows the line.
            let position = error.reason == JSONError.emptyInput ? "" : error.line == 1 ? "column \(error.column): " : "line \(error.line), column \(error.column): "
            return .failure(ProfileErrors(caseId: nil, issues: [ProfileIssue("", "invalid JSON: \(position)\(error.message)")]))
        }
        return read(value, asOf: asOf, strict: strict)
    }

    /// Reads a parsed profile; every problem is reported, not only the first.
    public func read(_ json: JSONValue, asOf: Day, strict: Bool = false) -> Result<Profile, ProfileErrors> {
        var issues: [ProfileIssue] = []
        var warnings: [String] = []
        guard case .object(let object) = json else {
            return .failure(.notAProfile(json))
        }
        var facts = Facts(householdFactCount: rules.householdFacts.count, memberFactCount: rules.memberFacts.count, memberCount: 0)
        let caseIdText = object["case_id"]?.stringValue

        func unknownField(_ path: String, _ key: String, _ known: some Sequence<String>) {
            var message = "unknown field"
            if let s = Suggestions.closest(to: key, in: known) { message += "; did you mean '\(s)'?" }
            if strict { issues.append(ProfileIssue(path, message)) } else { warnings.append("\(path): \(message) (ignored)") }
        }

        func readGroup(_ obj: JSONObject, _ fields: [String: Field], prefix: String) {
            for (key, value) in obj.members {
                // Paths are built only when there is something to report: most records have nothing wrong.
                let path = { prefix.isEmpty ? key : "\(prefix).\(key)" }
                if prefix.isEmpty && key == "members" { continue }
                switch fields[key] {
                case .fact(let slot)?:
                    facts.household[slot] = convert(value, householdSpecs[slot], path: path(), issues: &issues, facts: &facts)
                case .group(let sub)?:
                    if case .object(let inner) = value { readGroup(inner, sub, prefix: path()) }
                    else if !value.isNull { issues.append(ProfileIssue(path(), "expected an object, got \(describe(value))")) }
                case nil:
                    unknownField(path(), key, fields.keys + (prefix.isEmpty ? ["members"] : []))
                }
            }
        }
        readGroup(object, household, prefix: "")

        // The three facts every screening needs.
        var caseId = ""
        if let slot = rules.householdFactIndex["case_id"] {
            if case .text(let ref) = facts.household[slot], !text(ref, facts).isEmpty { caseId = text(ref, facts) }
            else if object["case_id"] == nil || object["case_id"]!.isNull { issues.append(ProfileIssue("case_id", "required field is missing")) }
            else if case .text = facts.household[slot] { issues.append(ProfileIssue("case_id", "must not be empty")) }
        }
        var state = ""
        if case .text(let ref) = facts.household[rules.stateSlot] {
            let s = text(ref, facts)
            let code = s.uppercased()
            if USPS.codes.contains(code) {
                state = code
                facts.household[rules.stateSlot] = rules.textIndex[code].map(Value.text) ?? facts.text(code)
            } else {
                var message = "expected a two-letter USPS state code such as CA, got \"\(s)\""
                if let name = USPS.code(forName: s) { message += "; did you mean '\(name)'?" }
                issues.append(ProfileIssue("state", message))
            }
        } else if object["state"] == nil || object["state"]!.isNull {
            issues.append(ProfileIssue("state", "required field is missing"))
        }
        var date = asOf
        if case .date(let d) = facts.household[rules.screeningDateSlot] { date = d } else { facts.household[rules.screeningDateSlot] = .date(asOf) }
        if let earliest = rules.earliestParameterDate, date < earliest {
            issues.append(ProfileIssue("screening_date", "no rules are in force on \(date): the earliest parameter value takes effect on \(earliest)"))
        }

        switch object["members"] {
        case nil, .null?:
            issues.append(ProfileIssue("members", "required field is missing: list everyone living in the home"))
        case .array(let list)?:
            if list.isEmpty { issues.append(ProfileIssue("members", "expected at least one member, got an empty list")) }
            else if list.count > ProfileReader.maxMembers {
                issues.append(ProfileIssue("members", "expected at most \(ProfileReader.maxMembers) people in one household, got \(list.count)"))
            } else {
                for (m, item) in list.enumerated() {
                    facts.addMember()
                    let prefix = { "members[\(m)]" }
                    guard case .object(let obj) = item else {
                        issues.append(ProfileIssue(prefix(), "expected an object describing one person, got \(describe(item))"))
                        continue
                    }
                    for (key, value) in obj.members {
                        guard let slot = member[key] else { unknownField("\(prefix()).\(key)", key, member.keys); continue }
                        facts[member: m, fact: slot] = convert(value, memberSpecs[slot], path: "\(prefix()).\(key)", issues: &issues, facts: &facts)
                    }
                    if let b = rules.memberFactIndex["birth_date"], case .date(let born) = facts[member: m, fact: b], born > date {
                        issues.append(ProfileIssue("\(prefix()).birth_date", "\(born) is after the screening date \(date)"))
                    }
                }
            }
        case let other?:
            issues.append(ProfileIssue("members", "expected a list of people, got \(describe(other))"))
        }
        if !issues.isEmpty { return .failure(ProfileErrors(caseId: caseIdText, issues: issues)) }
        return .success(Profile(caseId: caseId, state: state, screeningDate: date, facts: facts, warnings: warnings))
    }

    /// The content of a text value: a rules constant or one of the family's own texts.
    func text(_ ref: Int32, _ facts: Facts) -> String {
        rules.text(ref, familyTexts: facts.texts)
    }

    /// Converts one JSON value to a fact value, checking its type and range.
    func convert(_ json: JSONValue, _ fact: FieldSpec, path: @autoclosure () -> String, issues: inout [ProfileIssue], facts: inout Facts) -> Value {
        if json.isNull { return .unknown }
        func fail(_ expected: String) -> Value {
            issues.append(ProfileIssue(path(), "expected \(expected), got \(describe(json))"))
            return .unknown
        }
        switch fact.type {
        case .boolean:
            guard case .bool(let b) = json else { return fail("true or false") }
            return .bool(b)
        case .integer:
            let range: String = {
                switch (fact.lowerBound, fact.upperBound) {
                case (let lo?, let hi?): return " from \(lo) to \(hi)"
                case (let lo?, nil): return " of at least \(lo)"
                default: return ""
                }
            }()
            guard case .number(let text) = json, let n = Exact(decimal: text), n.isInteger else { return fail("a whole number\(range)") }
            if let lo = fact.lowerBound, n.numerator < lo { return fail("a whole number\(range)") }
            if let hi = fact.upperBound, n.numerator > hi { return fail("a whole number\(range)") }
            return .number(n)
        case .decimal, .percent:
            guard case .number(let text) = json, let n = Exact(decimal: text) else { return fail("a number") }
            return .number(n)
        case .money:
            guard case .number(let text) = json else { return fail("an amount in dollars, such as 1200.50") }
            // Amounts are capped well inside exact arithmetic's range, so rates and sums of them never overflow.
            guard let n = Exact(decimal: text), n < ProfileReader.largestAmount else {
                if text.hasPrefix("-") { return fail("an amount of at least 0") }
                let tiny = text.contains("e-") || text.contains("E-")
                return fail(tiny ? "an amount with at most two decimals (whole cents)" : "an amount under $1,000,000,000.00")
            }
            if n.isNegative { return fail("an amount of at least 0") }
            if (n.multiplied(by: Exact(100)).map { !$0.isInteger } ?? true) { return fail("an amount with at most two decimals (whole cents)") }
            return .number(n)
        case .date:
            guard case .string(let s) = json else { return fail("a date as YYYY-MM-DD") }
            guard let d = Day(iso: s) else {
                return fail(s.count == 10 ? "a real calendar date as YYYY-MM-DD" : "a date as YYYY-MM-DD")
            }
            return .date(d)
        case .text:
            guard case .string(let s) = json else { return fail("text") }
            if let constant = rules.textIndex[s] { return .text(constant) }
            return facts.text(s)
        case .enumeration(let e):
            guard case .string(let s) = json else { return fail("one of \(rules.enums[e].values.joined(separator: ", "))") }
            if let i = enumValues[e][s] { return .enumeration(i) }
            return enumFailure(s, e, path: path(), issues: &issues)
        case .set(let e):
            guard case .array(let items) = json else { return fail("a list of \(rules.enums[e].values.joined(separator: ", "))") }
            var bits: UInt64 = 0
            var ok = true
            for (k, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    issues.append(ProfileIssue("\(path())[\(k)]", "expected one of \(rules.enums[e].values.joined(separator: ", ")), got \(describe(item))"))
                    ok = false
                    continue
                }
                if let i = enumValues[e][s] { bits |= 1 << UInt64(i) }
                else { _ = enumFailure(s, e, path: "\(path())[\(k)]", issues: &issues); ok = false }
            }
            return ok ? .set(bits) : .unknown
        case .duration, .error:
            return .unknown
        }
    }

    func enumFailure(_ s: String, _ e: Int, path: String, issues: inout [ProfileIssue]) -> Value {
        var message = "unknown value \"\(s)\"; expected one of \(rules.enums[e].values.joined(separator: ", "))"
        if let guess = Suggestions.closest(to: s, in: rules.enums[e].values) { message = "unknown value \"\(s)\"; did you mean \"\(guess)\"?" }
        issues.append(ProfileIssue(path, message))
        return .unknown
    }

    /// A short rendering of a JSON value for an error message: strings quoted, containers named.
    func describe(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let t): t
        case .string(let s): "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// Every problem found in one profile, with its case id when it could be read.
public struct ProfileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public let caseId: String?
    public let issues: [ProfileIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// A record that is not an object at all, so no field of it can be read.
    static func notAProfile(_ json: JSONValue) -> ProfileErrors {
        ProfileErrors(caseId: nil, issues: [ProfileIssue("", "expected a JSON object (one family profile), got \(json.kindDescription)")])
    }
}

/// USPS codes of the states, DC and territories.
enum USPS {
    static let names: [String: String] = [
        "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado", "CT": "Connecticut",
        "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
        "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
        "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
        "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
        "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
        "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah",
        "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
        "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa", "MP": "Northern Mariana Islands",
    ]
    static let codes = Set(names.keys)
    static func code(forName name: String) -> String? {
        names.first { $0.value.lowercased() == name.lowercased() }?.key
    }
}
