/// The checker's output: every declaration with names resolved, types known and slots assigned.
public struct CheckedRules: Sendable {
    public var enums: [EnumInfo] = []
    public var householdFacts: [FactInfo] = []
    public var memberFacts: [FactInfo] = []
    public var householdLets: [LetInfo] = []
    public var memberLets: [LetInfo] = []
    public var parameters: [ParameterInfo] = []
    public var programs: [ProgramInfo] = []
    public var referrals: [ReferralInfo] = []
    public var tiers: [TierInfo] = []
    public var tests: [TestInfo] = []
    /// Text constants of the rules; `Value.text(i)` with i >= 0 refers here.
    public var texts: [String] = []
    var textIndex: [String: Int32] = [:]

    /// The reference of a text constant, adding it once.
    public mutating func intern(_ s: String) -> Int32 {
        if let i = textIndex[s] { return i }
        let i = Int32(texts.count)
        texts.append(s)
        textIndex[s] = i
        return i
    }
}

/// An enumeration and its values in declaration order.
public struct EnumInfo: Sendable, Hashable {
    public let name: String
    public let title: String?
    public let values: [String]
    public let labels: [String?]
    public let range: SourceRange
    public func index(of value: String) -> Int? { values.firstIndex(of: value) }
    public func label(_ i: Int) -> String { labels[i] ?? values[i] }
}

/// A fact, household or member, with the question that learns it.
public struct FactInfo: Sendable, Hashable {
    public let scope: Scope
    public let name: String
    public let type: ValueType
    public let question: String?
    public let lowerBound: Int64?
    public let upperBound: Int64?
    public var askWhen: Checked?
    public var fallback: Checked?
    public let range: SourceRange
    /// Where it sits in a profile: `child_welfare.stage` is `["child_welfare", "stage"]`.
    public var path: [Substring] { name.split(separator: ".") }
}

/// A derived value; program-local values carry their program.
public struct LetInfo: Sendable, Hashable {
    public let scope: Scope
    public let name: String
    public let program: Int?
    public var value: Checked
    public var type: ValueType
    public let range: SourceRange
}

/// A parameter with its dated versions, sorted by date.
public struct ParameterInfo: Sendable, Hashable {
    /// One dated row.
    public struct Version: Sendable, Hashable {
        public let from: Day
        /// Household-size rows: the values for sizes 1, 2, ...; keyed rows: keys and values.
        public let values: [Value]
        public let keys: [Value]
        public let eachAdditional: Exact?
        public let otherwise: Value?
    }
    public let name: String
    public let title: String?
    public let cite: String?
    public let key: ParameterKeyKind
    public let type: ValueType
    public let versions: [Version]
    public let range: SourceRange
}

/// A requirement of a program.
public struct RequirementInfo: Sendable, Hashable {
    public let id: String
    public let title: String?
    public let condition: Checked
    public let explain: CheckedTemplate?
    public let cite: String?
    /// For a comparison of money, the two sides and the operator, so the screener can say how far the family is from the line.
    public let margin: Margin?
    public let range: SourceRange

    /// The sides of a money comparison.
    public struct Margin: Sendable, Hashable {
        public let op: BinaryOperator
        public let amount: Checked
        public let limit: Checked
    }
}

/// A program as declared.
public struct ProgramInfo: Sendable, Hashable {
    public let id: String
    public let name: String
    public let kind: String?
    public var applies: Checked?
    public var enrolledWhen: Checked?
    public let cite: String?
    public var requirements: [RequirementInfo]
    public var benefit: Checked?
    public var benefitExplain: CheckedTemplate?
    public let range: SourceRange
}

/// A referral as declared.
public struct ReferralInfo: Sendable, Hashable {
    public enum Target: Sendable, Hashable { case none, program(Int), kind(String) }
    public let id: String
    public let title: String
    public let to: String?
    public let target: Target
    public let when: Checked
    public let priorities: [PriorityInfo]
    public let because: CheckedTemplate?
    public let needsConsent: Bool
    public let cite: String?
    public let range: SourceRange
}

/// A priority level and the condition that selects it.
public struct PriorityInfo: Sendable, Hashable {
    public let level: String
    public let when: Checked?
}

/// A prevention tier and the ways into it.
public struct TierInfo: Sendable, Hashable {
    public let id: String
    public let title: String
    public let cite: String?
    public let conditions: [TierCondition]
    public let range: SourceRange
}

/// One way into a tier; nil condition means `otherwise`.
public struct TierCondition: Sendable, Hashable {
    public let condition: Checked?
    public let because: CheckedTemplate
}

/// A test case, its expectations checked against the declared ids.
public struct TestInfo: Sendable, Hashable {
    public let name: String
    public let given: String
    public let givenRange: SourceRange
    public let expectations: [ExpectationLine]
    public let range: SourceRange
}
