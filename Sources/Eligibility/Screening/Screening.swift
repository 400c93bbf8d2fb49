/// The result of screening one family: the contract's output (shared/profile-format.md), before it is written as JSON or text.
public struct Screening: Sendable, Hashable {
    public let caseId: String
    public let screeningDate: Day
    public let rules: String
    public let state: String
    public let programs: [ProgramResult]
    public let tier: TierResult?
    public let referrals: [ReferralResult]
    public let unclaimedBenefits: [String]
    /// Whether the family counts as involved with child welfare (nil: unknown); decides which benefits are "unclaimed".
    public let involvedWithChildWelfare: Bool?
    public let questions: [Question]
    /// Things the worker should know about the screening itself (no TANF program for the state, profile warnings).
    public let notes: [String]
}

/// One program's result for a family.
public struct ProgramResult: Sendable, Hashable {
    public let id: String
    public let name: String
    public let kind: String?
    public let status: ProgramStatus
    public let enrolled: Bool
    public let unclaimed: Bool
    public let estimatedMonthlyBenefit: Exact?
    /// How the estimate was worked out and its caveats (the rule's `benefit ... explain`); empty with brief detail.
    public let benefitExplanation: String
    public let requirements: [RequirementResult]
    /// Facts whose values could change the status, as profile paths (`members[0].earned_income`).
    public let missing: [String]
}

/// Whether a requirement is met.
public enum RequirementStatus: String, Sendable, Hashable {
    case met
    case notMet = "not_met"
    case unknown
}

/// One requirement's result with its explanation and citation.
public struct RequirementResult: Sendable, Hashable {
    public let id: String
    public let title: String?
    public let result: RequirementStatus
    /// Empty with brief detail.
    public let explanation: String
    public let cite: String?
}

/// The prevention tier and the reasons that put the family there.
public struct TierResult: Sendable, Hashable {
    public let tier: String
    public let title: String
    public let reasons: [String]
}

/// Referral priority, most urgent first.
public enum ReferralPriority: String, Sendable, Hashable, Comparable {
    case urgent, high, routine
    var rank: Int { switch self { case .urgent: 0; case .high: 1; case .routine: 2 } }
    public static func < (a: ReferralPriority, b: ReferralPriority) -> Bool { a.rank < b.rank }
}

/// A referral a worker can act on.
public struct ReferralResult: Sendable, Hashable {
    public let id: String
    public let title: String
    public let to: String?
    public let priority: ReferralPriority
    public let because: String
    public let program: String?
    /// The referral shares information and the caregiver has not (yet) agreed: ask first.
    public let requiresConsent: Bool
}

/// An unknown fact worth asking about, with the undecided programs its answer could settle.
public struct Question: Sendable, Hashable {
    public let fact: String
    public let ref: FactRef
    public let ask: String
    /// Who a member question is about, for a worker: "member 2 (child, age 4)"; nil for household facts.
    public let about: String?
    public let affects: [String]
    /// The same for a worker to read: "SNAP (food assistance) [snap]", "the prevention tier", "referral: WIC clinic".
    public let settles: [String]
}
