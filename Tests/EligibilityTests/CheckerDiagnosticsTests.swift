import Testing
@testable import Eligibility

/// Golden tests of the checker's (and compiler's) diagnostics: the whole rendered text of each, with the
/// location, source line, caret, hint and notes. Re-record with `RECORD_GOLDEN=1 swift test --filter CheckerDiagnostics`.
struct CheckerDiagnosticsTests {
    /// Loads rule files (the prelude goes first in the first one), checks the rendering against `checker/<name>.txt`
    /// and returns the result for more specific checks.
    @discardableResult
    static func diagnose(_ name: String, _ files: [(path: String, text: String)], asOf: Day? = nil, prelude: Bool = true,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuleLoader.Result {
        var files = files
        if prelude { files[0].text = Fixture.prelude + files[0].text }
        let result = Fixture.load(files, asOf: asOf)
        assertGolden(DiagnosticRenderer(files: result.files).render(result.diagnostics), "checker/\(name).txt", filePath: Fixture.goldenAnchor, sourceLocation: sourceLocation)
        return result
    }

    static func diagnose(_ name: String, _ text: String, asOf: Day? = nil,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuleLoader.Result {
        diagnose(name, [("rules/test.rules", text)], asOf: asOf, sourceLocation: sourceLocation)
    }

    static func messages(_ r: RuleLoader.Result, _ severity: Diagnostic.Severity = .error) -> [String] {
        r.diagnostics.filter { $0.severity == severity }.map(\.message)
    }

    // MARK: Names

    @Test func unknownNames() {
        let r = Self.diagnose("unknown_name", """
            let household_size = count members
            program p "P"
              cite "manual"
              requirement r "R"
                houshold_size > 2 and household_size < 10
              requirement s "S"
                zzqqxx > 1
              requirement t "T"
                other > 1
            end
            program other "Other"
              cite "manual"
              requirement r "R" household_size > 0
            end
            """)
        #expect(Self.messages(r) == [
            "unknown name 'houshold_size'; did you mean 'household_size'?",
            "unknown name 'zzqqxx'",
            "'other' is a program, not a value",
        ])
        #expect(r.ruleSet == nil)
    }

    // MARK: Types

    @Test func moneyAgainstAnInteger() {
        let r = Self.diagnose("type_money_integer", """
            fact income : money "Monthly income?"
            program p "P"
              cite "manual"
              requirement r "Income under the limit"
                income < 1829
              requirement s "Income plus a disregard"
                income + 90 < $1,829
              benefit 100
            end
            """)
        #expect(Self.messages(r) == [
            "cannot compare money with integer",
            "cannot add money and integer",
            "'benefit' must be money, but this expression is integer",
        ])
        #expect(r.diagnostics.allSatisfy { $0.hint == "write money with a dollar sign, like $0 or $1,200.00" })
    }

    @Test func textAgainstAnInteger() {
        let r = Self.diagnose("type_text_integer", """
            fact county : text "County?"
            program p "P"
              cite "manual"
              requirement r "R"
                county = 5
              requirement s "S"
                county + 1 > 2
              requirement t "T"
                county
            end
            """)
        #expect(Self.messages(r) == [
            "cannot compare text with integer",
            "cannot add text and integer",
            "requirement 't' must be yes/no, but its expression is text",
        ])
    }

    @Test func unknownTypes() {
        let r = Self.diagnose("unknown_type", """
            enum color
              red
              green
            end
            fact income : mony "Income?"
            fact colors : set of colr "Colors?"
            fact start : dat "When?"
            """)
        #expect(Self.messages(r) == [
            "unknown type 'mony'; did you mean 'money'?",
            "unknown enum 'colr'; did you mean 'color'?",
            "unknown type 'dat'; did you mean 'date'?",
        ])
    }

    @Test func unknownEnumerationValues() {
        let r = Self.diagnose("unknown_enum_value", """
            enum housing_status
              stable
              shelter
              unsheltered
            end
            fact housing : housing_status "Where does the family live?"
            program p "P"
              cite "manual"
              requirement r "R"
                housing = shelterr
              requirement s "S"
                housing in [stable, "unshelterd"]
              requirement t "T"
                housing != castle
            end
            """)
        #expect(Self.messages(r) == [
            "unknown value 'shelterr' for enum 'housing_status'; did you mean 'shelter'?",
            "unknown value 'unshelterd' for enum 'housing_status'; did you mean 'unsheltered'?",
            "unknown value 'castle' for enum 'housing_status'",
        ])
    }

    @Test func memberFactsInAHouseholdValue() {
        let r = Self.diagnose("member_in_household", """
            member fact earned_income : money "Earnings?"
            member let works = earned_income > $0
            let total = earned_income + $1
            program p "P"
              cite "manual"
              requirement r "R" total < $100 and works
              requirement s "S" any member where works
            end
            """)
        #expect(Self.messages(r) == [
            "'earned_income' describes each member, not the household",
            "'works' describes each member, not the household",
        ])
    }

    // MARK: Duplicates

    @Test func duplicateIds() {
        let r = Self.diagnose("duplicate_ids", [
            ("rules/a.rules", """
                fact income : money "Income?"
                let income = $5
                program snap "SNAP"
                  cite "manual"
                  requirement r "R" income > $0
                  requirement r "R again" income > $1
                end
                """),
            ("rules/b.rules", """
                program snap "SNAP again"
                  cite "manual"
                  requirement r "R" income > $0
                end
                """),
        ])
        #expect(Self.messages(r) == [
            "duplicate name 'income'",
            "duplicate requirement in program 'snap': 'r'",
            "duplicate program 'snap'",
        ])
        #expect(r.diagnostics.filter { $0.severity == .error }.allSatisfy { $0.notes.count == 1 })
    }

    // MARK: Cycles

    @Test func cyclesAmongDerivedValues() {
        let r = Self.diagnose("let_cycle", """
            let a = b + 1
            let b = c + 1
            let c = a + 1
            let d = d * 2
            program p "P"
              cite "manual"
              requirement r "R" a > 1 and d > 1
            end
            """)
        #expect(Self.messages(r) == ["cycle among derived values: a -> b -> c -> a", "cycle among derived values: d -> d"])
    }

    @Test func aCycleThroughPrograms() {
        let r = Self.diagnose("program_cycle", """
            let helper = eligible(p2)
            program p1 "First"
              cite "manual"
              requirement r "R" helper
            end
            program p2 "Second"
              cite "manual"
              requirement r "R" not eligible(p1)
            end
            """)
        #expect(Self.messages(r) == ["cycle among programs and derived values: p1 -> helper -> p2 -> p1"])
    }

    // MARK: Parameters and dates

    static let limitParameter = """
        fact income : money "Income?"
        parameter limit "Monthly limit"
          cite "manual"
          from 2025-01-01: $1,000
          from 2025-07-01: $1,100
        end
        program p "P"
          cite "manual"
          requirement r "R" income < limit
        end
        """

    @Test func aParameterWithNoValueInForce() {
        let r = Self.diagnose("parameter_not_in_force", Self.limitParameter, asOf: Fixture.day("2024-12-31"))
        #expect(Self.messages(r) == ["parameter 'limit' has no value in force on 2024-12-31"])
        #expect(Fixture.load(Self.limitParameter, asOf: Fixture.day("2025-01-01")).ruleSet != nil)
    }

    @Test func twoValuesOnOneDate() {
        let r = Self.diagnose("effective_dates_same", """
            fact income : money "Income?"
            parameter limit "Monthly limit"
              cite "manual"
              from 2025-01-01: $1,000
              from 2025-01-01: $1,100
            end
            program p "P"
              cite "manual"
              requirement r "R" income < limit
            end
            """)
        #expect(Self.messages(r) == ["two values of 'limit' take effect on 2025-01-01"])
    }

    @Test func datesOutOfOrder() {
        let r = Self.diagnose("effective_dates_out_of_order", """
            fact income : money "Income?"
            parameter limit "Monthly limit"
              cite "manual"
              from 2025-07-01: $1,100
              from 2025-01-01: $1,000
              from 2025-02-30: $1,050
            end
            program p "P"
              cite "manual"
              requirement r "R" income < limit
            end
            """)
        #expect(Self.messages(r) == [
            "effective dates of 'limit' are out of order: 2025-01-01 comes after 2025-07-01",
            "invalid date '2025-02-30': month 2 of 2025 has 28 days",
        ])
    }

    /// The lexer reports impossible months and days; the checker reports only what the lexer lets through (year 0000),
    /// so each bad date gives one error, in a parameter row or in an expression.
    @Test func anInvalidDateIsReportedOnce() {
        let r = Self.diagnose("invalid_dates", """
            fact start : date "Start?"
            parameter limit "Monthly limit"
              cite "manual"
              from 2025-13-01: $1,000
            end
            let a = 2025-02-29
            let b = 0000-01-01
            program p "P"
              cite "manual"
              requirement r "R" a < start and b < start and limit > $0
            end
            """)
        #expect(Self.messages(r) == [
            "invalid date '2025-13-01': there is no month 13",
            "invalid date '2025-02-29': month 2 of 2025 has 28 days",
            "invalid date '0000-01-01'",
        ])
    }

    // MARK: Warnings

    @Test func warnings() {
        let r = Self.diagnose("warnings", """
            fact income : money "Income?"
            parameter unused_limit "Never used"
              cite "manual"
              from 2025-01-01: $5
            end
            parameter limit "Used, no citation"
              from 2025-01-01: $1,000
            end
            let unused_total = income * 2
            member fact age : integer "Age?"
            member let unused_child = age < 18
            program p "No citation anywhere"
              let spare = $3
              requirement r "R" income < limit
            end
            program q "Cited"
              cite "manual"
              requirement r "R" income > $0
            end
            """)
        #expect(Self.messages(r).isEmpty)
        #expect(r.ruleSet != nil)
        #expect(Self.messages(r, .warning) == [
            "parameter 'unused_limit' is never used",
            "parameter 'limit' has no citation",
            "derived value 'unused_total' is never used",
            "derived value 'unused_child' is never used",
            "program 'p' has no citation",
            "derived value 'spare' is never used in program 'p'",
            "requirement 'r' has no citation",
        ])
    }

    // MARK: Several errors in one run

    @Test func everyErrorSortedByLocationAcrossFiles() {
        let r = Self.diagnose("several_errors", [
            ("rules/a.rules", """
                fact income : money "Income?"
                program p "P"
                  cite "manual"
                  requirement r "R" incom < $10
                end
                let late = income + 1
                """),
            ("rules/b.rules", """
                fact size : integr "Size?"
                program q "Q"
                  cite "manual"
                  requirement r "R" income < 5
                  requirement s "S" eligible(pp)
                end
                """),
        ])
        #expect(r.diagnostics.errorCount == 5)
        // Sorted: by file in load order, then by position, whatever order the checker found them in.
        let places = r.diagnostics.map { d in (d.range.file, r.files[d.range.file].location(of: d.range.start).line) }
        #expect(places.map(\.0) == places.map(\.0).sorted())
        #expect(zip(places, places.dropFirst()).allSatisfy { $0.0 != $1.0 || $0.1 <= $1.1 })
    }

    // MARK: Compiling: what every rule set must declare

    @Test func noCaseIdFact() {
        let r = Self.diagnose("compile_no_case_id", [("rules/facts.rules", """
            fact state : text "State?"
            fact screening_date : date "Date?"
            fact stage : yes/no "Involved?"
            let involved_with_child_welfare = stage
            """)], prelude: false)
        #expect(Self.messages(r) == ["the rules declare no fact 'case_id'"])
        #expect(r.ruleSet == nil)
    }

    @Test func requiredFactsOfTheWrongType() {
        let r = Self.diagnose("compile_required_types", [("rules/facts.rules", """
            fact case_id : text "Case?"
            fact state : integer "State?"
            fact screening_date : text "Date?"
            let involved_with_child_welfare = 1
            """)], prelude: false)
        #expect(Self.messages(r) == [
            "fact 'state' must be text",
            "fact 'screening_date' must be a date",
            "'involved_with_child_welfare' must be yes/no",
        ])
    }

    // MARK: The shipped rules

    @Test func theShippedRulesHaveNoErrors() throws {
        let result = Fixture.shipped
        #expect(result.diagnostics.errorCount == 0, "\(result.renderedDiagnostics())")
        #expect(result.ruleSet != nil)
        #expect(!result.files.isEmpty)
    }

    @Test func theShippedRulesOnADateBeforeTheirParameters() throws {
        let result = try RuleLoader.load(directory: Fixture.packageRoot.appendingPathComponent("rules").path, asOf: Fixture.day("2022-12-31"))
        #expect(result.ruleSet == nil)
        let messages = Set(result.diagnostics.filter { $0.severity == .error }.map(\.message))
        #expect(messages.isSuperset(of: [
            "parameter 'fpg' has no value in force on 2022-12-31",
            "parameter 'fpg_alaska' has no value in force on 2022-12-31",
            "parameter 'fpg_hawaii' has no value in force on 2022-12-31",
        ]))
        #expect(messages.allSatisfy { $0.hasPrefix("parameter '") && $0.hasSuffix("' has no value in force on 2022-12-31") })
    }
}
