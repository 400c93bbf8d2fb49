import Foundation
import Testing

/// `screener check` and `screener test` on the shipped rules and on broken copies, through the built binary.
@Suite struct CheckAndTestCommandTests {
    /// A copy of the shipped rules with one file replaced or added.
    func rules(with name: String, _ text: String) throws -> URL {
        let dir = try temporaryDirectory()
        let copy = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("rules"), to: copy)
        try text.write(to: copy.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return copy
    }

    @Test func checkIsSilentOnTheShippedRules() throws {
        let run = try runScreener(["check", "--no-warnings"])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        #expect(run.stderr == "")
    }

    @Test func checkReportsEveryErrorWithCaretAndExitsTwo() throws {
        let dir = try rules(with: "zz-broken.rules", """
        let a = houshold_size + 1
        let b = resources < 100
        parameter x "x"
          from 2025-01-01: $1
          from 2024-01-01: $2
        end
        """)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let run = try runScreener(["check", "--rules", dir.path, "--no-warnings"])
        #expect(run.status == 2)
        let path = dir.appendingPathComponent("zz-broken.rules").path
        #expect(run.stderr.contains("""
        \(path):1:9: error: unknown name 'houshold_size'; did you mean 'household_size'?
        let a = houshold_size + 1
                ^~~~~~~~~~~~~
        """))
        #expect(run.stderr.contains("""
        \(path):2:9: error: cannot compare money with integer
        let b = resources < 100
                ^~~~~~~~~~~~~~~
        hint: write money with a dollar sign, like $0 or $1,200.00
        """))
        #expect(run.stderr.contains("\(path):5:8: error: effective dates of 'x' are out of order: 2024-01-01 comes after 2025-01-01"))
        let files = FileManager.default.enumerator(atPath: dir.path)!.compactMap { ($0 as? String)?.hasSuffix(".rules") == true ? $0 : nil }.count
        #expect(run.stderr.hasSuffix("3 errors, 4 warnings in \(files) rule files (warnings not shown)\n"))
    }

    @Test func testRunsTheShippedCasesAndFailsWithExpectedVersusActual() throws {
        let passing = try runScreener(["test"])
        #expect(passing.status == 0)
        #expect(passing.stdout.contains(" passed, 0 failed\n"))

        let dir = try rules(with: "zz-wrong-expectation.rules", """
        test "a wrong expectation fails"
          given { "case_id": "t", "state": "TX", "screening_date": "2026-11-01",
                  "members": [ { "relationship": "caregiver", "age": 30, "earned_income": 5000, "unearned_income": 0 } ] }
          expect snap eligible
          expect tier tertiary
        end
        """)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let failing = try runScreener(["test", "--rules", dir.path, "--filter", "a wrong expectation"])
        #expect(failing.status == 1)
        #expect(failing.stdout.hasSuffix("rules: 0 passed, 1 failed\n"))
        #expect(failing.stderr.contains("error: test \"a wrong expectation fails\" failed: expected snap eligible, got needs_info"))
        #expect(failing.stderr.contains("error: test \"a wrong expectation fails\" failed: expected tier tertiary, got primary"))
    }

    @Test func missingRulesDirectoryIsExitTwo() throws {
        let run = try runScreener(["check", "--rules", "no/such/rules"])
        #expect(run.status == 2)
        #expect(run.stderr == "error: rules directory 'no/such/rules' does not exist\n")
    }

    @Test func unknownCommandSuggests() throws {
        let run = try runScreener(["scren"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: unknown command 'scren'; did you mean 'screen'?\n"))
    }
}
