import Foundation
import Testing

/// `screener screen` on bad input: one clear line and exit 2, never a crash or a stack trace.
@Suite struct ScreenInputTests {
    static let valid = #"{"case_id":"x1","state":"CA","county":"Fresno","screening_date":"2026-11-01","members":[{"relationship":"caregiver","age":30,"earned_income":0}]}"#

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let input: [UInt8]
        let expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", input: Array(#"{"case_id": "x1", "state": }"#.utf8),
             expected: "error: <stdin>: invalid JSON: column 28: expected a JSON value, found '}' (at state)\n"),
        Case(name: "empty input", input: [], expected: "error: <stdin>: empty input: expected a JSON family profile\n"),
        Case(name: "whitespace only", input: Array("  \n\n".utf8), expected: "error: <stdin>: empty input: expected a JSON family profile\n"),
        Case(name: "not an object", input: Array("[1, 2]".utf8), expected: "error: <stdin>: expected a JSON object (one family profile), got an array\n"),
        Case(name: "wrong type", input: Array(#"{"case_id":"x1","state":"CA","members":[{"age":"four"}]}"#.utf8),
             expected: "error: <stdin>: members[0].age: expected a whole number from 0 to 120, got \"four\"\n"),
        Case(name: "missing required fields", input: Array(#"{"county":"Fresno"}"#.utf8),
             expected: "error: <stdin>: case_id: required field is missing\nerror: <stdin>: state: required field is missing\nerror: <stdin>: members: required field is missing: list everyone living in the home\n"),
        Case(name: "non-UTF-8 bytes", input: Array(#"{"case_id":"x"#.utf8) + [0xFF, 0xFE] + Array(#"","state":"CA","members":[{}]}"#.utf8),
             expected: "error: <stdin>: invalid JSON: column 14: invalid UTF-8 byte 0xFF at byte offset 13 (at case_id)\n"),
    ]

    @Test(arguments: cases)
    func badInputGetsOneClearError(_ c: Case) throws {
        let run = try runScreener(["screen", "-", "--as-of", "2026-11-01"], stdin: Data(c.input))
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == c.expected)
    }

    @Test func tenThousandMembersIsRefused() throws {
        let member = #"{"relationship":"child","age":3}"#
        let json = #"{"case_id":"big","state":"CA","members":["# + Array(repeating: member, count: 10_000).joined(separator: ",") + "]}"
        let run = try runScreener(["screen", "-", "--as-of", "2026-11-01"], stdin: Data(json.utf8))
        #expect(run.status == 2)
        #expect(run.stderr == "error: <stdin>: members: expected at most 100 people in one household, got 10000\n")
    }

    @Test func fiftyMegabyteFileIsRefusedWithoutReadingIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("huge.json").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = FileHandle(forWritingAtPath: path)!
        try handle.truncate(atOffset: 50 * 1024 * 1024)
        try handle.close()
        let run = try runScreener(["screen", path, "--as-of", "2026-11-01"])
        #expect(run.status == 2)
        #expect(run.stderr == "error: \(path): 52428800 bytes is too large for one profile (at most 10485760); use 'screener batch' for caseloads\n")
    }

    @Test func missingFileAndBadOptions() throws {
        let missing = try runScreener(["screen", "no/such/file.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: cannot read 'no/such/file.json': no such file\n")
        let format = try runScreener(["screen", "-", "--format", "xml"], stdin: Data(Self.valid.utf8))
        #expect(format.status == 2)
        #expect(format.stderr.hasPrefix("error: --format must be text or json, got 'xml'\n"))
        let option = try runScreener(["screen", "-", "--fromat", "json"], stdin: Data(Self.valid.utf8))
        #expect(option.status == 2)
        #expect(option.stderr.hasPrefix("error: unknown option '--fromat'; did you mean '--format'?\n"))
        let date = try runScreener(["screen", "-", "--as-of", "2026-13-01"], stdin: Data(Self.valid.utf8))
        #expect(date.status == 2)
        #expect(date.stderr.hasPrefix("error: --as-of expects a date as YYYY-MM-DD, got '2026-13-01'\n"))
    }

    @Test func unknownFieldWarnsAndStrictRefuses() throws {
        let json = #"{"case_id":"x1","state":"CA","screening_date":"2026-11-01","members":[{"relationship":"caregiver","age":30}],"housng":"stable"}"#
        let lenient = try runScreener(["screen", "-", "--format", "json"], stdin: Data(json.utf8))
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("housng: unknown field; did you mean 'housing'? (ignored)"))
        let strict = try runScreener(["screen", "-", "--strict"], stdin: Data(json.utf8))
        #expect(strict.status == 2)
        #expect(strict.stderr == "error: <stdin>: housng: unknown field; did you mean 'housing'?\n")
    }

    @Test func jsonIsByteIdenticalAcrossRuns() throws {
        let a = try runScreener(["screen", "-", "--format", "json"], stdin: Data(Self.valid.utf8))
        let b = try runScreener(["screen", "-", "--format", "json"], stdin: Data(Self.valid.utf8))
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("\"rules\": \"sha256:"))
    }
}

extension ScreenInputTests {
    @Test func hugeAndTinyAmountsAreNamed() throws {
        let json = #"{"case_id":"a","state":"CA","resources":12345678901234567890,"rent":1e308,"vehicle_value":-1e308,"members":[{"age":3,"earned_income":999999999.99,"unearned_income":1.5e-300}]}"#
        let run = try runScreener(["screen", "-", "--as-of", "2026-11-01"], stdin: Data(json.utf8))
        #expect(run.status == 2)
        #expect(run.stderr == """
        error: <stdin>: resources: expected an amount under $1,000,000,000.00, got 12345678901234567890
        error: <stdin>: rent: expected an amount under $1,000,000,000.00, got 1e308
        error: <stdin>: vehicle_value: expected an amount of at least 0, got -1e308
        error: <stdin>: members[0].unearned_income: expected an amount with at most two decimals (whole cents), got 1.5e-300

        """)
    }
}
