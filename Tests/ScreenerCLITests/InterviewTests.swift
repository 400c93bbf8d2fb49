import Eligibility
import Foundation
import Testing

/// The rules of the scripted sessions: a small fixed set, so the questions and their order do not move as the
/// shipped rules grow. (The examples are run against the shipped rules.)
private let interviewRules = repositoryRoot.appendingPathComponent("Tests/Fixtures/interview-rules").path

/// The example profiles in `examples/`.
private let exampleProfiles: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("examples").path)) ?? [])
    .filter { $0.hasSuffix(".json") }.sorted()

private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

private func lines(_ answers: [String]) -> Data { Data((answers.joined(separator: "\n") + "\n").utf8) }

/// Two screening results reduced to their decisions, after checking that every requirement the interview reports
/// as not met is not met in `full` too, with the same explanation. Left out: the requirements of programs ineligible
/// in both (once one requirement fails the interview asks nothing that could only settle the others, so they may
/// stay unknown), and the explanations of requirements that are met or unknown (a met requirement's sentence may
/// name a value the decision did not need, such as cash a child-only case does not count).
private func decisions(_ interview: JSONValue, _ full: JSONValue, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (JSONValue, JSONValue) {
    guard var a = interview.objectValue, var b = full.objectValue,
          var pa = a["programs"]?.arrayValue, var pb = b["programs"]?.arrayValue, pa.count == pb.count else { return (interview, full) }
    func withoutExplanations(_ list: JSONValue?) -> JSONValue? {
        list?.arrayValue.map { .array($0.map { r in
            guard var o = r.objectValue, r["result"] != "not_met" else { return r }
            o["explanation"] = nil
            return .object(o)
        }) }
    }
    for k in pa.indices {
        guard var x = pa[k].objectValue, var y = pb[k].objectValue else { continue }
        let fullResults = Dictionary((y["requirements"]?.arrayValue ?? []).compactMap { r in r["id"]?.stringValue.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        for r in x["requirements"]?.arrayValue ?? [] where r["result"] == "not_met" {
            let id = r["id"]?.stringValue ?? ""
            #expect(fullResults[id] == r, "\(x["id"]?.stringValue ?? ""): requirement \(id) is not met in the interview but not in the full profile", sourceLocation: sourceLocation)
        }
        let bothIneligible = x["status"] == "ineligible" && y["status"] == "ineligible"
        x["requirements"] = bothIneligible ? nil : withoutExplanations(x["requirements"])
        y["requirements"] = bothIneligible ? nil : withoutExplanations(y["requirements"])
        pa[k] = .object(x)
        pb[k] = .object(y)
    }
    a["programs"] = .array(pa)
    b["programs"] = .array(pb)
    return (.object(a), .object(b))
}

@Suite("screener interview")
struct InterviewCommandTests {
    @Test(arguments: exampleProfiles)
    func answeringFromAnExampleGivesTheResultOfScreeningIt(_ name: String) throws {
        let path = "examples/\(name)"
        let full = try JSONParser.parse(Array(try Data(contentsOf: repositoryRoot.appendingPathComponent(path))))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Start from the profile with everything but case_id and state removed.
        let start = dir.appendingPathComponent("start.json").path
        let saved = dir.appendingPathComponent("saved.json").path
        try JSONWriter.string(["case_id": full["case_id"]!, "state": full["state"]!]).write(toFile: start, atomically: true, encoding: .utf8)

        let run = try runScreener(["interview", "--from", start, "--answers-from", path, "--format", "json", "--save", saved])
        #expect(run.status == 0, "\(run.stderr)")
        let screened = try runScreener(["screen", path, "--format", "json"])
        #expect(screened.status == 0)
        let (got, want) = decisions(try parse(run.stdout), try parse(screened.stdout))
        #expect(got == want, "interview:\n\(run.stdout)\nscreen:\n\(screened.stdout)")
        // The programs, unclaimed benefits, tier and referrals are all the same; undecided programs wait on facts the profile leaves out.
        #expect(run.stderr.contains(" answered ("))
        // The profile saved is the one the result is for.
        let again = try runScreener(["screen", saved, "--format", "json"])
        #expect(again.stdout == run.stdout)
    }

    @Test func aScriptedSessionWithWrongAnswersSkipBackWhyAndDone() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = dir.appendingPathComponent("saved.json").path
        let answers = ["2", "thirty", "30", "why", "skip", "back", "4", "lots", "$150", "sheltr", "at risk", "900", "done"]
        let run = try runScreener(["interview", "--state", "VT", "--rules", interviewRules, "--as-of", "2026-11-01", "--save", saved], stdin: lines(answers))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "")
        let out = run.stdout
        let age1 = "[2] About member 1 (caregiver): How old is this person? (a whole number, 0 to 120)\n"
        let age2 = "[3] About member 2: How old is this person? (a whole number, 0 to 120)\n"
        let cash = "[4] How much cash does the household have? (an amount, such as 1200 or $1,200.50)\n"
        let housing = "[5] Where is the family living now?\n    1. stable   Stable housing\n    2. at_risk  At risk: eviction notice or arrears\n    3. shelter  In a shelter\n    (a number or a name)\n"
        // Ages first: they decide which other questions apply. The 4-year-old is never asked about pregnancy,
        // school or earnings, nor the caregiver about pregnancy (a child is in the home).
        let expectedSession = """
        Answer each question on one line. Also: skip, back, why, done.

        [1] How many people live in the home, counting the caregiver? (a whole number, 1 to 20)
        > 2

        \(age1)> thirty
          ! expected a whole number from 0 to 120
        \(age1)> 30

        \(age2)> why
          This question could settle:
            - Cash help [cash]
        > skip

        \(cash)> back

        \(age2)> 4

        \(cash)> lots
          ! expected an amount in dollars, such as 1200 or $1,200.50
        \(cash)> $150

        \(housing)> sheltr
          ! expected a number from 1 to 3 or a name from the list; did you mean 'shelter'?
        \(housing)> at risk

        [6] About member 1 (caregiver, age 30): What does this person earn in a month? (an amount, such as 1200 or $1,200.50)
        > 900

        [7] What is the family's involvement with child welfare now?
            1. none           No involvement
            2. investigation  Under investigation
            (a number or a name)
        > done

        Stopped at 'done'. 6 questions answered (0 skipped); a form with every field for this household has 21.


        """
        #expect(out.hasPrefix(expectedSession), "\(out)")
        // The saved profile: the answers in the contract's shape; the skip was taken back.
        let profile = try String(contentsOfFile: saved, encoding: .utf8)
        #expect(profile == """
        {
          "case_id": "interview",
          "screening_date": "2026-11-01",
          "state": "VT",
          "members": [
            {
              "relationship": "caregiver",
              "age": 30,
              "earned_income": 900
            },
            {
              "age": 4
            }
          ],
          "resources": 150,
          "housing": "at_risk"
        }

        """)
        // The report is the one `screen` prints for that profile.
        let screened = try runScreener(["screen", saved, "--rules", interviewRules])
        #expect(out.hasSuffix(screened.stdout))
        #expect(out.count == expectedSession.count + screened.stdout.count)
    }

    @Test func theSameAnswersGiveTheSameTranscript() throws {
        let answers = ["1", "34", "0", "stable", "no"]
        let first = try runScreener(["interview", "--state", "VT", "--rules", interviewRules, "--as-of", "2026-11-01"], stdin: lines(answers))
        let second = try runScreener(["interview", "--state", "VT", "--rules", interviewRules, "--as-of", "2026-11-01"], stdin: lines(answers))
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("> 34\n"))
        // The shipped rules too, answered from an example.
        let a = try runScreener(["interview", "--state", "MA", "--answers-from", "examples/shelter-reunification-ma.json"])
        let b = try runScreener(["interview", "--state", "MA", "--answers-from", "examples/shelter-reunification-ma.json"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
    }

    @Test func theEndOfInputEndsTheInterviewWithAReport() throws {
        let run = try runScreener(["interview", "--rules", interviewRules, "--as-of", "2026-11-01"], stdin: lines(["vt", "1", "34", "0", "shelter"]))
        #expect(run.status == 0)
        #expect(run.stdout.contains("[1] Which state does the family live in (two-letter code)? (two-letter code, such as CA)\n> vt\n"))
        #expect(run.stdout.contains("End of input: stopped. 5 questions answered (0 skipped)"))
        #expect(run.stdout.contains("Case interview, VT, screened for 2026-11-01"))
        #expect(run.stdout.contains("  eligible     Shelter help [shelter_help]\n"))
    }

    @Test func everyProgramDecidedEndsTheInterview() throws {
        // A 30-year-old alone, not pregnant (no child: no cash help, so her income is not asked), in a shelter
        // (so her rent is asked for the benefit), with no child-welfare involvement (so shelter help is not unclaimed).
        let run = try runScreener(["interview", "--state", "VT", "--rules", interviewRules, "--as-of", "2026-11-01"],
                                  stdin: lines(["1", "30", "0", "shelter", "n", "$650", "1", "this is never read"]))
        #expect(run.status == 0)
        #expect(run.stdout.contains("[6] How much is the monthly rent?"))
        #expect(run.stdout.contains("> 1\n\nEvery program is decided. 7 questions answered (0 skipped)"))
        #expect(run.stdout.contains("  eligible     Shelter help [shelter_help], about $600.00 a month\n"))
        #expect(!run.stdout.contains("earn in a month"))
        #expect(!run.stdout.contains("this is never read"))
    }

    @Test func jsonOutputIsTheResultAloneAndTheConversationGoesToStandardError() throws {
        let run = try runScreener(["interview", "--state", "VT", "--rules", interviewRules, "--as-of", "2026-11-01", "--format", "json"],
                                  stdin: lines(["1", "done"]))
        #expect(run.status == 0)
        let result = try parse(run.stdout)
        #expect(result["case_id"] == "interview")
        #expect(result["programs"]?.arrayValue?.count == 2)
        #expect(run.stderr.contains("[1] How many people live in the home"))
    }

    @Test func startsFromAPartialProfile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = dir.appendingPathComponent("start.json").path
        try #"{"case_id": "c-17", "state": "VT", "members": [{"relationship": "caregiver", "age": 40}], "housing": "shelter"}"#
            .write(toFile: start, atomically: true, encoding: .utf8)
        let run = try runScreener(["interview", "--from", start, "--rules", interviewRules, "--as-of", "2026-11-01"], stdin: lines(["done"]))
        #expect(run.status == 0)
        #expect(run.stdout.contains("\n[1] How much cash does the household have?"))
        #expect(run.stdout.contains("Case c-17, VT"))
        let renamed = try runScreener(["interview", "--from", start, "--case-id", "c-18", "--rules", interviewRules, "--as-of", "2026-11-01", "--format", "json"], stdin: lines([]))
        #expect(try parse(renamed.stdout)["case_id"] == "c-18")
    }

    @Test func doneBeforeTheHouseholdIsKnownSavesWhatThereIs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = dir.appendingPathComponent("saved.json").path
        let run = try runScreener(["interview", "--rules", interviewRules, "--as-of", "2026-11-01", "--save", saved], stdin: lines(["NC", "done"]))
        #expect(run.status == 1)
        #expect(run.stdout.hasSuffix("Stopped at 'done'. Nothing to screen: the state and the people in the home are needed first.\n"))
        #expect(try String(contentsOfFile: saved, encoding: .utf8) == "{\n  \"case_id\": \"interview\",\n  \"screening_date\": \"2026-11-01\",\n  \"state\": \"NC\"\n}\n")
    }

    @Test func badOptionsAndProfilesAreReported() throws {
        let state = try runScreener(["interview", "--state", "Californa", "--rules", interviewRules])
        #expect(state.status == 2)
        #expect(state.stderr == "error: --state: expected a two-letter state code, such as CA; did you mean 'CA' (California)?\n")
        let missing = try runScreener(["interview", "--from", "no/such.json", "--rules", interviewRules])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: cannot read 'no/such.json' (--from)\n")
        let format = try runScreener(["interview", "--format", "xml"])
        #expect(format.status == 2)
        #expect(format.stderr.hasPrefix("error: --format must be text or json, got 'xml'\nusage: screener interview"))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json").path
        try #"{"state": "VT", "resources": "lots"}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let from = try runScreener(["interview", "--from", bad, "--rules", interviewRules, "--as-of", "2026-11-01"])
        #expect(from.status == 2)
        #expect(from.stderr == "error: \(bad): resources: expected an amount in dollars, such as 1200.50, got \"lots\"\n")
        let answers = try runScreener(["interview", "--answers-from", bad, "--rules", interviewRules, "--as-of", "2026-11-01"])
        #expect(answers.status == 2)
        #expect(answers.stderr.contains("error: \(bad): resources: expected an amount in dollars"))
        // A profile with more people than the interview takes stops it rather than looping.
        let big = dir.appendingPathComponent("big.json").path
        let people = Array(repeating: #"{"relationship": "child", "age": 3}"#, count: 25).joined(separator: ", ")
        try #"{"case_id": "big", "state": "VT", "members": [\#(people)]}"#.write(toFile: big, atomically: true, encoding: .utf8)
        let tooMany = try runScreener(["interview", "--state", "VT", "--answers-from", big, "--rules", interviewRules, "--as-of", "2026-11-01"])
        #expect(tooMany.status == 1)
        #expect(tooMany.stdout.hasSuffix("> 25\n  ! expected a whole number from 1 to 20\nStopped: the profile's answer does not fit. Nothing to screen: the state and the people in the home are needed first.\n"))
    }
}
