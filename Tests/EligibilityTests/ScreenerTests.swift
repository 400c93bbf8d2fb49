import Testing
@testable import Eligibility

/// Screening one family against a small rule set written here: statuses, explanations, missing facts and
/// questions, referrals and consent, unclaimed benefits, tiers, deterministic output, and rule tests.
struct ScreenerTests {
    static let rulesText = """
        enum child_welfare_stage "Involvement with child welfare"
          none "No involvement"
          investigation "Under investigation"
          in_home_case "Open in-home case"
        end

        enum benefit_program
          tanf "TANF"
          snap "SNAP"
        end

        enum relationship
          caregiver
          child
        end

        fact case_id : text "What is the case number?"
        fact state : text "Which state does the family live in?"
        fact screening_date : date "Screened for which date?"
        fact consent_to_share : yes/no "Has the caregiver agreed that information may be shared?"
        fact child_welfare.stage : child_welfare_stage "What is the family's involvement with child welfare?"
        fact enrolled : set of benefit_program "Which benefits does the family receive now?"
        fact resources : money "How much cash does the household have?"
        fact housing_unstable : yes/no "Is the family's housing unstable?"

        member fact relationship : relationship "How is this person related to the caregiver?"
        member fact age : integer "How old is this person?"
          range 0 to 120
        member fact earned_income : money "What does this person earn in a month?"
          ask only when age >= 14
        member fact pregnant : yes/no "Is this person pregnant?"
          ask only when age >= 12 and age <= 55

        let involved_with_child_welfare = child_welfare.stage != none
        let household_size = count members
        let gross_income = sum earned_income over members

        parameter income_limit "Monthly income limit by household size"
          cite "Cash manual 44-200"
          by household size
            from 2025-01-01: $1,000.00, $1,500.00, $1,892.00; each additional $300
        end

        program cash "Cash Aid"
          kind cash_assistance
          applies when state = "CA"
          enrolled when tanf in enrolled
          cite "Cash manual 40-100"
          requirement child "A child under 18 or a pregnant member"
            any member where age < 18 or pregnant
          requirement income "Income within the limit"
            gross_income <= income_limit(household_size)
          requirement resources "Resources within $2,500"
            resources <= $2,500
          benefit max($0, $900 - gross_income)
        end

        program food "Food Help"
          kind food_assistance
          enrolled when snap in enrolled
          cite "Food manual 1"
          requirement income "Income within twice the limit"
            gross_income <= income_limit(household_size) * 2
            explain "income {gross_income} against {income_limit(household_size) * 2} for {household_size} people"
        end

        referral cash_expedited "Expedited cash appointment"
          to "County cash office"
          for programs of kind cash_assistance
          when unclaimed(program)
          priority high
          because "eligible for {program.name} and not enrolled"
          needs consent
          cite "Linkages guide"
        end

        referral housing_help "Housing help"
          to "Housing agency"
          when housing_unstable
          priority urgent when child_welfare.stage = in_home_case
          priority routine
          because "housing is unstable"
          cite "Housing guide"
        end

        tier tertiary "Tertiary prevention"
          when child_welfare.stage = in_home_case because "open case: {child_welfare.stage}"
        end

        tier secondary "Secondary prevention"
          when housing_unstable because "housing is unstable"
          when gross_income < $500 because "income of {gross_income} is very low"
        end

        tier primary "Primary prevention"
          otherwise because "every family"
        end

        """

    static func load(_ extra: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RuleSet {
        let result = Fixture.load([("rules/screener.rules", rulesText + extra)])
        #expect(!result.diagnostics.hasErrors, "\(result.renderedDiagnostics())", sourceLocation: sourceLocation)
        return try #require(result.ruleSet, sourceLocation: sourceLocation)
    }

    /// A family of a caregiver earning `income` and two children, with household `fields` added.
    static func family(income: String? = "800", _ fields: String = #""resources": 100, "enrolled": [], "child_welfare": {"stage": "investigation"}"#,
                       state: String = "CA") -> String {
        let earnings = income.map { #", "earned_income": \#($0)"# } ?? ""
        return #"{"case_id": "s1", "state": "\#(state)", "screening_date": "2025-09-01", "members": [{"relationship": "caregiver", "age": 30\#(earnings)}, {"relationship": "child", "age": 4}, {"relationship": "child", "age": 7}]\#(fields.isEmpty ? "" : ", " + fields)}"#
    }

    static func screen(_ json: String, extra: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Screening {
        try Fixture.screen(try load(extra, sourceLocation: sourceLocation), json, sourceLocation: sourceLocation)
    }

    static func program(_ s: Screening, _ id: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ProgramResult {
        try #require(s.programs.first { $0.id == id }, "no program \(id) in \(s.programs.map(\.id))", sourceLocation: sourceLocation)
    }

    // MARK: Statuses and explanations

    @Test func anEligibleFamily() throws {
        let s = try Self.screen(Self.family())
        let cash = try Self.program(s, "cash")
        #expect(cash.status == .eligible)
        #expect(cash.requirements.map(\.result) == [.met, .met, .met])
        #expect(cash.estimatedMonthlyBenefit == Exact(100))
        #expect(cash.missing.isEmpty)
        #expect(cash.kind == "cash_assistance")
        #expect(cash.requirements.map(\.cite) == ["Cash manual 40-100", "Cash manual 40-100", "Cash manual 40-100"])
        let food = try Self.program(s, "food")
        #expect(food.status == .eligible)
        #expect(food.estimatedMonthlyBenefit == nil)
        #expect(food.requirements.first?.explanation == "income $800.00 against $3,784.00 for 3 people: $2,984.00 under the limit of $3,784.00")
        #expect(s.caseId == "s1" && s.state == "CA" && s.screeningDate == Fixture.day("2025-09-01"))
        #expect(s.notes.isEmpty)
    }

    @Test func anIneligibleFamilyIsToldHowFarOverTheLineItIs() throws {
        let s = try Self.screen(Self.family(income: "1929"))
        let cash = try Self.program(s, "cash")
        #expect(cash.status == .ineligible)
        #expect(cash.requirements.map(\.result) == [.met, .notMet, .met])
        #expect(cash.requirements[1].explanation == "Income within the limit: $37.00 over the limit of $1,892.00")
        #expect(cash.requirements[2].explanation == "Resources within $2,500: $2,400.00 under the limit of $2,500.00")
        #expect(cash.estimatedMonthlyBenefit == nil)
        #expect(cash.missing.isEmpty)
        #expect(try Self.program(s, "food").status == .eligible)
    }

    @Test func aBenefitIsNeverNegative() throws {
        // $1,892.00 is within the limit but above the $900 payment standard.
        let cash = try Self.program(try Self.screen(Self.family(income: "1892")), "cash")
        #expect(cash.status == .eligible)
        #expect(cash.estimatedMonthlyBenefit == .zero)
    }

    @Test func aProgramForAnotherStateIsNotListed() throws {
        let s = try Self.screen(Self.family(state: "NV"))
        #expect(s.programs.map(\.id) == ["food"])
        #expect(s.notes == ["no TANF cash-assistance program in these rules applies to NV; only federal programs were screened"])
        #expect(s.referrals.allSatisfy { $0.id != "cash_expedited" })
    }

    @Test func anUnknownFactLeavesAProgramUndecided() throws {
        let s = try Self.screen(Self.family(#""enrolled": [], "child_welfare": {"stage": "investigation"}"#))
        let cash = try Self.program(s, "cash")
        #expect(cash.status == .needsInfo)
        #expect(cash.requirements.map(\.result) == [.met, .met, .unknown])
        #expect(cash.requirements[2].explanation == "Resources within $2,500: not known yet")
        #expect(cash.missing == ["resources"])
        #expect(cash.estimatedMonthlyBenefit == nil)
        #expect(!cash.unclaimed)
    }

    @Test func aFailedRequirementDecidesDespiteUnknownOnes() throws {
        let s = try Self.screen(Self.family(income: "5000", #""enrolled": []"#))
        let cash = try Self.program(s, "cash")
        #expect(cash.status == .ineligible)
        #expect(cash.missing.isEmpty)
        #expect(s.questions.allSatisfy { !$0.affects.contains("cash") })
    }

    // MARK: Missing facts and questions

    @Test func aFactThatSettlesTwoProgramsIsAskedFirst() throws {
        // The caregiver's earnings decide both programs; resources only cash.
        let s = try Self.screen(Self.family(income: nil, #""enrolled": [], "child_welfare": {"stage": "none"}"#))
        #expect(try Self.program(s, "cash").missing == ["resources", "members[0].earned_income"])
        #expect(try Self.program(s, "food").missing == ["members[0].earned_income"])
        // Facts that settle programs come first; one that only settles the tier and a referral comes last.
        #expect(s.questions.map(\.fact) == ["members[0].earned_income", "resources", "housing_unstable"])
        #expect(s.questions.map(\.affects) == [["cash", "food", "prevention_tier"], ["cash"], ["prevention_tier", "referral:housing_help"]])
        #expect(s.questions[0].ask == "What does this person earn in a month?")
        #expect(s.questions[0].about == "member 1 (caregiver, age 30)")
        #expect(s.questions[1].ask == "How much cash does the household have?")
        #expect(s.questions[1].about == nil)
    }

    @Test func aFactThatDoesNotApplyIsNotAsked() throws {
        // The children (4 and 7) are not asked about earnings: "ask only when age >= 14" makes theirs $0.
        // (Consent is asked: the expedited cash referral is made and shares information.)
        let s = try Self.screen(Self.family())
        #expect(s.questions.map(\.fact) == ["housing_unstable", "consent_to_share"])
        #expect(s.questions.last?.affects == ["referral:cash_expedited"])
        #expect(try Self.program(s, "food").requirements.first?.explanation == "income $800.00 against $3,784.00 for 3 people: $2,984.00 under the limit of $3,784.00")
        // A 15-year-old is asked.
        let teen = #"{"case_id": "s2", "state": "CA", "resources": 0, "members": [{"age": 30, "earned_income": 800}, {"age": 15}]}"#
        let t = try Self.screen(teen)
        #expect(try Self.program(t, "food").missing == ["members[1].earned_income"])
        #expect(t.questions.first?.about == "member 2 (age 15)")
    }

    @Test(arguments: [
        // Only adults: whether one is pregnant decides the child requirement, unless no one can be asked.
        (#"[{"age": 30, "earned_income": 0}]"#, ProgramStatus.needsInfo, ["members[0].pregnant"]),
        (#"[{"age": 30, "earned_income": 0, "pregnant": true}]"#, .eligible, []),
        (#"[{"age": 60, "earned_income": 0}]"#, .ineligible, []),            // pregnant does not apply at 60: no
        (#"[{"age": 60, "earned_income": 0}, {"age": 8}]"#, .eligible, []),
    ])
    func askOnlyWhenFalseMeansTheFactDoesNotApply(_ members: String, _ status: ProgramStatus, _ missing: [String]) throws {
        let s = try Self.screen(#"{"case_id": "s3", "state": "CA", "resources": 0, "members": \#(members)}"#)
        let cash = try Self.program(s, "cash")
        #expect(cash.status == status)
        #expect(cash.missing == missing)
    }

    // MARK: Referrals and consent

    @Test(arguments: [
        (#", "consent_to_share": false"#, true),
        ("", true),
        (#", "consent_to_share": null"#, true),
        (#", "consent_to_share": true"#, false),
    ])
    func consentIsAskedFirstUnlessGiven(_ consent: String, _ requiresConsent: Bool) throws {
        let s = try Self.screen(Self.family(#""resources": 100, "enrolled": [], "child_welfare": {"stage": "investigation"}\#(consent)"#))
        let referral = try #require(s.referrals.first { $0.id == "cash_expedited" })
        #expect(referral.requiresConsent == requiresConsent)
        #expect(referral.because == "eligible for Cash Aid and not enrolled"
            + (requiresConsent ? " (ask the caregiver for consent before sharing information)" : ""))
        #expect(referral.program == "cash")
        #expect(referral.priority == .high)
        #expect(referral.to == "County cash office")
        #expect(ScreeningJSON.string(s).contains(#""requires_consent": \#(requiresConsent)"#))
        // Unknown consent is asked about: the referral shares information.
        let asked = s.questions.first { $0.fact == "consent_to_share" }
        #expect((asked != nil) == (consent == "" || consent.contains("null")))
        #expect(asked.map(\.affects) ?? ["referral:cash_expedited"] == ["referral:cash_expedited"])
    }

    @Test func whetherAnEligibleProgramIsUnclaimedIsAsked() throws {
        // Eligible for both programs, but 'enrolled' is not given: nothing can be called unclaimed until it is.
        let s = try Self.screen(Self.family(#""resources": 100, "child_welfare": {"stage": "investigation"}, "consent_to_share": true, "housing_unstable": false"#))
        #expect(s.programs.map(\.status) == [.eligible, .eligible])
        #expect(s.unclaimedBenefits.isEmpty)
        #expect(s.questions.map(\.fact) == ["enrolled"])
        #expect(s.questions.map(\.affects) == [["unclaimed:cash", "unclaimed:food", "referral:cash_expedited"]])
        // Likewise the child-welfare stage.
        let stage = try Self.screen(Self.family(#""resources": 100, "enrolled": [], "consent_to_share": true, "housing_unstable": false"#))
        #expect(stage.questions.map(\.fact) == ["child_welfare.stage"])
        #expect(stage.questions[0].affects.prefix(2) == ["unclaimed:cash", "unclaimed:food"])
    }

    @Test func referralsWithoutConsentNeverAskForIt() throws {
        let s = try Self.screen(Self.family(#""resources": 100, "enrolled": [], "housing_unstable": true, "child_welfare": {"stage": "investigation"}"#))
        let housing = try #require(s.referrals.first { $0.id == "housing_help" })
        #expect(!housing.requiresConsent)
        #expect(housing.because == "housing is unstable")
        #expect(housing.program == nil)
        #expect(housing.priority == .routine)
    }

    @Test func theMostUrgentReferralComesFirst() throws {
        let s = try Self.screen(Self.family(#""resources": 100, "enrolled": [], "housing_unstable": true, "child_welfare": {"stage": "in_home_case"}"#))
        #expect(s.referrals.map(\.id) == ["housing_help", "cash_expedited"])
        #expect(s.referrals.map(\.priority) == [.urgent, .high])
    }

    // MARK: Unclaimed benefits

    @Test(arguments: [
        (#""child_welfare": {"stage": "investigation"}, "enrolled": []"#, ["cash", "food"]),
        (#""child_welfare": {"stage": "in_home_case"}, "enrolled": ["tanf"]"#, ["food"]),
        (#""child_welfare": {"stage": "investigation"}, "enrolled": ["tanf", "snap"]"#, []),
        (#""child_welfare": {"stage": "none"}, "enrolled": []"#, []),
        (#""enrolled": []"#, []),                                                  // stage unknown
        (#""child_welfare": {"stage": null}, "enrolled": []"#, []),
        (#""child_welfare": {"stage": "investigation"}"#, []),                     // enrolment unknown
    ])
    func unclaimedOnlyForFamiliesInvolvedWithChildWelfare(_ fields: String, _ unclaimed: [String]) throws {
        let s = try Self.screen(Self.family(#""resources": 100, \#(fields)"#))
        #expect(s.unclaimedBenefits == unclaimed)
        #expect(s.programs.filter(\.unclaimed).map(\.id) == unclaimed)
        #expect(s.referrals.contains { $0.id == "cash_expedited" } == unclaimed.contains("cash"))
    }

    @Test func enrolmentIsReported() throws {
        let s = try Self.screen(Self.family(#""resources": 100, "enrolled": ["tanf"], "child_welfare": {"stage": "investigation"}"#))
        #expect(try Self.program(s, "cash").enrolled)
        #expect(try !Self.program(s, "food").enrolled)
    }

    // MARK: Tiers

    @Test(arguments: [
        (#""child_welfare": {"stage": "in_home_case"}, "housing_unstable": true"#, "800", "tertiary", ["open case: Open in-home case"]),
        (#""child_welfare": {"stage": "none"}, "housing_unstable": true"#, "300", "secondary", ["housing is unstable", "income of $300.00 is very low"]),
        (#""child_welfare": {"stage": "none"}"#, "300", "secondary", ["income of $300.00 is very low"]),
        (#""child_welfare": {"stage": "none"}, "housing_unstable": false"#, "800", "primary", ["every family"]),
        ("", "800", "primary", ["every family"]),                                // unknown conditions do not place a family
    ])
    func theFirstTierWhoseConditionHolds(_ fields: String, _ income: String, _ tier: String, _ reasons: [String]) throws {
        let s = try Self.screen(Self.family(income: income, fields))
        #expect(s.tier?.tier == tier)
        #expect(s.tier?.reasons == reasons)
    }

    // MARK: Output

    static let fullProfile = #"{"case_id": "s9", "state": "CA", "screening_date": "2025-09-01", "housing_unstable": true, "enrolled": ["snap"], "child_welfare": {"stage": "in_home_case"}, "members": [{"relationship": "caregiver", "age": 30}, {"relationship": "child", "age": 4, "earned_income": 5}, {"relationship": "child", "age": 15}]}"#

    @Test func jsonIsByteIdenticalAcrossRuns() throws {
        let first = ScreeningJSON.string(try Self.screen(Self.fullProfile))
        let second = ScreeningJSON.string(try Self.screen(Self.fullProfile))
        #expect(first == second)
        let rules = try Self.load()
        let profile = try Fixture.profile(rules, Self.fullProfile)
        let screener = Screener(rules: rules)
        #expect(ScreeningJSON.string(screener.screen(profile)) == ScreeningJSON.string(screener.screen(profile)))
        #expect(ScreeningJSON.string(screener.screen(profile), pretty: false) == ScreeningJSON.string(screener.screen(profile), pretty: false))
        assertGolden(first, "screening/full.json", filePath: Fixture.goldenAnchor)
        assertGolden(ScreeningText.render(try Self.screen(Self.fullProfile)), "screening/full.txt", filePath: Fixture.goldenAnchor)
    }

    @Test func theResultNamesTheRulesItCameFrom() throws {
        let a = try Self.screen(Self.fullProfile)
        let b = try Self.screen(Self.fullProfile, extra: "# an edit\n")
        #expect(a.rules.hasPrefix("sha256:") && a.rules.count == 7 + 64)
        #expect(a.rules != b.rules)
    }

    @Test func briefDetailLeavesExplanationsOut() throws {
        let rules = try Self.load()
        let profile = try Fixture.profile(rules, Self.family(income: "1929"))
        let brief = Screener(rules: rules).screen(profile, detail: .brief)
        #expect(brief.programs.flatMap(\.requirements).allSatisfy { $0.explanation.isEmpty })
        #expect(brief.programs.map(\.status) == Screener(rules: rules).screen(profile).programs.map(\.status))
    }

    // MARK: Rule tests beside the rules

    static let ruleTests = """
        test "an eligible family"
          given { "case_id": "t1", "state": "CA", "screening_date": "2025-09-01", "resources": 100, "enrolled": [],
                  "child_welfare": { "stage": "investigation" },
                  "members": [ { "age": 30, "earned_income": 800 }, { "age": 4 } ] }
          expect cash eligible
          expect cash benefit $100.00
          expect cash requirement income met
          expect referral cash_expedited priority high
          expect unclaimed cash
          expect tier primary
        end

        test "expectations that do not hold"
          given { "case_id": "t2", "state": "CA", "screening_date": "2025-09-01", "resources": 100, "enrolled": [],
                  "child_welfare": { "stage": "investigation" },
                  "members": [ { "age": 30, "earned_income": 800 }, { "age": 4 } ] }
          expect cash ineligible
          expect cash benefit $150.00
          expect food requirement income not_met
          expect no referral cash_expedited
          expect tier tertiary
          expect not unclaimed food
          expect food not listed
        end

        test "an invalid profile"
          given { "case_id": "t3", "state": "California", "members": [] }
          expect food eligible
        end

        """

    @Test func ruleTestsReportExpectedAgainstActual() throws {
        let rules = try Self.load(Self.ruleTests)
        let report = RuleTestRunner(rules: rules).run(asOf: Fixture.day("2025-09-01"))
        #expect(report.total == 3)
        #expect(report.failedTests == 2)
        #expect(report.passed == 1)
        #expect(report.failures.map(\.message) == [
            "test \"expectations that do not hold\" failed: expected cash ineligible, got eligible",
            "test \"expectations that do not hold\" failed: expected cash benefit $150.00, got $100.00",
            "test \"expectations that do not hold\" failed: expected food requirement income not_met, got met",
            "test \"expectations that do not hold\" failed: expected no referral cash_expedited, got one: eligible for Cash Aid and not enrolled (ask the caregiver for consent before sharing information)",
            "test \"expectations that do not hold\" failed: expected tier tertiary, got primary",
            "test \"expectations that do not hold\" failed: expected food not unclaimed, but it is",
            "test \"expectations that do not hold\" failed: expected food not to apply to this family, but it is listed as eligible",
            "test \"an invalid profile\": the profile is invalid",
        ])
        // Coverage: no requirement was seen both met and not met (the two valid tests screen the same family).
        #expect(report.requirementCount == 4)
        #expect(report.requirementsExercised == 0)
        #expect(report.untested == ["cash.child", "cash.income", "cash.resources", "food.income"])
        assertGolden(DiagnosticRenderer(files: rules.files).render(report.failures), "screening/rule_test_failures.txt", filePath: Fixture.goldenAnchor)
    }

    @Test func ruleTestsCanBeFilteredByName() throws {
        let rules = try Self.load(Self.ruleTests)
        let report = RuleTestRunner(rules: rules).run(asOf: Fixture.day("2025-09-01"), filter: "eligible family")
        #expect(report.total == 1)
        #expect(report.failures.isEmpty)
        #expect(report.requirementCount == 4)
    }

    @Test func ruleTestCoverageCountsRequirementsSeenBothWays() throws {
        let rules = try Self.load("""
            test "under the limit"
              given { "case_id": "t1", "state": "CA", "resources": 100, "members": [ { "age": 30, "earned_income": 800 }, { "age": 4 } ] }
              expect cash requirement income met
            end
            test "over the limit"
              given { "case_id": "t2", "state": "CA", "resources": 100, "members": [ { "age": 30, "earned_income": 5000 }, { "age": 4 } ] }
              expect cash ineligible
              expect food requirement income not_met
            end
            """)
        let report = RuleTestRunner(rules: rules).run(asOf: Fixture.day("2025-09-01"))
        #expect(report.failures.isEmpty, "\(DiagnosticRenderer(files: rules.files).render(report.failures))")
        #expect(report.passed == 2)
        #expect(report.requirementsExercised == 2)
        #expect(report.untested == ["cash.child", "cash.resources"])
    }
}
