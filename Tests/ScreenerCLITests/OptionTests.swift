import Foundation
import Testing

/// The options not exercised elsewhere, each through the built binary.
@Suite struct OptionTests {
    static let families = BatchTests.caseload(4)
    static let csv = """
    case_id,state,screening_date,enrolled,child_welfare.stage,relationship,age,earned_income,unearned_income
    h1,TX,2026-11-01,none,investigation,caregiver,30,800,0
    h1,TX,2026-11-01,none,investigation,child,4,,
    """

    @Test func briefDetailLeavesOutTextAndFullKeepsIt() throws {
        let brief = try runScreener(["batch", "-", "--detail", "brief", "--as-of", "2026-11-01"], stdin: Data(Self.families.utf8))
        let full = try runScreener(["batch", "-", "--detail", "full", "--as-of", "2026-11-01"], stdin: Data(Self.families.utf8))
        #expect(brief.status == 0 && full.status == 0)
        let b = brief.stdout.split(separator: "\n"), f = full.stdout.split(separator: "\n")
        #expect(b.count == 4 && f.count == 4)
        #expect(!b[0].contains("\"explanation\"") && !b[0].contains("\"questions\"") && !b[0].contains("\"cite\""))
        #expect(f[0].contains("\"explanation\"") && f[0].contains("\"questions\"") && f[0].contains("\"cite\""))
        #expect(b[0].hasPrefix(#"{"case_id":"c-1","screening_date":"2026-11-01","rules":"sha256:"#))
    }

    @Test func csvFromStandardInputNeedsTheInputFormat() throws {
        let asCSV = try runScreener(["batch", "-", "--input-format", "csv", "--output-format", "csv", "--as-of", "2026-11-01"], stdin: Data(Self.csv.utf8))
        #expect(asCSV.status == 0)
        let rows = asCSV.stdout.split(separator: "\n")
        #expect(rows.first == "case_id,screening_date,state,program,name,status,enrolled,unclaimed,estimated_monthly_benefit,missing,prevention_tier,referrals,rules")
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("h1,2026-11-01,TX,") })
        // Read as JSON Lines (the default for standard input), every line is an error, and each is counted.
        let asJSON = try runScreener(["batch", "-", "--as-of", "2026-11-01"], stdin: Data(Self.csv.utf8))
        #expect(asJSON.status == 1)
        #expect(asJSON.stderr.contains("records read: 3, screened: 0, errors: 3 (all accounted for)"))
        let bad = try runScreener(["batch", "-", "--input-format", "xml"], stdin: Data())
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error: --input-format must be jsonl or csv, got 'xml'\n"))
        let badOut = try runScreener(["batch", "-", "--output-format", "xml"], stdin: Data())
        #expect(badOut.stderr.hasPrefix("error: --output-format must be jsonl or csv, got 'xml'\n"))
    }

    @Test func parseOnlyValidatesWithoutScreening() throws {
        let input = Self.families + #"{"case_id":"x","state":"CA","members":[{"age":"four"}]}"# + "\n"
        let run = try runScreener(["batch", "-", "--parse-only", "--no-progress", "--as-of", "2026-11-01"], stdin: Data(input.utf8))
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.contains(#""path":"members[0].age","message":"expected a whole number from 0 to 120, got \"four\"""#))
        #expect(run.stderr.contains("records read: 5, screened: 4, errors: 1 (all accounted for)"))
    }

    @Test func strictBatchRefusesUnknownFields() throws {
        let input = #"{"case_id":"x","state":"CA","screening_date":"2026-11-01","members":[{"age":30}],"favourite_colour":"blue"}"# + "\n"
        let lenient = try runScreener(["batch", "-"], stdin: Data(input.utf8))
        #expect(lenient.status == 0)
        let strict = try runScreener(["batch", "-", "--strict"], stdin: Data(input.utf8))
        #expect(strict.status == 1)
        #expect(strict.stderr.contains(#""path":"favourite_colour","message":"unknown field"}"#))
    }

    @Test func screenAndBatchRefuseBrokenRules() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("rules"), to: rules)
        try "let broken = nonsense_name + 1\n".write(to: rules.appendingPathComponent("broken.rules"), atomically: true, encoding: .utf8)
        for command in [["screen", "examples/kinship-grandmother-ca.json"], ["batch", "examples/caseload-small.jsonl"]] {
            let run = try runScreener(command + ["--rules", rules.path])
            #expect(run.status == 2)
            #expect(run.stdout == "")
            #expect(run.stderr.contains("broken.rules:1:14: error: unknown name 'nonsense_name'"))
            #expect(run.stderr.hasSuffix("error: the rules in '\(rules.path)' have 1 error(s); run 'screener check' for details\n"))
        }
    }

    @Test func checkAsOfAndTestCoverage() throws {
        let early = try runScreener(["check", "--as-of", "2022-12-31", "--no-warnings"])
        #expect(early.status == 2)
        #expect(early.stderr.contains("error: parameter 'fpg' has no value in force on 2022-12-31"))
        let coverage = try runScreener(["test", "--coverage"])
        #expect(coverage.status == 0)
        #expect(coverage.stdout.contains("not yet seen both ways:\n  "))
        #expect(coverage.stdout.hasSuffix(" passed, 0 failed\n"))
    }
}
