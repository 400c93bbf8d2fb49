import Foundation
import Testing
@testable import Eligibility

/// A small rule set whose questions and order the tests control (the shipped rules change as programs are added).
/// The CLI tests use the same file.
private let rulesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/interview-rules/interview.rules")

private let testRules: RuleSet = {
    let bytes = FileManager.default.contents(atPath: rulesURL.path).map { [UInt8]($0) } ?? []
    let result = RuleLoader.load(files: [SourceFile(path: rulesURL.path, bytes: bytes)], asOf: nil)
    guard let rules = result.ruleSet else { fatalError(result.renderedDiagnostics()) }
    return rules
}()

private let day = Day(iso: "2026-11-01")!

private func object(_ v: JSONValue) -> JSONObject { v.objectValue! }

private func enumIndex(_ name: String) -> Int { testRules.enums.firstIndex { $0.name == name }! }

/// The parsed value as compact JSON, or the error message.
private func parsed(_ text: String, _ form: AnswerForm) -> String {
    switch AnswerParser.parse(text, as: form, enums: testRules.enums) {
    case .success(let v): JSONWriter.string(v)
    case .failure(let e): "error: \(e.message)"
    }
}

@Suite("Interview answers")
struct InterviewAnswerTests {
    static let yesNoCases: [(String, String)] = [
        ("y", "true"), ("YES", "true"), (" yes ", "true"), ("n", "false"), ("No", "false"),
        ("maybe", "error: expected yes or no (y/n)"), ("", "error: expected yes or no (y/n)"), ("true", "error: expected yes or no (y/n)"),
    ]
    static let wholeNumbersCases: [(String, AnswerForm, String)] = [
        ("4", .wholeNumber(min: 0, max: 120), "4"),
        (" 34 ", .wholeNumber(min: 0, max: 120), "34"),
        ("007", .wholeNumber(min: 0, max: 120), "7"),
        ("120", .wholeNumber(min: 0, max: 120), "120"),
        ("121", .wholeNumber(min: 0, max: 120), "error: expected a whole number from 0 to 120"),
        ("-1", .wholeNumber(min: 0, max: 120), "error: expected a whole number from 0 to 120"),
        ("4.5", .wholeNumber(min: 0, max: 120), "error: expected a whole number from 0 to 120"),
        ("four", .wholeNumber(min: 0, max: 120), "error: expected a whole number from 0 to 120"),
        ("99999999999999999999", .wholeNumber(min: 0, max: 120), "error: expected a whole number from 0 to 120"),
        ("-3", .wholeNumber(min: nil, max: nil), "-3"),
        ("1,000", .wholeNumber(min: nil, max: nil), "1000"),
        ("x", .wholeNumber(min: nil, max: nil), "error: expected a whole number"),
        ("-3", .wholeNumber(min: 0, max: nil), "error: expected a whole number of at least 0"),
        ("30", .wholeNumber(min: nil, max: 20), "error: expected a whole number of at most 20"),
    ]
    static let moneyCases: [(String, String)] = [
        ("1200", "1200"), ("$1,200.50", "1200.50"), ("1,200.50", "1200.50"), ("$ 45", "45"), ("0", "0"),
        ("0.5", "0.5"), (".50", "0.50"), ("007", "7"), ("12,345,678", "12345678"), ("980.00", "980.00"),
        ("-5", "error: expected an amount of at least $0"),
        ("$-5", "error: expected an amount of at least $0"),
        ("-$5", "error: expected an amount of at least $0"),
        ("12.345", "error: expected an amount with at most two decimals (whole cents), such as 1200.50"),
        ("12,00", "error: expected an amount in dollars, such as 1200 or $1,200.50"),
        ("1,2000", "error: expected an amount in dollars, such as 1200 or $1,200.50"),
        ("1e3", "error: expected an amount in dollars, such as 1200 or $1,200.50"),
        ("$", "error: expected an amount in dollars, such as 1200 or $1,200.50"),
        ("twelve", "error: expected an amount in dollars, such as 1200 or $1,200.50"),
        ("", "error: expected an amount in dollars, such as 1200 or $1,200.50"),
    ]
    static let othersCases: [(String, AnswerForm, String)] = [
        ("2.5", .number, "2.5"),
        ("-0.25", .number, "-0.25"),
        ("half", .number, "error: expected a number, such as 2.5"),
        ("2026-02-28", .date, "\"2026-02-28\""),
        ("2024-02-29", .date, "\"2024-02-29\""),
        ("2026-02-30", .date, "error: expected a real calendar date as YYYY-MM-DD"),
        ("2026-13-01", .date, "error: expected a real calendar date as YYYY-MM-DD"),
        ("02/28/2026", .date, "error: expected a date as YYYY-MM-DD"),
        ("yesterday", .date, "error: expected a date as YYYY-MM-DD"),
        ("Fresno", .text, "\"Fresno\""),
        ("  Los Angeles ", .text, "\"Los Angeles\""),
        ("", .text, "error: expected some text"),
        ("ca", .state, "\"CA\""),
        ("MA", .state, "\"MA\""),
        ("california", .state, "\"CA\""),
        ("Californa", .state, "error: expected a two-letter state code, such as CA; did you mean 'CA' (California)?"),
        ("XX", .state, "error: expected a two-letter state code, such as CA"),
        ("", .state, "error: expected a two-letter state code, such as CA"),
    ]
    static let choicesCases: [(String, String)] = [
        ("2", "\"at_risk\""), ("shelter", "\"shelter\""), ("SHELTER", "\"shelter\""), ("In a shelter", "\"shelter\""),
        ("at risk", "\"at_risk\""), ("at-risk", "\"at_risk\""), ("stable housing", "\"stable\""),
        ("sheltr", "error: expected a number from 1 to 3 or a name from the list; did you mean 'shelter'?"),
        ("stabel", "error: expected a number from 1 to 3 or a name from the list; did you mean 'stable'?"),
        ("In a sheltr", "error: expected a number from 1 to 3 or a name from the list; did you mean 'shelter'?"),
        ("4", "error: expected a number from 1 to 3 or a name from the list"),
        ("0", "error: expected a number from 1 to 3 or a name from the list"),
        ("castle", "error: expected a number from 1 to 3 or a name from the list"),
        ("", "error: expected a number from 1 to 3 or a name from the list"),
    ]
    static let setsCases: [(String, String)] = [
        ("none", "[]"), ("NONE", "[]"), ("1", "[\"food\"]"), ("1, 3", "[\"food\",\"child_care\"]"),
        ("food,housing", "[\"food\",\"housing\"]"), ("child care, 1", "[\"child_care\",\"food\"]"), ("1,1", "[\"food\"]"),
        ("1, 3,", "[\"food\",\"child_care\"]"),
        ("fod", "error: expected numbers from 1 to 3 or names from the list, separated by commas, or none; \"fod\" is not in the list: did you mean 'food'?"),
        ("1, 7", "error: expected numbers from 1 to 3 or names from the list, separated by commas, or none; \"7\" is not in the list"),
        (",", "error: expected numbers from 1 to 3 or names from the list, separated by commas, or none"),
        ("", "error: expected numbers from 1 to 3 or names from the list, separated by commas, or none"),
    ]

    @Test(arguments: yesNoCases) func yesOrNo(_ input: String, _ expected: String) {
        #expect(parsed(input, .yesNo) == expected)
    }

    @Test(arguments: wholeNumbersCases) func wholeNumbers(_ input: String, _ form: AnswerForm, _ expected: String) {
        #expect(parsed(input, form) == expected)
    }

    @Test(arguments: moneyCases) func money(_ input: String, _ expected: String) {
        #expect(parsed(input, .money) == expected)
    }

    @Test(arguments: othersCases) func numbersDatesTextAndStates(_ input: String, _ form: AnswerForm, _ expected: String) {
        #expect(parsed(input, form) == expected)
    }

    @Test(arguments: choicesCases) func enumChoice(_ input: String, _ expected: String) {
        #expect(parsed(input, .choice(enumIndex("housing_status"))) == expected)
    }

    @Test(arguments: setsCases) func setOfChoices(_ input: String, _ expected: String) {
        #expect(parsed(input, .choices(enumIndex("need"))) == expected)
    }

    @Test func formsFollowTheDeclaredTypes() {
        let age = testRules.memberFacts[testRules.memberFactIndex["age"]!]
        #expect(AnswerForm(age.type, lowerBound: age.lowerBound, upperBound: age.upperBound) == .wholeNumber(min: 0, max: 120))
        let needs = testRules.householdFacts[testRules.householdFactIndex["needs"]!]
        #expect(AnswerForm(needs.type) == .choices(enumIndex("need")))
        #expect(AnswerForm(.duration) == nil)
    }

    @Test func repliesTypedFromAProfileValue() {
        #expect(AnswerParser.text(for: .bool(true), as: .yesNo) == "yes")
        #expect(AnswerParser.text(for: .bool(false), as: .yesNo) == "no")
        #expect(AnswerParser.text(for: .number("980.00"), as: .money) == "980.00")
        #expect(AnswerParser.text(for: .string("shelter"), as: .choice(0)) == "shelter")
        #expect(AnswerParser.text(for: .array([]), as: .choices(1)) == "none")
        #expect(AnswerParser.text(for: .array(["food", "housing"]), as: .choices(1)) == "food, housing")
        #expect(AnswerParser.text(for: nil, as: .money) == nil)
        #expect(AnswerParser.text(for: .null, as: .money) == nil)
    }
}

/// Answers every question from `answers` (a full profile), returning the facts asked in order.
private func interview(_ start: Interview, answers: JSONValue) -> (Interview, [String]) {
    var i = start
    var asked: [String] = []
    while let q = i.nextQuestion(rules: testRules, asOf: day) {
        asked.append(q.fact)
        let reply = Interview.reply(to: q, from: answers)
        guard case .success = i.answer(reply, to: q, rules: testRules, asOf: day) else {
            Issue.record("reply '\(reply)' to \(q.fact) failed")
            break
        }
        if asked.count > 100 { Issue.record("the interview does not end"); break }
    }
    return (i, asked)
}

private func screen(_ json: JSONValue) -> Screening {
    guard case .success(let p) = ProfileReader(rules: testRules).read(json, asOf: day) else { fatalError("profile does not read") }
    return Screener(rules: testRules).screen(p)
}

private let family: JSONValue = [
    "case_id": "t1", "screening_date": "2026-11-01", "state": "VT", "county": "Windsor",
    "members": [
        ["relationship": "caregiver", "age": 30, "earned_income": .number("900.00")],
        ["relationship": "child", "age": 5],
    ],
    "resources": .number("150"), "housing": "at_risk", "needs": ["food"],
    "child_welfare": ["stage": "investigation"],
]

@Suite("Interview state machine")
struct InterviewStateTests {
    @Test func asksTheStateThenTheHouseholdThenRankedFacts() throws {
        var i = Interview(screeningDate: day)
        #expect(i.profile["case_id"] == "interview")
        #expect(i.profile["screening_date"] == "2026-11-01")
        let q1 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(q1.kind == .state && q1.fact == "state" && q1.form == .state)
        #expect(i.answer("vt", to: q1, rules: testRules, asOf: day) == .success(.answered("VT")))
        let q2 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(q2.kind == .householdSize && q2.ask == Interview.householdSizeQuestion && q2.form == .wholeNumber(min: 1, max: 20))
        #expect(i.answer("21", to: q2, rules: testRules, asOf: day) == .failure(AnswerError("expected a whole number from 1 to 20")))
        #expect(i.answer("2", to: q2, rules: testRules, asOf: day) == .success(.answered(.number("2"))))
        #expect(i.profile["members"] == [["relationship": "caregiver"], [:]])
        // Ages first: resources settles as many programs, but a person's age decides which other questions apply.
        let q3 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(q3.fact == "members[0].age")
        #expect(q3.about == "member 1 (caregiver)")
        #expect(q3.affects == ["cash"])
        #expect(q3.form == .wholeNumber(min: 0, max: 120))
        _ = i.answer("30", to: q3, rules: testRules, asOf: day)
        let q4 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(q4.fact == "members[1].age" && q4.about == "member 2")
        _ = i.answer("4", to: q4, rules: testRules, asOf: day)
        let q5 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(q5.fact == "resources" && q5.about == nil && q5.affects == ["cash"] && q5.form == .money)
    }

    @Test func gatewaysAreTheFactsThatDecideWhetherOthersApply() {
        let g = Interview.gateways(testRules)
        #expect(g.household.map { testRules.householdFacts[$0].name } == [])
        #expect(g.member.map { testRules.memberFacts[$0].name } == ["age"])
    }

    @Test func answersAreWrittenAtTheirPathsInTheContractShape() {
        var cw = Interview(profile: object(["members": [["relationship": "caregiver", "age": 30]]]), state: "VT", screeningDate: day)
        let q = Interview.Question(kind: .fact(.household(testRules.householdFactIndex["child_welfare.stage"]!)), fact: "child_welfare.stage",
                                   ask: "?", about: nil, affects: [], form: .choice(enumIndex("child_welfare_stage")), choices: [])
        #expect(cw.answer("2", to: q, rules: testRules, asOf: day) == .success(.answered("investigation")))
        #expect(cw.profile["child_welfare"] == ["stage": "investigation"])
        let m = Interview.Question(kind: .fact(.member(0, testRules.memberFactIndex["earned_income"]!)), fact: "members[0].earned_income",
                                   ask: "?", about: nil, affects: [], form: .money, choices: [])
        #expect(cw.answer("$1,200.50", to: m, rules: testRules, asOf: day) == .success(.answered(.number("1200.50"))))
        #expect(cw.profile["members"] == [["relationship": "caregiver", "age": 30, "earned_income": .number("1200.50")]])
    }

    @Test func endsWithTheResultOfScreeningTheFullProfile() {
        let start = Interview(profile: object(["case_id": "t1", "state": "VT"]), screeningDate: day)
        let (done, asked) = interview(start, answers: family)
        let full = screen(family)
        let built = screen(.object(done.profile))
        #expect(built.programs.map(\.status) == full.programs.map(\.status))
        #expect(built.programs.map(\.status) == [.eligible, .ineligible])
        #expect(built.unclaimedBenefits == full.unclaimedBenefits)
        #expect(built.unclaimedBenefits == ["cash"])
        // Fewer questions than fields: the county, the child's income and school are never asked.
        #expect(!asked.contains("county"))
        #expect(!asked.contains("members[1].earned_income"))
        #expect(asked.count < testRules.householdFacts.count + 2 * testRules.memberFacts.count)
    }

    @Test func doesNotAskWhatCannotApplyToAPerson() {
        let start = Interview(profile: object(["case_id": "t1", "state": "VT"]), screeningDate: day)
        let (_, asked) = interview(start, answers: family)
        // The child is 5: no pregnancy, school or earnings questions about her.
        #expect(!asked.contains { $0.hasPrefix("members[1].") && $0 != "members[1].age" && $0 != "members[1].relationship" })
        // Nobody's age-dependent fact is asked before that person's age.
        let ageAt = asked.firstIndex(of: "members[0].age")!
        #expect(!asked[..<ageAt].contains { $0.hasPrefix("members[0].") })
    }

    @Test func skipLeavesAFactUnknownAndNeverAsksItAgain() throws {
        var i = Interview(profile: object(["members": [["relationship": "caregiver", "age": 30]]]), state: "VT", screeningDate: day)
        let q = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(i.answer("skip", to: q, rules: testRules, asOf: day) == .success(.skipped))
        #expect(i.skipped == [q.fact])
        #expect(Interview.value(at: q.fact, in: .object(i.profile)) == nil)
        var asked: [String] = []
        while let next = i.nextQuestion(rules: testRules, asOf: day) {
            asked.append(next.fact)
            _ = i.answer("skip", to: next, rules: testRules, asOf: day)
        }
        #expect(!asked.contains(q.fact))
        #expect(Set(asked).count == asked.count)
        #expect(i.answerCount == asked.count + 1)
        // Everything skipped: the programs are left undecided, and the screening says what is missing.
        let step = i.step(rules: testRules, asOf: day)
        #expect(step.question == nil)
        #expect(step.screening?.programs.contains { $0.status == .needsInfo } == true)
    }

    @Test func theStateAndTheHouseholdCannotBeSkipped() throws {
        var i = Interview(screeningDate: day)
        let q = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(i.answer("skip", to: q, rules: testRules, asOf: day) == .failure(AnswerError("the state is needed to screen; expected a two-letter state code, such as CA")))
        _ = i.answer("VT", to: q, rules: testRules, asOf: day)
        let h = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(i.answer("SKIP", to: h, rules: testRules, asOf: day) == .failure(AnswerError("the household is needed to screen; expected a whole number from 1 to 20")))
    }

    @Test func backUndoesTheLastAnswerOrSkipAndAsksItAgain() throws {
        var i = Interview(state: "VT", screeningDate: day)
        let q1 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(i.answer("back", to: q1, rules: testRules, asOf: day) == .failure(AnswerError("there is no earlier answer to change")))
        _ = i.answer("2", to: q1, rules: testRules, asOf: day)
        let q2 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        let afterFirst = i.profile
        _ = i.answer("30", to: q2, rules: testRules, asOf: day)
        let q3 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        _ = i.answer("skip", to: q3, rules: testRules, asOf: day)
        #expect(i.skipped.contains(q3.fact))
        // back undoes the skip: the same question again
        #expect(i.answer("back", to: i.nextQuestion(rules: testRules, asOf: day)!, rules: testRules, asOf: day) == .success(.wentBack))
        #expect(i.skipped.isEmpty)
        #expect(i.nextQuestion(rules: testRules, asOf: day) == q3)
        // and then the answer before it
        #expect(i.answer("back", to: q3, rules: testRules, asOf: day) == .success(.wentBack))
        #expect(i.profile == afterFirst)
        #expect(i.nextQuestion(rules: testRules, asOf: day) == q2)
        #expect(i.answerCount == 1)
        // back over the household question removes the members
        #expect(i.answer("back", to: q2, rules: testRules, asOf: day) == .success(.wentBack))
        #expect(i.profile["members"] == nil)
        #expect(i.nextQuestion(rules: testRules, asOf: day) == q1)
    }

    @Test func doneStopsAtOnce() throws {
        var i = Interview(state: "VT", screeningDate: day)
        let q = try #require(i.nextQuestion(rules: testRules, asOf: day))
        _ = i.answer("1", to: q, rules: testRules, asOf: day)
        let q2 = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(i.answer(" Done ", to: q2, rules: testRules, asOf: day) == .success(.done))
        #expect(i.isDone)
        let step = i.step(rules: testRules, asOf: day)
        #expect(step.question == nil)
        #expect(step.screening?.programs.count == 2)
    }

    @Test func whyNamesWhatTheQuestionCouldSettle() throws {
        var i = Interview(profile: object(["members": [["relationship": "caregiver", "age": 30, "earned_income": 0], ["relationship": "child", "age": 3]],
                                    "resources": 0]), state: "VT", screeningDate: day)
        let q = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(q.fact == "housing")
        #expect(i.answer("why", to: q, rules: testRules, asOf: day) == .success(.why(["Shelter help [shelter_help]"])))
        #expect(i.answerCount == 0)
        _ = i.answer("shelter", to: q, rules: testRules, asOf: day)
        // Both programs are eligible now; whether they are unclaimed waits on the child-welfare stage.
        let next = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(next.fact == "child_welfare.stage")
        #expect(next.affects == ["unclaimed:cash", "unclaimed:shelter_help"])
        #expect(Interview.reasons(for: next, rules: testRules) == ["whether Cash help [cash] is unclaimed", "whether Shelter help [shelter_help] is unclaimed"])
        #expect(next.choices.map(\.value) == ["none", "investigation"])
        _ = i.answer("none", to: next, rules: testRules, asOf: day)
        // Shelter help's benefit waits on the rent.
        let rent = try #require(i.nextQuestion(rules: testRules, asOf: day))
        #expect(rent.fact == "rent" && rent.affects == ["benefit:shelter_help"])
        #expect(Interview.reasons(for: rent, rules: testRules) == ["the estimated benefit of Shelter help [shelter_help]"])
        #expect(next.choices.map(\.label) == ["No involvement", "Under investigation"])
        let state = Interview.question(.state, rules: testRules)
        #expect(Interview.reasons(for: state, rules: testRules) == ["every program: the state decides which programs apply"])
    }

    @Test func aWrongAnswerChangesNothing() throws {
        var i = Interview(state: "VT", screeningDate: day)
        let q = try #require(i.nextQuestion(rules: testRules, asOf: day))
        let before = i.profile
        for wrong in ["", "two", "0", "2.5", "$2"] {
            #expect(i.answer(wrong, to: q, rules: testRules, asOf: day) == .failure(AnswerError("expected a whole number from 1 to 20")))
        }
        #expect(i.profile == before)
        #expect(i.answerCount == 0)
        #expect(i.nextQuestion(rules: testRules, asOf: day) == q)
    }

    @Test func answersAreCheckedLikeAProfile() {
        // A birth date after the screening date is a profile error, so it is refused as an answer.
        var i = Interview(profile: object(["members": [["relationship": "caregiver"]]]), state: "VT", screeningDate: day)
        let q = Interview.Question(kind: .fact(.member(0, testRules.memberFactIndex["birth_date"]!)), fact: "members[0].birth_date",
                                   ask: "?", about: nil, affects: [], form: .date, choices: [])
        #expect(i.answer("2027-01-01", to: q, rules: testRules, asOf: day) == .failure(AnswerError("2027-01-01 is after the screening date 2026-11-01")))
        #expect(i.answer("1990-01-01", to: q, rules: testRules, asOf: day) == .success(.answered("1990-01-01")))
    }

    @Test func startsFromAPartialProfile() throws {
        let partial: JSONValue = ["case_id": "c9", "resources": .number("100"), "members": []]
        let i = try Interview.start(from: partial, state: "ma", caseId: nil, rules: testRules, asOf: day).get()
        #expect(i.profile["case_id"] == "c9")
        #expect(i.profile["state"] == "MA")
        #expect(i.profile["members"] == nil)
        #expect(i.profile["resources"] == .number("100"))
        #expect(i.nextQuestion(rules: testRules, asOf: day)?.kind == .householdSize)
        let renamed = try Interview.start(from: partial, state: nil, caseId: "c10", rules: testRules, asOf: day).get()
        #expect(renamed.profile["case_id"] == "c10")
        #expect(renamed.nextQuestion(rules: testRules, asOf: day)?.kind == .state)
        // Problems in the profile are reported; the missing state and members are not problems.
        let broken: JSONValue = ["resources": "lots", "housing": "sheltr"]
        guard case .failure(let errors) = Interview.start(from: broken, state: nil, caseId: nil, rules: testRules, asOf: day) else {
            Issue.record("a broken profile was accepted")
            return
        }
        #expect(errors.issues.map(\.description) == ["resources: expected an amount in dollars, such as 1200.50, got \"lots\"",
                                                     "housing: unknown value \"sheltr\"; did you mean \"shelter\"?"])
        guard case .failure(let bad) = Interview.start(from: nil, state: "Atlantis", caseId: nil, rules: testRules, asOf: day) else {
            Issue.record("a bad state was accepted")
            return
        }
        #expect(bad.issues.map(\.path) == ["state"])
    }

    @Test func theSameAnswersGiveTheSameQuestions() {
        let start = Interview(profile: object(["case_id": "t1", "state": "VT"]), screeningDate: day)
        let first = interview(start, answers: family)
        let second = interview(start, answers: family)
        #expect(first.1 == second.1)
        #expect(first.0.profile == second.0.profile)
    }

    @Test func repliesFromAFullProfile() {
        let hh = Interview.question(.householdSize, rules: testRules)
        #expect(Interview.reply(to: hh, from: family) == "2")
        let st = Interview.question(.state, rules: testRules)
        #expect(Interview.reply(to: st, from: family) == "VT")
        let q = Interview.Question(kind: .fact(.member(1, testRules.memberFactIndex["pregnant"]!)), fact: "members[1].pregnant",
                                   ask: "?", about: nil, affects: [], form: .yesNo, choices: [])
        #expect(Interview.reply(to: q, from: family) == "skip")
        #expect(Interview.value(at: "child_welfare.stage", in: family) == "investigation")
        #expect(Interview.value(at: "members[0].earned_income", in: family) == .number("900.00"))
        #expect(Interview.value(at: "members[5].age", in: family) == nil)
    }
}
