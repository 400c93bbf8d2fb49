/// Interview mode: asks only the questions that can change a result, one at a time, re-screening after every answer.
///
/// A value-type state machine. It holds the profile built so far (the contract's JSON), the facts the worker
/// skipped, and the states before each answer (for `back`). `step(rules:asOf:)` screens the current profile and
/// picks the next question: the state if it is not known, then the number of people in the home if nobody is
/// listed, then the top question of the screening (`Screening.questions`: the unknown fact that would settle the
/// most undecided programs, then whether eligible programs are unclaimed, their benefits, tier and referral
/// conditions) that was not skipped, a person's age or relationship first among those that settle as many
/// programs (`pick`). There is no next question when nothing of that waits on a fact, or when every
/// fact still missing was skipped.
public struct Interview: Sendable {
    /// One question to put to the worker.
    public struct Question: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// The family's state: needed before anything can be screened.
            case state
            /// How many people live in the home: creates the members.
            case householdSize
            /// A fact the screening asks for.
            case fact(FactRef)
        }
        public let kind: Kind
        /// The profile path the answer is written to: `resources`, `child_welfare.stage`, `members[1].age`.
        public let fact: String
        public let ask: String
        /// Who a member question is about: "member 2 (child, age 4)".
        public let about: String?
        /// What the answer could settle: program ids, `unclaimed:<id>`, `benefit:<id>`, `prevention_tier`, `referral:<id>`.
        public let affects: [String]
        public let form: AnswerForm
        /// For enum answers: the values in the order shown, with their labels.
        public let choices: [Choice]
    }

    /// One value of a numbered list of choices.
    public struct Choice: Sendable, Hashable {
        public let value: String
        public let label: String
    }

    /// What a reply did.
    public enum Response: Sendable, Equatable {
        /// The value written to the profile.
        case answered(JSONValue)
        /// The fact stays unknown and is not asked again.
        case skipped
        /// The last answer (or skip) was undone; its question comes next again.
        case wentBack
        /// What the question could settle, by name.
        case why([String])
        /// The interview is over.
        case done
    }

    /// The next question and the screening of the profile so far (nil until the state and the household are known).
    public struct Step: Sendable {
        public let question: Question?
        public let screening: Screening?
        /// Set when the profile built cannot be read (not expected: every answer is checked as it is written).
        public let problems: ProfileErrors?
    }

    public static let householdSizeQuestion = "How many people live in the home, counting the caregiver?"
    public static let stateQuestion = "Which state does the family live in (two-letter code)?"
    public static let maxHouseholdSize = 20

    /// The profile so far, in the contract's shape.
    public private(set) var profile: JSONObject
    /// Paths of facts the worker skipped: left unknown and not asked again.
    public private(set) var skipped: Set<String> = []
    /// Whether the worker typed `done`.
    public private(set) var isDone = false
    private var history: [(profile: JSONObject, skipped: Set<String>)] = []

    /// How many answers (and skips) stand: `back` removes one.
    public var answerCount: Int { history.count }

    /// Starts from a profile (possibly empty). The case id is `caseId`, else the profile's, else `interview`;
    /// the screening date is the profile's, else `screeningDate`; the state is `state`, else the profile's.
    public init(profile: JSONObject = JSONObject(), state: String? = nil, caseId: String? = nil, screeningDate: Day) {
        var p = JSONObject()
        p["case_id"] = .string(caseId ?? profile["case_id"]?.stringValue ?? "interview")
        p["screening_date"] = profile["screening_date"].flatMap { $0.isNull ? nil : $0 } ?? .string(screeningDate.description)
        if let state { p["state"] = .string(state) } else if let s = profile["state"], !s.isNull { p["state"] = s }
        for m in profile.members where p[m.key] == nil && !m.value.isNull { p[m.key] = m.value }
        if case .array(let list)? = p["members"], list.isEmpty { p["members"] = nil }
        self.profile = p
    }

    /// Starts from a partial profile after checking it: every problem in it is reported, except that the state,
    /// the members and the case id may be missing (they are asked for or filled in).
    public static func start(from json: JSONValue?, state: String?, caseId: String?, rules: RuleSet, asOf: Day) -> Result<Interview, ProfileErrors> {
        var object = JSONObject()
        if let json {
            guard case .object(let o) = json else {
                return .failure(.notAProfile(json))
            }
            object = o
        }
        var stateCode: String?
        if let state {
            switch AnswerParser.parse(state, as: .state, enums: rules.enums) {
            case .success(let v): stateCode = v.stringValue
            case .failure(let e): return .failure(ProfileErrors(caseId: object["case_id"]?.stringValue, issues: [ProfileIssue("state", e.message)]))
            }
        }
        let interview = Interview(profile: object, state: stateCode, caseId: caseId, screeningDate: asOf)
        var check = interview.profile
        if check["state"] == nil { check["state"] = "CA" }
        if check["members"] == nil { check["members"] = [[:]] }
        if case .failure(let errors) = ProfileReader(rules: rules).read(.object(check), asOf: asOf) { return .failure(errors) }
        return .success(interview)
    }

    // MARK: - Asking

    /// The next question, or nil when the interview is over.
    public func nextQuestion(rules: RuleSet, asOf: Day) -> Question? { step(rules: rules, asOf: asOf).question }

    /// Screens the profile so far and picks the next question.
    public func step(rules: RuleSet, asOf: Day) -> Step {
        if profile["state"] == nil {
            return Step(question: isDone ? nil : Self.question(.state, rules: rules), screening: nil, problems: nil)
        }
        if profile["members"] == nil {
            return Step(question: isDone ? nil : Self.question(.householdSize, rules: rules), screening: nil, problems: nil)
        }
        switch ProfileReader(rules: rules).read(.object(profile), asOf: asOf) {
        case .failure(let errors):
            return Step(question: nil, screening: nil, problems: errors)
        case .success(let p):
            let screening = Screener(rules: rules).screen(p)
            guard !isDone, let q = Self.pick(screening.questions.filter({ !skipped.contains($0.fact) }), rules: rules) else {
                return Step(question: nil, screening: screening, problems: nil)
            }
            return Step(question: Self.question(q, rules: rules), screening: screening, problems: nil)
        }
    }

    /// The facts some `ask only when` reads and that are always asked themselves (a person's age and relationship,
    /// the child-welfare stage): their answers decide whether other questions apply at all.
    static func gateways(_ rules: RuleSet) -> (household: Set<Int>, member: Set<Int>) {
        var household: Set<Int> = [], member: Set<Int> = []
        func walk(_ c: Checked) {
            switch c {
            case .householdFact(let i): household.insert(i)
            case .memberFact(let i): member.insert(i)
            case .constant, .householdLet, .memberLet, .parameter, .currentProgramName, .program: break
            case .table(_, let k): walk(k)
            case .not(let a), .negate(let a), .known(let a): walk(a)
            case .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b),
                 .otherwise(let a, let b), .inSet(let a, let b, _), .shiftDate(let a, by: let b, _, _):
                walk(a); walk(b)
            case .inList(let a, let list, _): walk(a); list.forEach(walk)
            case .conditional(let a, let b, let c): walk(a); walk(b); walk(c)
            case .aggregate(_, let body, let filter): body.map(walk); filter.map(walk)
            case .builtin(_, let args): args.forEach(walk)
            }
        }
        for f in rules.householdFacts + rules.memberFacts { f.askWhen.map(walk) }
        // Facts asked only when something else holds are not the first thing to ask (pregnancy waits on age).
        household = household.filter { rules.householdFacts[$0].askWhen == nil }
        member = member.filter { rules.memberFacts[$0].askWhen == nil }
        return (household, member)
    }

    /// The question to ask among those not skipped (ranked by the screener): the first, unless another that settles
    /// as many programs is a gateway fact (see `gateways`), which is asked first. So a household's roster (ages,
    /// relationships) comes before questions that may not apply to some of its people.
    static func pick(_ open: [Eligibility.Question], rules: RuleSet) -> Eligibility.Question? {
        guard let first = open.first else { return nil }
        func programs(_ q: Eligibility.Question) -> Int { q.affects.filter { !$0.contains(":") && $0 != "prevention_tier" }.count }
        let gateways = gateways(rules)
        func isGateway(_ q: Eligibility.Question) -> Bool {
            switch q.ref {
            case .household(let i): gateways.household.contains(i)
            case .member(_, let f): gateways.member.contains(f)
            }
        }
        return open.prefix { programs($0) == programs(first) }.first(where: isGateway) ?? first
    }

    static func question(_ kind: Question.Kind, rules: RuleSet) -> Question {
        switch kind {
        case .state:
            return Question(kind: .state, fact: "state", ask: rules.householdFacts[rules.stateSlot].question ?? stateQuestion,
                            about: nil, affects: [], form: .state, choices: [])
        case .householdSize:
            return Question(kind: .householdSize, fact: "members", ask: householdSizeQuestion, about: nil, affects: [],
                            form: .wholeNumber(min: 1, max: Int64(maxHouseholdSize)), choices: [])
        case .fact:
            preconditionFailure("fact questions come from a screening")
        }
    }

    static func question(_ q: Eligibility.Question, rules: RuleSet) -> Question {
        let info: FactInfo
        switch q.ref {
        case .household(let i): info = rules.householdFacts[i]
        case .member(_, let f): info = rules.memberFacts[f]
        }
        let form = AnswerForm(info.type, lowerBound: info.lowerBound, upperBound: info.upperBound) ?? .text
        var choices: [Choice] = []
        if case .choice(let e) = form { choices = rules.enums[e].values.indices.map { Choice(value: rules.enums[e].values[$0], label: rules.enums[e].label($0)) } }
        if case .choices(let e) = form { choices = rules.enums[e].values.indices.map { Choice(value: rules.enums[e].values[$0], label: rules.enums[e].label($0)) } }
        return Question(kind: .fact(q.ref), fact: q.fact, ask: q.ask, about: q.about, affects: q.affects, form: form, choices: choices)
    }

    /// What a question could settle, for a worker: program names, the prevention tier, referral titles.
    public static func reasons(for q: Question, rules: RuleSet) -> [String] {
        switch q.kind {
        case .state: return ["every program: the state decides which programs apply"]
        case .householdSize: return ["every program: who lives in the home decides the household's size, income and children"]
        case .fact: break
        }
        let screener = Screener(rules: rules)
        return q.affects.map(screener.describe)
    }

    // MARK: - Answering

    /// Takes the worker's reply to `q`: an answer in the question's form, or `skip`, `back`, `why` or `done`.
    /// A reply that does not fit changes nothing and says what was expected.
    public mutating func answer(_ text: String, to q: Question, rules: RuleSet, asOf: Day) -> Result<Response, AnswerError> {
        switch text.trimmingSpaces.lowercased() {
        case "done":
            isDone = true
            return .success(.done)
        case "why":
            return .success(.why(Self.reasons(for: q, rules: rules)))
        case "back":
            guard let last = history.popLast() else { return .failure(AnswerError("there is no earlier answer to change")) }
            (profile, skipped) = (last.profile, last.skipped)
            return .success(.wentBack)
        case "skip":
            switch q.kind {
            case .state: return .failure(AnswerError("the state is needed to screen; expected \(q.form.expected(rules.enums))"))
            case .householdSize: return .failure(AnswerError("the household is needed to screen; expected \(q.form.expected(rules.enums))"))
            case .fact: break
            }
            history.append((profile, skipped))
            skipped.insert(q.fact)
            return .success(.skipped)
        default:
            break
        }
        let value: JSONValue
        switch AnswerParser.parse(text, as: q.form, enums: rules.enums) {
        case .failure(let e): return .failure(e)
        case .success(let v): value = v
        }
        var next = profile
        switch q.kind {
        case .state:
            next["state"] = value
        case .householdSize:
            let n = Int(value.numberText ?? "1") ?? 1
            var members: [JSONValue] = [.object(JSONObject([(key: "relationship", value: .string("caregiver"))]))]
            members += Array(repeating: .object(JSONObject()), count: max(0, n - 1))
            next["members"] = .array(members)
        case .fact:
            next = Self.setting(value, at: q.fact, in: next)
            // The reader's checks are the contract's: a birth date after the screening date, for one.
            if case .failure(let errors) = ProfileReader(rules: rules).read(.object(next), asOf: asOf) {
                let mine = errors.issues.filter { $0.path == q.fact || $0.path.hasPrefix(q.fact + "[") }
                return .failure(AnswerError((mine.isEmpty ? errors.issues : mine).map(\.message).joined(separator: "; ")))
            }
        }
        history.append((profile, skipped))
        profile = next
        return .success(.answered(value))
    }

    /// The reply `--answers-from` types for `q`, read from a full profile: the value at the question's path,
    /// the number of members for the household question, `skip` when the profile leaves the fact out.
    public static func reply(to q: Question, from full: JSONValue) -> String {
        switch q.kind {
        case .householdSize:
            return (full["members"]?.arrayValue?.count).map(String.init) ?? "skip"
        case .state, .fact:
            return AnswerParser.text(for: value(at: q.fact, in: full), as: q.form) ?? "skip"
        }
    }

    // MARK: - Paths

    /// `members[1].age` as components: key `members`, index 1, key `age`.
    static func components(_ path: String) -> [JSONPath.Component] {
        var out: [JSONPath.Component] = []
        for part in path.split(separator: ".") {
            if let open = part.firstIndex(of: "["), part.hasSuffix("]"),
               let i = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]) {
                out.append(.key(String(part[..<open])))
                out.append(.index(i))
            } else {
                out.append(.key(String(part)))
            }
        }
        return out
    }

    /// The value at a profile path, if present.
    public static func value(at path: String, in json: JSONValue) -> JSONValue? {
        var v: JSONValue? = json
        for c in components(path) {
            switch c {
            case .key(let k): v = v?[k]
            case .index(let i): v = v?[i]
            }
        }
        return v
    }

    /// The profile with `value` written at `path`, creating the objects on the way (`child_welfare`).
    static func setting(_ value: JSONValue, at path: String, in object: JSONObject) -> JSONObject {
        func set(_ value: JSONValue, _ path: ArraySlice<JSONPath.Component>, in current: JSONValue?) -> JSONValue {
            guard let first = path.first else { return value }
            switch first {
            case .key(let k):
                var o = current?.objectValue ?? JSONObject()
                o[k] = set(value, path.dropFirst(), in: o[k])
                return .object(o)
            case .index(let i):
                var a = current?.arrayValue ?? []
                while a.count <= i { a.append(.object(JSONObject())) }
                a[i] = set(value, path.dropFirst(), in: a[i])
                return .array(a)
            }
        }
        return set(value, components(path)[...], in: .object(object)).objectValue ?? object
    }
}
