/// What brief results and `Screener.decide` read of one evaluated family, whichever evaluator worked it out:
/// an `Evaluator` for that family alone, or a `BlockEvaluator` for the family among others.
protocol EvaluatedFamily {
    /// Program p's result.
    func outcome(_ p: Int) -> ProgramOutcome
    /// Requirement k of program p: met (true), not met (false) or unknown (nil).
    func requirementResult(_ p: Int, _ k: Int) -> Bool?
    /// Eligible, not enrolled, and involved with child welfare: three-valued.
    func unclaimed(_ p: Int) -> Bool?
    /// A household fact as the profile gave it.
    func householdFact(_ slot: Int) -> Value
    /// Each referral made, in declaration order (and program order within one), with its first priority that holds.
    func eachReferral(_ made: (_ referral: Int, _ program: Int?, _ priority: ReferralPriority) -> Void)
    /// The prevention tier's index, if any holds.
    var tier: Int? { get }
    /// Whether the family is involved with child welfare.
    var involved: Bool? { get }
}

extension Evaluator {
    /// This evaluator's family, with the screener that decides its referrals and tier.
    struct Family: EvaluatedFamily {
        let evaluator: Evaluator
        let screener: Screener
        func outcome(_ p: Int) -> ProgramOutcome { evaluator.outcome(p) }
        func requirementResult(_ p: Int, _ k: Int) -> Bool? { evaluator.requirementResult(p, k) }
        func unclaimed(_ p: Int) -> Bool? { evaluator.unclaimed(p) }
        func householdFact(_ slot: Int) -> Value { evaluator.facts.household[slot] }
        func eachReferral(_ made: (Int, Int?, ReferralPriority) -> Void) { screener.eachReferral(evaluator, made) }
        var tier: Int? { screener.tierIndex(evaluator) }
        var involved: Bool? { evaluator.involved }
    }
}
