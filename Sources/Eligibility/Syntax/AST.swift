/// The syntax tree of rule files: what the parser read, every node with its source range, nothing resolved yet.

/// A name as written, with where it was written.
public struct Name: Sendable, Hashable {
    public let text: String
    public let range: SourceRange
    public init(_ text: String, _ range: SourceRange) { self.text = text; self.range = range }
}

/// An expression node.
public struct Expr: Sendable, Hashable {
    public let kind: ExprKind
    public let range: SourceRange
    public init(_ kind: ExprKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

/// Which expression an `Expr` is.
public indirect enum ExprKind: Sendable, Hashable {
    /// A fact, derived value, parameter, enumeration value or `program` (inside a referral for programs of a kind).
    case name(String)
    case boolean(Bool)
    /// Exact decimal digits as written: `12`, `0.5`.
    case number(String)
    /// Digits without `$` or commas: `1829.00`.
    case money(String)
    /// The number before `%`: `130` for `130%`.
    case percent(String)
    /// `YYYY-MM-DD`.
    case date(String)
    case text(String)
    /// `6 months`, `90 days`, `1 year`.
    case duration(Expr, DurationUnit)
    /// `[a, b, c]`, for membership tests.
    case list([Expr])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case conditional(Expr, then: Expr, else: Expr)
    /// `known x`: true when x has a value, never unknown.
    case known(Expr)
    /// `x otherwise y`: x, or y when x is unknown.
    case otherwise(Expr, Expr)
    /// `max(a, b)`, `round(x)`, `eligible(tanf.ca)`, `ca.mbsac(household_size)` (a parameter table).
    case call(Name, [Expr])
    /// `count members where f`, `sum e over members where f`, `any member where c`, ...
    case aggregate(Aggregate, body: Expr?, filter: Expr?)
    /// `kind cash_assistance`, the argument of `eligible(kind cash_assistance)`.
    case programKind(String)
}

public enum DurationUnit: String, Sendable, Hashable { case days, months, years }

public enum UnaryOperator: String, Sendable, Hashable { case not, negate = "-" }

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or
    case `in` = "in", notIn = "not in"
}

public enum Aggregate: String, Sendable, Hashable { case any, all, count, sum, min, max }

/// A string with `{expression}` holes, rendered for people at screening time.
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case expr(Expr)
    }
    public let parts: [Part]
    public let range: SourceRange
    public init(parts: [Part], range: SourceRange) { self.parts = parts; self.range = range }
}

/// A type as written: `money`, `yes/no`, `housing_status`, `set of need`.
public enum TypeRef: Sendable, Hashable {
    case named(Name)
    case setOf(Name)
    public var range: SourceRange {
        switch self { case .named(let n), .setOf(let n): n.range }
    }
}

/// Household facts describe the family; member facts describe each person in `members`.
public enum Scope: String, Sendable, Hashable { case household, member }

/// `enum name "title"` followed by values, each with an optional label.
public struct EnumDecl: Sendable, Hashable {
    public let name: Name
    public let title: String?
    public let values: [EnumValue]
    public let range: SourceRange
    public init(name: Name, title: String?, values: [EnumValue], range: SourceRange) {
        self.name = name; self.title = title; self.values = values; self.range = range
    }
}

/// One value of an enumeration.
public struct EnumValue: Sendable, Hashable {
    public let name: Name
    public let label: String?
    public init(name: Name, label: String?) { self.name = name; self.label = label }
}


/// `fact name : type "question"`, optionally `range lo to hi`, `ask only when cond`, `otherwise expr`.
public struct FactDecl: Sendable, Hashable {
    public let scope: Scope
    public let name: Name
    public let type: TypeRef
    public let question: String?
    /// Inclusive bounds for whole numbers (`range 0 to 120`).
    public let bounds: FactBounds
    public let askWhen: Expr?
    /// Used when the profile leaves the fact out (for example age from birth date).
    public let fallback: Expr?
    public let range: SourceRange
    public init(scope: Scope, name: Name, type: TypeRef, question: String?, bounds: (Expr, Expr)?, askWhen: Expr?, fallback: Expr?, range: SourceRange) {
        self.scope = scope; self.name = name; self.type = type; self.question = question
        self.bounds = .init(bounds); self.askWhen = askWhen; self.fallback = fallback; self.range = range
    }
}

/// Inclusive bounds of a whole-number fact.
public struct FactBounds: Sendable, Hashable {
    public let lower: Expr?
    public let upper: Expr?
    public init(_ pair: (Expr, Expr)?) { lower = pair?.0; upper = pair?.1 }
    public var isPresent: Bool { lower != nil }
}

/// `let name = expr` (household), `member let name = expr`, or a `let` inside a program.
public struct LetDecl: Sendable, Hashable {
    public let scope: Scope
    public let name: Name
    public let value: Expr
    public let range: SourceRange
    public init(scope: Scope, name: Name, value: Expr, range: SourceRange) {
        self.scope = scope; self.name = name; self.value = value; self.range = range
    }
}

/// What a parameter's values are keyed by.
public enum ParameterKey: Sendable, Hashable {
    case scalar
    case householdSize
    /// `by county` or `by state`: keys are text, matched exactly.
    case text(Name)
    case enumeration(Name)
}

/// One `from DATE: ...` row of a parameter.
public struct ParameterVersion: Sendable, Hashable {
    /// One entry of a keyed row: a key (county name or enum value; nil for household-size rows) and its value.
    public struct Entry: Sendable, Hashable {
        public let key: Expr?
        public let value: Expr
        public init(key: Expr?, value: Expr) { self.key = key; self.value = value }
    }
    public let from: Name          // the date as written
    public let entries: [Entry]
    /// `each additional X`: the step per person beyond the last listed household size.
    public let eachAdditional: Expr?
    /// `otherwise X`: the value for keys not listed.
    public let otherwise: Expr?
    public let range: SourceRange
    public init(from: Name, entries: [Entry], eachAdditional: Expr?, otherwise: Expr?, range: SourceRange) {
        self.from = from; self.entries = entries; self.eachAdditional = eachAdditional; self.otherwise = otherwise; self.range = range
    }
}

/// `parameter name "title" cite "..." [by household size|county|ENUM] from DATE: ... end`.
public struct ParameterDecl: Sendable, Hashable {
    public let name: Name
    public let title: String?
    public let cite: String?
    public let key: ParameterKey
    public let versions: [ParameterVersion]
    public let range: SourceRange
    public init(name: Name, title: String?, cite: String?, key: ParameterKey, versions: [ParameterVersion], range: SourceRange) {
        self.name = name; self.title = title; self.cite = cite; self.key = key; self.versions = versions; self.range = range
    }
}

/// `requirement id "title" EXPR [explain "..."] [cite "..."]`.
public struct RequirementDecl: Sendable, Hashable {
    public let id: Name
    public let title: String?
    public let condition: Expr
    public let explain: Template?
    public let cite: String?
    public let range: SourceRange
    public init(id: Name, title: String?, condition: Expr, explain: Template?, cite: String?, range: SourceRange) {
        self.id = id; self.title = title; self.condition = condition; self.explain = explain; self.cite = cite; self.range = range
    }
}

/// `program id "name" ... end`.
public struct ProgramDecl: Sendable, Hashable {
    public let id: Name
    public let title: String?
    /// `kind cash_assistance`: groups programs for referrals and `eligible(kind ...)`.
    public let kind: Name?
    public let applies: Expr?
    /// `enrolled when EXPR`: how the profile says the family already receives it.
    public let enrolledWhen: Expr?
    public let cite: String?
    public let lets: [LetDecl]
    public let requirements: [RequirementDecl]
    public let benefit: Expr?
    public let benefitExplain: Template?
    public let range: SourceRange
    public init(id: Name, title: String?, kind: Name?, applies: Expr?, enrolledWhen: Expr?, cite: String?, lets: [LetDecl], requirements: [RequirementDecl], benefit: Expr?, benefitExplain: Template?, range: SourceRange) {
        self.id = id; self.title = title; self.kind = kind; self.applies = applies; self.enrolledWhen = enrolledWhen
        self.cite = cite; self.lets = lets; self.requirements = requirements; self.benefit = benefit
        self.benefitExplain = benefitExplain; self.range = range
    }
}

/// Which programs a referral is about.
public enum ReferralTarget: Sendable, Hashable {
    case none
    /// `for program snap`
    case program(Name)
    /// `for programs of kind cash_assistance`: one referral per applicable program of that kind.
    case programsOfKind(Name)
}

/// `priority urgent when EXPR` or a final `priority routine`.
public struct PriorityRule: Sendable, Hashable {
    public let level: Name
    public let when: Expr?
    public init(level: Name, when: Expr?) { self.level = level; self.when = when }
}

/// `referral id "title" to "..." [for ...] when EXPR priority ... because "..." [needs consent] end`.
public struct ReferralDecl: Sendable, Hashable {
    public let id: Name
    public let title: String?
    public let to: String?
    public let target: ReferralTarget
    public let when: Expr
    public let priorities: [PriorityRule]
    public let because: Template?
    public let needsConsent: Bool
    public let cite: String?
    public let range: SourceRange
    public init(id: Name, title: String?, to: String?, target: ReferralTarget, when: Expr, priorities: [PriorityRule], because: Template?, needsConsent: Bool, cite: String?, range: SourceRange) {
        self.id = id; self.title = title; self.to = to; self.target = target; self.when = when
        self.priorities = priorities; self.because = because; self.needsConsent = needsConsent; self.cite = cite; self.range = range
    }
}

/// `tier id "title" [cite "..."] (when EXPR because "...")* [otherwise because "..."] end`.
public struct TierDecl: Sendable, Hashable {
    /// One way into the tier; `condition` nil means `otherwise`.
    public struct Condition: Sendable, Hashable {
        public let condition: Expr?
        public let because: Template
        public init(condition: Expr?, because: Template) { self.condition = condition; self.because = because }
    }
    public let id: Name
    public let title: String?
    public let cite: String?
    public let conditions: [Condition]
    public let range: SourceRange
    public init(id: Name, title: String?, cite: String?, conditions: [Condition], range: SourceRange) {
        self.id = id; self.title = title; self.cite = cite; self.conditions = conditions; self.range = range
    }
}

/// One `expect ...` line of a test case.
public enum Expectation: Sendable, Hashable {
    /// `expect tanf.ca eligible`
    case status(program: Name, status: Name)
    /// `expect tanf.ca benefit $1,115.00`
    case benefit(program: Name, amount: Expr)
    /// `expect tanf.ca requirement income not_met`
    case requirement(program: Name, requirement: Name, result: Name)
    /// `expect referral tanf_expedited [priority urgent]`, or `expect no referral x` (present false)
    case referral(id: Name, present: Bool, priority: Name?)
    /// `expect tier secondary`
    case tier(Name)
    /// `expect unclaimed tanf.ca` / `expect not unclaimed snap`
    case unclaimed(program: Name, present: Bool)
    /// `expect tanf.ca not listed`: the program does not apply to this family's state.
    case notListed(program: Name)
}

/// `test "name" given { JSON } expect ... end`.
public struct TestDecl: Sendable, Hashable {
    public let name: String
    public let nameRange: SourceRange
    /// The profile as raw JSON text, and where it sits in the file (for error positions).
    public let given: String
    public let givenRange: SourceRange
    public let expectations: [ExpectationLine]
    public let range: SourceRange
    public init(name: String, nameRange: SourceRange, given: String, givenRange: SourceRange, expectations: [ExpectationLine], range: SourceRange) {
        self.name = name; self.nameRange = nameRange; self.given = given; self.givenRange = givenRange
        self.expectations = expectations; self.range = range
    }
}

/// An expectation with where it was written.
public struct ExpectationLine: Sendable, Hashable {
    public let expectation: Expectation
    public let range: SourceRange
    public init(_ expectation: Expectation, _ range: SourceRange) { self.expectation = expectation; self.range = range }
}

/// One top-level declaration.
public enum Declaration: Sendable, Hashable {
    case enumeration(EnumDecl)
    case fact(FactDecl)
    case value(LetDecl)
    case parameter(ParameterDecl)
    case program(ProgramDecl)
    case referral(ReferralDecl)
    case tier(TierDecl)
    case test(TestDecl)
}

/// One parsed rule file.
public struct RuleFileSyntax: Sendable, Hashable {
    public let file: Int
    public let declarations: [Declaration]
    public init(file: Int, declarations: [Declaration]) { self.file = file; self.declarations = declarations }
}
