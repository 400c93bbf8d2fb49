import Testing
import TestSupport
@testable import Eligibility

/// An evaluator reset for the next family (as a batch worker reuses one) must know nothing of the previous one:
/// households growing and shrinking, other screening dates, and tracing state included.
@Suite struct EvaluatorResetTests {
    static func profiles(_ rules: RuleSet, count: Int, seed: UInt64) -> [Profile] {
        var rng = SplitMix(seed: seed)
        return (1...count).compactMap { n in BriefOutputTests.read(rules, BriefOutputTests.household(n, &rng, unusual: n % 3 == 0)) }
    }

    @Test(arguments: [false, true])
    func resetEvaluatorAgreesWithAFreshOne(tracing: Bool) throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        let families = Self.profiles(rules, count: tracing ? 150 : 600, seed: 11)
        #expect(families.count > 100)
        #expect(Set(families.map(\.facts.memberCount)).count > 3, "households of several sizes")
        #expect(Set(families.map(\.screeningDate)).count > 1, "more than one screening date")
        let reused = Evaluator(rules: rules, facts: families[0].facts, tracing: tracing)
        for (n, family) in families.enumerated() {
            if n > 0 { reused.reset(facts: family.facts) }
            let fresh = Evaluator(rules: rules, facts: family.facts, tracing: tracing)
            for p in rules.programs.indices {
                #expect(reused.outcome(p) == fresh.outcome(p), "\(family.caseId) \(rules.programs[p].info.id)")
                #expect(reused.unclaimed(p) == fresh.unclaimed(p))
                for k in rules.programs[p].requirements.indices { #expect(reused.requirementResult(p, k) == fresh.requirementResult(p, k)) }
                if tracing { #expect(reused.missingFacts(program: p) == fresh.missingFacts(program: p), "\(family.caseId) \(rules.programs[p].info.id)") }
            }
            #expect(reused.involved == fresh.involved)
            #expect(reused.parametersWithoutValue == fresh.parametersWithoutValue)
            #expect(reused.date == fresh.date)
        }
    }

    /// `decide` with a reused evaluator and reused decisions says what `screen` says: statuses, unclaimed benefits,
    /// the tier and the referrals (which `screen` sorts by priority).
    @Test func decisionsFromAReusedEvaluatorAgreeWithScreen() throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        let screener = Screener(rules: rules)
        let families = Self.profiles(rules, count: 300, seed: 5)
        let evaluator = Evaluator(rules: rules, facts: families[0].facts)
        var d = Decisions()
        for family in families {
            evaluator.reset(facts: family.facts)
            screener.decide(evaluator, into: &d)
            let s = screener.screen(family, detail: .brief)
            let statuses = rules.programs.indices.compactMap { p in d.statuses[p].map { (rules.programs[p].info.id, $0) } }
            #expect(statuses.map(\.0) == s.programs.map(\.id), "\(family.caseId)")
            #expect(statuses.map(\.1) == s.programs.map(\.status), "\(family.caseId)")
            #expect(rules.programs.indices.filter { d.unclaimed[$0] }.map { rules.programs[$0].info.id } == s.unclaimedBenefits)
            #expect(d.tier.map { rules.tiers[$0].info.id } == s.tier?.tier)
            let made = d.referrals.map { "\(rules.referrals[$0.referral].info.id) \($0.program.map { rules.programs[$0].info.id } ?? "-") \($0.priority)" }
            let screened = s.referrals.map { "\($0.id) \($0.program ?? "-") \($0.priority.rawValue)" }
            #expect(made.sorted() == screened.sorted(), "\(family.caseId)")
            #expect(screener.decide(family).referrals.count == d.referrals.count)
        }
    }
}
