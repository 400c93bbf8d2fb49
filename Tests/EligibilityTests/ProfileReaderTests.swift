import Testing
@testable import Eligibility

/// Reading and validating family profiles (the JSON contract) against the shipped fact declarations.
struct ProfileReaderTests {
    static var rules: RuleSet {
        guard let r = Fixture.shipped.ruleSet else { fatalError("the shipped rules do not load:\n\(Fixture.shipped.renderedDiagnostics())") }
        return r
    }

    static let threeMembers = #"[{"relationship": "caregiver", "age": 30}, {"relationship": "child", "age": 4}, {"relationship": "child", "age": 7}]"#

    /// A valid profile of three, with `fields` (JSON members without braces) added to the household.
    static func family(_ fields: String = "", members: String = threeMembers) -> String {
        #"{"case_id": "c1", "state": "CA", "screening_date": "2025-09-01", "members": \#(members)\#(fields.isEmpty ? "" : ", " + fields)}"#
    }

    static func issues(_ json: String, strict: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        Fixture.issues(rules, json, strict: strict, sourceLocation: sourceLocation)
    }

    static func read(_ json: String, asOf: Day = Fixture.day("2025-09-01"), strict: Bool = false) -> Result<Profile, ProfileErrors> {
        ProfileReader(rules: rules).read(json: Array(json.utf8), asOf: asOf, strict: strict)
    }

    static let programs = "tanf, snap, wic, medicaid, chip, ssi, liheap, child_care_subsidy, head_start, early_head_start, housing_voucher, supportive_housing"

    // MARK: One bad field, one exact message

    @Test(arguments: [
        // whole numbers and their ranges
        (family(members: #"[{"age": 30}, {"age": 4}, {"age": "four"}]"#), #"members[2].age: expected a whole number from 0 to 120, got "four""#),
        (family(members: #"[{"age": 121}]"#), "members[0].age: expected a whole number from 0 to 120, got 121"),
        (family(members: #"[{"age": -1}]"#), "members[0].age: expected a whole number from 0 to 120, got -1"),
        (family(members: #"[{"age": 4.5}]"#), "members[0].age: expected a whole number from 0 to 120, got 4.5"),
        (family(members: #"[{"age": 30, "pregnancy_month": 10}]"#), "members[0].pregnancy_month: expected a whole number from 1 to 9, got 10"),
        (family(members: #"[{"age": 30, "pregnancy_month": 0}]"#), "members[0].pregnancy_month: expected a whole number from 1 to 9, got 0"),
        (family(members: #"[{"age": 30, "tanf_months_used": true}]"#), "members[0].tanf_months_used: expected a whole number from 0 to 1000, got true"),
        // enumerations
        (family(#""housing": "shelterr""#), #"housing: unknown value "shelterr"; did you mean "shelter"?"#),
        (family(#""housing": "castle""#), #"housing: unknown value "castle"; expected one of stable, at_risk, doubled_up, shelter, unsheltered"#),
        (family(#""housing": 3"#), "housing: expected one of stable, at_risk, doubled_up, shelter, unsheltered, got 3"),
        (family(#""child_welfare": {"stage": "investigaton"}"#), #"child_welfare.stage: unknown value "investigaton"; did you mean "investigation"?"#),
        (family(members: #"[{"relationship": "Child"}]"#), #"members[0].relationship: unknown value "Child"; did you mean "child"?"#),
        (family(#""enrolled": ["snap", "snapp"]"#), #"enrolled[1]: unknown value "snapp"; did you mean "snap"?"#),
        (family(#""enrolled": [1]"#), "enrolled[0]: expected one of \(programs), got 1"),
        (family(#""enrolled": "snap""#), #"enrolled: expected a list of \#(programs), got "snap""#),
        // money
        (family(#""resources": -5"#), "resources: expected an amount of at least 0, got -5"),
        (family(#""rent": 100.005"#), "rent: expected an amount with at most two decimals (whole cents), got 100.005"),
        (family(#""rent": "100""#), #"rent: expected an amount in dollars, such as 1200.50, got "100""#),
        (family(members: #"[{"age": 30, "earned_income": -0.01}]"#), "members[0].earned_income: expected an amount of at least 0, got -0.01"),
        // dates
        (family(members: #"[{"birth_date": "2025-02-30"}]"#), #"members[0].birth_date: expected a real calendar date as YYYY-MM-DD, got "2025-02-30""#),
        (family(members: #"[{"birth_date": "2025-2-3"}]"#), #"members[0].birth_date: expected a date as YYYY-MM-DD, got "2025-2-3""#),
        (family(members: #"[{"birth_date": 20250101}]"#), "members[0].birth_date: expected a date as YYYY-MM-DD, got 20250101"),
        (#"{"case_id": "c1", "state": "CA", "screening_date": "2025-13-01", "members": [{}]}"#,
         #"screening_date: expected a real calendar date as YYYY-MM-DD, got "2025-13-01""#),
        // other JSON types
        (family(#""utility_shutoff_notice": "yes""#), #"utility_shutoff_notice: expected true or false, got "yes""#),
        (family(members: #"[{"disabled": 1}]"#), "members[0].disabled: expected true or false, got 1"),
        (family(#""county": true"#), "county: expected text, got true"),
        (family(members: #"[{"id": 5}]"#), "members[0].id: expected text, got 5"),
        (family(#""child_welfare": "none""#), #"child_welfare: expected an object, got "none""#),
        (family(#""child_welfare": ["none"]"#), "child_welfare: expected an object, got a list"),
        (family(#""consent_to_share": {}"#), "consent_to_share: expected true or false, got an object"),
    ])
    func aBadField(_ json: String, _ message: String) {
        #expect(Self.issues(json) == [message])
    }

    // MARK: Required fields and members

    @Test(arguments: [
        (#"{"state": "CA", "members": [{}]}"#, "case_id: required field is missing"),
        (#"{"case_id": null, "state": "CA", "members": [{}]}"#, "case_id: required field is missing"),
        (#"{"case_id": "", "state": "CA", "members": [{}]}"#, "case_id: must not be empty"),
        (#"{"case_id": 42, "state": "CA", "members": [{}]}"#, "case_id: expected text, got 42"),
        (#"{"case_id": "c", "members": [{}]}"#, "state: required field is missing"),
        (#"{"case_id": "c", "state": null, "members": [{}]}"#, "state: required field is missing"),
        (#"{"case_id": "c", "state": 6, "members": [{}]}"#, "state: expected text, got 6"),
        (#"{"case_id": "c", "state": "CA"}"#, "members: required field is missing: list everyone living in the home"),
        (#"{"case_id": "c", "state": "CA", "members": null}"#, "members: required field is missing: list everyone living in the home"),
        (#"{"case_id": "c", "state": "CA", "members": []}"#, "members: expected at least one member, got an empty list"),
        (#"{"case_id": "c", "state": "CA", "members": {}}"#, "members: expected a list of people, got an object"),
        (#"{"case_id": "c", "state": "CA", "members": "three"}"#, #"members: expected a list of people, got "three""#),
        (#"{"case_id": "c", "state": "CA", "members": [{}, 5]}"#, "members[1]: expected an object describing one person, got 5"),
        (#"{"case_id": "c", "state": "CA", "members": [[]]}"#, "members[0]: expected an object describing one person, got a list"),
    ])
    func requiredFields(_ json: String, _ message: String) {
        #expect(Self.issues(json) == [message])
    }

    @Test func atMostOneHundredMembers() throws {
        let people = { (n: Int) in "[" + Array(repeating: #"{"age": 20}"#, count: n).joined(separator: ", ") + "]" }
        #expect(Self.issues(Self.family(members: people(101))) == ["members: expected at most 100 people in one household, got 101"])
        let profile = try Self.read(Self.family(members: people(100))).get()
        #expect(profile.facts.memberCount == 100)
    }

    @Test func notJSONOrNotAnObject() throws {
        #expect(Self.issues("[]") == ["expected a JSON object (one family profile), got an array"])
        #expect(Self.issues(#""CA""#) == ["expected a JSON object (one family profile), got a string"])
        let broken = Self.issues(#"{"case_id": "c1", "state": "CA""#)
        #expect(broken.count == 1)
        #expect(broken.first?.hasPrefix("invalid JSON: ") == true, "\(broken)")
    }

    @Test func everyProblemIsReportedWithTheCaseId() throws {
        let json = #"{"case_id": "c9", "state": "California", "housing": "castle", "members": [{"age": "four"}, {"age": 4, "pregnancy_month": 12}]}"#
        guard case .failure(let errors) = Self.read(json) else { Issue.record("expected errors"); return }
        #expect(errors.caseId == "c9")
        #expect(errors.issues.map(\.description) == [
            #"housing: unknown value "castle"; expected one of stable, at_risk, doubled_up, shelter, unsheltered"#,
            #"state: expected a two-letter USPS state code such as CA, got "California"; did you mean 'CA'?"#,
            #"members[0].age: expected a whole number from 0 to 120, got "four""#,
            "members[1].pregnancy_month: expected a whole number from 1 to 9, got 12",
        ])
        #expect(errors.description == errors.issues.map(\.description).joined(separator: "\n"))
    }

    // MARK: Unknown fields

    @Test(arguments: [
        (family(#""housng": "stable""#), "housng: unknown field; did you mean 'housing'?"),
        (family(#""zzzz": 1"#), "zzzz: unknown field"),
        (family(#""member": []"#), "member: unknown field; did you mean 'members'?"),
        (family(#""child_welfare": {"stag": "none"}"#), "child_welfare.stag: unknown field; did you mean 'stage'?"),
        (family(members: #"[{"agee": 4}]"#), "members[0].agee: unknown field; did you mean 'age'?"),
    ])
    func unknownFieldsWarnOrFailWhenStrict(_ json: String, _ message: String) throws {
        let profile = try Self.read(json).get()
        #expect(profile.warnings == [message + " (ignored)"])
        #expect(Self.issues(json, strict: true) == [message])
    }

    // MARK: State

    @Test(arguments: [("CA", "CA"), ("ca", "CA"), ("Ny", "NY"), ("dc", "DC"), ("PR", "PR")])
    func stateCodesAreNormalised(_ given: String, _ code: String) throws {
        let profile = try Self.read(#"{"case_id": "c", "state": "\#(given)", "members": [{}]}"#).get()
        #expect(profile.state == code)
        guard case .text(let ref) = profile.facts.household[Self.rules.stateSlot] else { Issue.record("state is not text"); return }
        #expect(Evaluator(rules: Self.rules, facts: profile.facts).string(ref) == code)
    }

    @Test(arguments: [
        ("California", #"state: expected a two-letter USPS state code such as CA, got "California"; did you mean 'CA'?"#),
        ("new york", #"state: expected a two-letter USPS state code such as CA, got "new york"; did you mean 'NY'?"#),
        ("XX", #"state: expected a two-letter USPS state code such as CA, got "XX""#),
        ("", #"state: expected a two-letter USPS state code such as CA, got """#),
        ("C A", #"state: expected a two-letter USPS state code such as CA, got "C A""#),
    ])
    func stateNamesAreNotCodes(_ given: String, _ message: String) {
        #expect(Self.issues(#"{"case_id": "c", "state": "\#(given)", "members": [{}]}"#) == [message])
    }

    // MARK: Dates

    @Test func theScreeningDateDefaultsToAsOf() throws {
        let profile = try Self.read(#"{"case_id": "c", "state": "CA", "members": [{}]}"#, asOf: Fixture.day("2025-03-04")).get()
        #expect(profile.screeningDate == Fixture.day("2025-03-04"))
        #expect(profile.facts.household[Self.rules.screeningDateSlot] == .date(Fixture.day("2025-03-04")))
        let dated = try Self.read(#"{"case_id": "c", "state": "CA", "screening_date": "2025-10-01", "members": [{}]}"#, asOf: Fixture.day("2025-03-04")).get()
        #expect(dated.screeningDate == Fixture.day("2025-10-01"))
    }

    @Test func aBirthDateAfterTheScreeningDate() throws {
        #expect(Self.issues(Self.family(members: #"[{"age": 30}, {"birth_date": "2025-09-02"}]"#))
            == ["members[1].birth_date: 2025-09-02 is after the screening date 2025-09-01"])
        // Born on the screening date is fine.
        _ = try Self.read(Self.family(members: #"[{"birth_date": "2025-09-01"}]"#)).get()
    }

    @Test(arguments: [
        ("2007-09-02", "2025-09-01", 17), ("2007-09-02", "2025-09-02", 18), ("2020-02-29", "2025-02-28", 4),
        ("2020-02-29", "2025-03-01", 5), ("2025-09-01", "2025-09-01", 0),
    ])
    func ageIsComputedFromTheBirthDateOnTheScreeningDate(_ born: String, _ screened: String, _ age: Int) throws {
        let json = #"{"case_id": "c", "state": "CA", "screening_date": "\#(screened)", "members": [{"birth_date": "\#(born)"}]}"#
        let profile = try Self.read(json).get()
        let ageSlot = try #require(Self.rules.memberFactIndex["age"])
        #expect(profile.facts[member: 0, fact: ageSlot] == .unknown)   // not filled in by reading...
        let evaluator = Evaluator(rules: Self.rules, facts: profile.facts)
        #expect(evaluator.memberFact(ageSlot, member: 0) == Fixture.number(String(age)))  // ...but by every read of 'age'
    }

    @Test func aGivenAgeWinsOverTheBirthDate() throws {
        let json = #"{"case_id": "c", "state": "CA", "screening_date": "2025-09-01", "members": [{"age": 40, "birth_date": "2020-01-01"}]}"#
        let profile = try Self.read(json).get()
        let ageSlot = try #require(Self.rules.memberFactIndex["age"])
        #expect(Evaluator(rules: Self.rules, facts: profile.facts).memberFact(ageSlot, member: 0) == Fixture.number("40"))
    }

    @Test(arguments: [(-1, true), (0, false)])
    func aScreeningDateBeforeAnyRuleIsInForce(_ offset: Int, _ rejected: Bool) {
        let earliest = Self.rules.earliestParameterDate!
        let date = earliest.adding(days: offset)!.description
        let message = "screening_date: no rules are in force on \(date): the earliest parameter value takes effect on \(earliest)"
        let inProfile = #"{"case_id": "c", "state": "CA", "screening_date": "\#(date)", "members": [{}]}"#
        let fromAsOf = #"{"case_id": "c", "state": "CA", "members": [{}]}"#
        for result in [Self.read(inProfile), Self.read(fromAsOf, asOf: Fixture.day(date))] {
            switch result {
            case .success: #expect(!rejected)
            case .failure(let e): #expect(rejected && e.issues.map(\.description) == [message], "\(e)")
            }
        }
    }

    // MARK: Values read

    @Test func valuesAreReadExactlyAndAbsenceIsUnknown() throws {
        let json = Self.family(#""resources": 1829.00, "rent": null, "housing": "shelter", "enrolled": ["snap", "wic"], "child_welfare": {"stage": "investigation", "substantiated": false}, "consent_to_share": true"#,
                               members: #"[{"age": 30, "earned_income": 1200.5}, {"age": 4.0}]"#)
        let profile = try Self.read(json).get()
        let r = Self.rules
        func household(_ name: String) throws -> Value { profile.facts.household[try #require(r.householdFactIndex[name])] }
        func member(_ m: Int, _ name: String) throws -> Value { profile.facts[member: m, fact: try #require(r.memberFactIndex[name])] }
        #expect(profile.caseId == "c1")
        #expect(profile.warnings.isEmpty)
        #expect(try household("resources") == Fixture.number("1829"))
        #expect(try household("rent") == .unknown)
        #expect(try household("vehicle_value") == .unknown)
        #expect(try household("housing") == .enumeration(3))
        #expect(try household("enrolled") == .set(0b110))
        #expect(try household("child_welfare.stage") == .enumeration(3))
        #expect(try household("child_welfare.substantiated") == .bool(false))
        #expect(try household("consent_to_share") == .bool(true))
        #expect(try member(0, "earned_income") == .number(Exact(2401, 2)))
        #expect(try member(1, "age") == Fixture.number("4"))
        #expect(try member(1, "earned_income") == .unknown)
    }
}
