import Testing
@testable import Eligibility

/// Exact money at the line: limits compared to the cent, percentages of annual figures divided by 12,
/// household-size tables, and parameters chosen by the screening date.
struct MoneyBoundaryTests {
    static let rules = """
        fact income : money "Monthly income?"
        fact size : integer "Household size?"
        fact county : text "County?"
        member fact age : integer "Age?"

        let household_size = count members

        parameter guideline "Poverty guideline (annual)"
          cite "test"
          by household size
            from 2025-01-01: $15,650, $21,150, $26,650, $32,150, $37,650, $43,150, $48,650, $54,150; each additional $5,500
            from 2026-01-01: $15,960, $21,640, $27,320, $33,000, $38,680, $44,360, $50,040, $55,720; each additional $5,680
        end

        parameter flat_limit "A flat monthly limit"
          cite "test"
          from 2025-01-01: $100
          from 2025-07-01: $200
          from 2026-01-01: $300
        end

        parameter region "Payment region by county"
          cite "test"
          by county
            from 2025-01-01: "Alameda" 1, "Los Angeles" 1, otherwise 2
        end

        let gross_limit = 130% * guideline(household_size) / 12
        let gross_limit_reordered = guideline(household_size) / 12 * 130%
        let table_value = guideline(size)
        let flat = flat_limit
        let county_region = region(county)

        program under "Strictly under $1,829.00"
          cite "test"
          requirement income "Income under the limit"
            income < $1,829.00
        end

        program at_most "At most $1,829.00"
          cite "test"
          requirement income "Income within the limit"
            income <= $1,829.00
        end

        program gross "Gross income within 130% of the guideline"
          cite "test"
          requirement income "Gross income test"
            income <= gross_limit
        end

        program gross_strict "Gross income under 130% of the guideline"
          cite "test"
          requirement income "Gross income test"
            income < gross_limit
        end

        program reversed "The limit written first"
          cite "test"
          requirement income "Income within the limit"
            $1,829.00 >= income
        end

        program minimum "A minimum"
          cite "test"
          requirement income "Income above the minimum"
            income > $500
        end

        program minimum_first "A minimum written first"
          cite "test"
          requirement income "Income above the minimum"
            $500 < income
        end

        program dated "Income within the limit in force"
          cite "test"
          requirement income "Income within the flat limit"
            income <= flat_limit
        end
        """

    static func family(income: String, members: Int = 1, extra: String = "") -> String {
        let people = Array(repeating: #"{"age": 30}"#, count: members).joined(separator: ", ")
        return #"{"case_id": "m", "state": "CA", "income": \#(income), "members": [\#(people)]\#(extra)}"#
    }

    static func requirement(_ program: String, income: String, members: Int = 1, on date: String = "2025-09-01",
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RequirementResult {
        let rules = try Fixture.rules(Self.rules, sourceLocation: sourceLocation)
        let s = try Fixture.screen(rules, family(income: income, members: members), asOf: Fixture.day(date), sourceLocation: sourceLocation)
        let p = try #require(s.programs.first { $0.id == program }, sourceLocation: sourceLocation)
        return try #require(p.requirements.first, sourceLocation: sourceLocation)
    }

    // MARK: A fixed limit, to the cent

    @Test(arguments: [
        ("under", "1828.99", RequirementStatus.met), ("under", "1829.00", .notMet), ("under", "1829", .notMet),
        ("under", "1829.01", .notMet), ("under", "0", .met),
        ("at_most", "1828.99", .met), ("at_most", "1829.00", .met), ("at_most", "1829", .met), ("at_most", "1829.0", .met),
        ("at_most", "1829.01", .notMet), ("at_most", "100000", .notMet),
    ])
    func aFixedLimit(_ program: String, _ income: String, _ expected: RequirementStatus) throws {
        #expect(try Self.requirement(program, income: income).result == expected, "\(program) with \(income)")
    }

    @Test(arguments: [
        ("under", "1829.00", "Income under the limit: exactly at the limit of $1,829.00, which it must be under"),
        ("at_most", "1829.00", "Income within the limit: exactly at the limit of $1,829.00"),
        ("at_most", "1829.01", "Income within the limit: $0.01 over the limit of $1,829.00"),
        ("under", "1828.99", "Income under the limit: $0.01 under the limit of $1,829.00"),
        ("at_most", "1866", "Income within the limit: $37.00 over the limit of $1,829.00"),
    ])
    func theMarginIsExplainedToTheCent(_ program: String, _ income: String, _ text: String) throws {
        #expect(try Self.requirement(program, income: income).explanation == text)
    }

    /// Whichever side the limit is written on, the margin is the family's amount against the limit.
    @Test(arguments: [
        ("reversed", "1866", "Income within the limit: $37.00 over the limit of $1,829.00"),
        ("reversed", "1828.99", "Income within the limit: $0.01 under the limit of $1,829.00"),
        ("reversed", "1829", "Income within the limit: exactly at the limit of $1,829.00"),
        ("minimum", "400", "Income above the minimum: $100.00 short of the minimum of $500.00"),
        ("minimum", "500", "Income above the minimum: exactly at the minimum of $500.00, which it must exceed"),
        ("minimum", "600", "Income above the minimum: $100.00 above the minimum of $500.00"),
        ("minimum_first", "400", "Income above the minimum: $100.00 short of the minimum of $500.00"),
        ("minimum_first", "500", "Income above the minimum: exactly at the minimum of $500.00, which it must exceed"),
        ("minimum_first", "600", "Income above the minimum: $100.00 above the minimum of $500.00"),
    ])
    func theMarginIsAboutTheFamilyWhicheverSideTheLimitIsOn(_ program: String, _ income: String, _ text: String) throws {
        #expect(try Self.requirement(program, income: income).explanation == text)
    }

    // MARK: 130% of an annual guideline, monthly

    @Test func theGrossLimitIsKeptExact() throws {
        let rules = try Fixture.rules(Self.rules)
        let three = Self.family(income: "0", members: 3)
        // 130% * $26,650 / 12 = $34,645 / 12 = $2,887.0833...
        #expect(try Fixture.value("gross_limit", rules, three) == .number(Exact(34645, 12)))
        #expect(try Fixture.value("gross_limit_reordered", rules, three) == .number(Exact(34645, 12)))
    }

    @Test(arguments: [
        ("gross", "2887.08", RequirementStatus.met), ("gross", "2887.09", .notMet),
        ("gross_strict", "2887.08", .met), ("gross_strict", "2887.09", .notMet),
    ])
    func theGrossLimitIsComparedExactly(_ program: String, _ income: String, _ expected: RequirementStatus) throws {
        #expect(try Self.requirement(program, income: income, members: 3).result == expected, "\(program) with \(income)")
    }

    @Test func theGrossMarginNamesTheLimitToTheCent() throws {
        #expect(try Self.requirement("gross", income: "2900", members: 3).explanation
            == "Gross income test: $12.92 over the limit of $2,887.08")
    }

    // MARK: Household-size tables

    @Test(arguments: [
        (1, "15650"), (2, "21150"), (3, "26650"), (8, "54150"),
        (9, "59650"), (10, "65150"), (12, "76150"),   // each additional $5,500 beyond eight
    ])
    func householdSizeTable(_ size: Int, _ annual: String) throws {
        let rules = try Fixture.rules(Self.rules)
        #expect(try Fixture.value("table_value", rules, Self.family(income: "0", extra: #", "size": \#(size)"#)) == Fixture.number(annual))
    }

    @Test(arguments: [0, -1])
    func aHouseholdOfNoOneHasNoValue(_ size: Int) throws {
        let rules = try Fixture.rules(Self.rules)
        #expect(try Fixture.value("table_value", rules, Self.family(income: "0", extra: #", "size": \#(size)"#)) == .unknown)
    }

    @Test func householdSizeCountsMembers() throws {
        let rules = try Fixture.rules(Self.rules)
        // Ten people: $54,150 + 2 * $5,500 = $65,150 a year, 130% / 12 = $7,057.9166...
        #expect(try Fixture.value("gross_limit", rules, Self.family(income: "0", members: 10)) == .number(Exact(84695, 12)))
    }

    // MARK: Parameters by effective date

    @Test(arguments: [
        ("2025-01-01", "100"), ("2025-06-30", "100"), ("2025-07-01", "200"), ("2025-07-02", "200"),
        ("2025-12-31", "200"), ("2026-01-01", "300"), ("2030-05-05", "300"),
    ])
    func theValueInForceOnTheScreeningDate(_ date: String, _ amount: String) throws {
        let rules = try Fixture.rules(Self.rules)
        #expect(try Fixture.value("flat", rules, Self.family(income: "0"), asOf: Fixture.day(date)) == Fixture.number(amount))
    }

    @Test(arguments: [("2025-06-30", RequirementStatus.notMet), ("2025-07-01", .met)])
    func aRequirementChangesOnTheDayAValueTakesEffect(_ date: String, _ expected: RequirementStatus) throws {
        #expect(try Self.requirement("dated", income: "150", on: date).result == expected)
    }

    @Test func theScreeningDateInTheProfileWinsOverAsOf() throws {
        let rules = try Fixture.rules(Self.rules)
        let json = #"{"case_id": "m", "state": "CA", "screening_date": "2025-07-01", "members": [{}]}"#
        #expect(try Fixture.value("flat", rules, json, asOf: Fixture.day("2025-06-30")) == Fixture.number("200"))
    }

    @Test(arguments: [("2025-12-31", 3, Exact(34645, 12)), ("2026-01-01", 3, Exact(35516, 12)), ("2026-01-01", 9, Exact(79820, 12))])
    func tablesChangeOnTheirDateToo(_ date: String, _ members: Int, _ expected: Exact) throws {
        let rules = try Fixture.rules(Self.rules)
        // 2026: 130% * $27,320 = $35,516; nine people 130% * ($55,720 + $5,680) = $79,820.
        #expect(try Fixture.value("gross_limit", rules, Self.family(income: "0", members: members), asOf: Fixture.day(date)) == .number(expected))
    }

    @Test(arguments: [
        ("2025-12-31", "CA", 3, Exact(26650, 12)), ("2026-01-01", "CA", 3, Exact(27320, 12)),
        ("2025-06-01", "AK", 3, Exact(33310, 12)), ("2025-06-01", "HI", 1, Exact(17990, 12)),
        ("2025-06-01", "NY", 9, Exact(59650, 12)), ("2024-12-31", "CA", 2, Exact(20440, 12)),
    ])
    func theShippedPovertyLine(_ date: String, _ state: String, _ members: Int, _ monthly: Exact) throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        let people = Array(repeating: #"{"age": 30}"#, count: members).joined(separator: ", ")
        let json = #"{"case_id": "p", "state": "\#(state)", "members": [\#(people)]}"#
        #expect(try Fixture.value("poverty_line", rules, json, asOf: Fixture.day(date)) == .number(monthly))
    }

    // MARK: Keyed tables

    @Test(arguments: [("Alameda", "1"), ("alameda", "1"), ("LOS ANGELES", "1"), ("Fresno", "2"), ("", "2")])
    func countyTablesIgnoreCaseAndFallBackToOtherwise(_ county: String, _ region: String) throws {
        let rules = try Fixture.rules(Self.rules)
        #expect(try Fixture.value("county_region", rules, Self.family(income: "0", extra: #", "county": "\#(county)""#)) == Fixture.number(region))
    }

    @Test func anUnknownKeyGivesAnUnknownValue() throws {
        let rules = try Fixture.rules(Self.rules)
        #expect(try Fixture.value("county_region", rules, Self.family(income: "0")) == .unknown)
    }

    @Test func enumTables() throws {
        let rules = try Fixture.rules("""
            enum housing_status
              stable
              shelter
              unsheltered
            end
            fact housing : housing_status "Housing?"
            parameter allowance "Allowance by housing"
              cite "test"
              by housing_status
                from 2025-01-01: shelter $10, unsheltered $25.50, otherwise $0
            end
            let a = allowance(housing)
            """)
        for (housing, amount) in [("shelter", "10"), ("unsheltered", "25.50"), ("stable", "0")] {
            let json = #"{"case_id": "e", "state": "CA", "housing": "\#(housing)", "members": [{}]}"#
            #expect(try Fixture.value("a", rules, json) == Fixture.number(amount), "\(housing)")
        }
    }

    // MARK: Money as text

    @Test(arguments: [
        (Exact(1829), "$1,829.00"), (Exact(1, 2), "$0.50"), (Exact(-37), "-$37.00"), (Exact(0), "$0.00"),
        (Exact(100), "$100.00"), (Exact(999), "$999.00"), (Exact(1000), "$1,000.00"), (Exact(1_234_567_891, 1000), "$1,234,567.89"),
        (Exact(5, 1000), "$0.01"), (Exact(999_995, 1000), "$1,000.00"), (Exact(34645, 12), "$2,887.08"),
        (Exact(-5, 1000), "-$0.01"), (Exact(-4, 1000), "$0.00"),
    ])
    func moneyText(_ amount: Exact, _ text: String) {
        #expect(Presentation.money(amount) == text)
    }

    @Test(arguments: [(Exact(1018), "1018.00"), (Exact(34645, 12), "2887.08"), (Exact(1, 2), "0.50"), (Exact(-37), "-37.00")])
    func moneyNumbers(_ amount: Exact, _ text: String) {
        #expect(Presentation.moneyNumber(amount) == text)
    }
}
