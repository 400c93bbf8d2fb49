import Foundation
import Testing
import Eligibility

/// `screener batch`: order, error accounting, CSV, temporary files, summaries.
@Suite struct BatchTests {
    static let family = #"{"case_id":"c-%d","state":"%@","screening_date":"2026-11-01","resources":100,"enrolled":[],"child_welfare":{"stage":"investigation"},"members":[{"relationship":"caregiver","age":30,"earned_income":%d,"unearned_income":0,"citizenship":"citizen","tanf_months_used":0},{"relationship":"child","age":4,"citizenship":"citizen"}]}"#

    /// A caseload of `count` valid families across states, with varied incomes.
    static func caseload(_ count: Int) -> String {
        let states = ["CA", "MA", "VT", "NJ", "AL", "NC", "WI", "MI", "TN", "TX"]
        return (1...count).map { String(format: family, $0, states[$0 % states.count], ($0 * 37) % 3000) }.joined(separator: "\n") + "\n"
    }

    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func sameOutputInInputOrderForOneAndTwoJobs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try write(Self.caseload(600), "in.jsonl", in: dir)
        let one = dir.appendingPathComponent("one.jsonl").path, two = dir.appendingPathComponent("two.jsonl").path
        let r1 = try runScreener(["batch", input, "-o", one, "--jobs", "1", "--chunk", "7", "--as-of", "2026-11-01"])
        let r2 = try runScreener(["batch", input, "-o", two, "--jobs", "2", "--chunk", "7", "--as-of", "2026-11-01"])
        #expect(r1.status == 0 && r2.status == 0)
        let a = try String(contentsOfFile: one, encoding: .utf8), b = try String(contentsOfFile: two, encoding: .utf8)
        #expect(a == b)
        let ids = a.split(separator: "\n").map { line -> String in
            let start = line.range(of: "\"case_id\":\"")!.upperBound
            return String(line[start...].prefix { $0 != "\"" })
        }
        #expect(ids == (1...600).map { "c-\($0)" })
        #expect(r2.stderr.contains("records read: 600, screened: 600, errors: 0 (all accounted for)"))
    }

    /// Brief results are written from outcomes by each worker: the same bytes and counts whatever the number of jobs.
    @Test(arguments: ["jsonl", "csv"])
    func briefOutputIsTheSameForOneAndTwoJobs(_ format: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try write(Self.caseload(600), "in.jsonl", in: dir)
        let one = dir.appendingPathComponent("one.\(format)").path, two = dir.appendingPathComponent("two.\(format)").path
        let options = ["--detail", "brief", "--output-format", format, "--chunk", "7", "--as-of", "2026-11-01"]
        let r1 = try runScreener(["batch", input, "-o", one, "--jobs", "1"] + options)
        let r2 = try runScreener(["batch", input, "-o", two, "--jobs", "2"] + options)
        #expect(r1.status == 0 && r2.status == 0)
        let a = try String(contentsOfFile: one, encoding: .utf8), b = try String(contentsOfFile: two, encoding: .utf8)
        #expect(a == b)
        #expect(a.split(separator: "\n").count >= 600)
        #expect(!a.contains("explanation") && !a.contains("\"name\""))
        #expect(r1.stderr.contains("records read: 600, screened: 600, errors: 0 (all accounted for)"))
        func counts(_ stderr: String) -> [Substring] { stderr.split(separator: "\n").filter { !$0.hasPrefix("time:") } }
        #expect(counts(r1.stderr) == counts(r2.stderr))
    }

    @Test func everyBadLineIsReportedAndCounted() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = Self.caseload(50).split(separator: "\n").map(String.init)
        lines.insert("this is not json", at: 3)                                                       // line 4
        lines.insert(#"{"case_id":"bad-age","state":"CA","members":[{"age":"four"}]}"#, at: 10)         // line 11
        lines.insert(#"{"state":"CA","members":[{"age":3}]}"#, at: 20)                                 // line 21
        lines.insert(#"{"case_id":"bad-stage","state":"CA","members":[{"age":30}],"child_welfare":{"stage":"investigaton"}}"#, at: 30) // line 31
        lines.insert("", at: 40)                                                                        // blank: skipped, not a record
        let input = try write(lines.joined(separator: "\n") + "\n", "in.jsonl", in: dir)
        let out = dir.appendingPathComponent("out.jsonl").path, errs = dir.appendingPathComponent("errors.jsonl").path
        let summary = dir.appendingPathComponent("summary.json").path
        let run = try runScreener(["batch", input, "-o", out, "--errors", errs, "--summary", summary, "--jobs", "2", "--chunk", "4", "--as-of", "2026-11-01"])
        #expect(run.status == 1)
        let errorLines = try String(contentsOfFile: errs, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(errorLines == [
            #"{"line":4,"case_id":null,"path":"","message":"invalid JSON: column 1: unknown literal 'this': expected true, false or null"}"#,
            #"{"line":11,"case_id":"bad-age","path":"members[0].age","message":"expected a whole number from 0 to 120, got \"four\""}"#,
            #"{"line":21,"case_id":null,"path":"case_id","message":"required field is missing"}"#,
            #"{"line":31,"case_id":"bad-stage","path":"child_welfare.stage","message":"unknown value \"investigaton\"; did you mean \"investigation\"?"}"#,
        ])
        let results = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(results.count == 50)
        #expect(run.stderr.contains("records read: 54, screened: 50, errors: 4 (all accounted for)"))
        let json = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(json.contains("\"records_read\": 54"))
        #expect(json.contains("\"errors\": 4"))
    }

    @Test func emptyInputIsAnEmptyRun() throws {
        let run = try runScreener(["batch", "-", "--as-of", "2026-11-01"], stdin: Data())
        #expect(run.status == 0)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("records read: 0, screened: 0, errors: 0 (all accounted for)"))
    }

    @Test func csvHouseholdsWithQuotingCRLFAndBOM() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = [
            "case_id,state,county,screening_date,enrolled,child_welfare.stage,relationship,age,earned_income",
            "h1,CA,\"Los Angeles\",2026-11-01,snap;wic,investigation,caregiver,30,1200.50",
            "h1,CA,\"Los Angeles\",2026-11-01,snap;wic,investigation,child,4,",
            "\"h2\",MA,\"Suffolk, the county\",2026-11-01,,none,caregiver,41,\"2,000\"",
            "h3,NC,Wake,2026-11-01,,referral,caregiver,25,0",
            "h2,MA,Suffolk,2026-11-01,,none,child,9,",
            "h4,TN,\"Shelby\nCounty\",2026-11-01,,none,caregiver,33,0",
        ]
        let bytes = [UInt8]([0xEF, 0xBB, 0xBF]) + Array(rows.joined(separator: "\r\n").utf8) + [13, 10]
        let input = dir.appendingPathComponent("in.csv").path
        #expect(FileManager.default.createFile(atPath: input, contents: Data(bytes)))
        let out = dir.appendingPathComponent("out.jsonl").path, errs = dir.appendingPathComponent("errors.jsonl").path
        let run = try runScreener(["batch", input, "-o", out, "--errors", errs, "--as-of", "2026-11-01"])
        #expect(run.status == 1)
        let results = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(results.count == 4)
        #expect(results[0].hasPrefix(#"{"case_id":"h1","#))
        #expect(results[1].hasPrefix(#"{"case_id":"h2","#))
        #expect(results[2].hasPrefix(#"{"case_id":"h3","#))
        #expect(results[3].hasPrefix(#"{"case_id":"h4","#))
        let errors = try String(contentsOfFile: errs, encoding: .utf8)
        #expect(errors.contains(#""line":6,"case_id":"h2","path":"case_id","message":"rows of household \"h2\" are split by another household (line 6); keep each household's rows together""#))
        #expect(run.stderr.contains("records read: 5, screened: 4, errors: 1 (all accounted for)"))
    }

    /// Rows of one household that disagree, a repeated column that disagrees with itself and a ragged row are
    /// reported (the workers turn households into profiles) and counted; the households around them are screened.
    @Test func csvHouseholdsThatDisagreeAreReported() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = [
            "case_id,state,county,relationship,age,county",
            "h1,CA,Fresno,caregiver,30,Fresno",
            "h1,CA,Kern,child,4,Kern",
            "h2,MA,Suffolk,caregiver,41,Norfolk",
            "h3,NC,Wake,caregiver",
            "h4,TN,Shelby,caregiver,33,Shelby",
        ].joined(separator: "\n") + "\n"
        let errs = dir.appendingPathComponent("errors.jsonl").path
        let run = try runScreener(["batch", "-", "--input-format", "csv", "--detail", "brief", "--errors", errs, "--as-of", "2026-11-01"],
                                  stdin: Data(csv.utf8))
        #expect(run.status == 1)
        let results = run.stdout.split(separator: "\n")
        #expect(results.count == 1)
        #expect(results.first?.hasPrefix(#"{"case_id":"h4","#) == true)
        let errors = try String(contentsOfFile: errs, encoding: .utf8)
        #expect(errors.contains(#""line":2,"case_id":"h1","path":"county","message":"differs between rows of one household: \"Fresno\" on line 2, \"Kern\" on line 3""#))
        #expect(errors.contains(#""line":4,"case_id":"h2","path":"county","message":"differs between rows of one household: \"Suffolk\" on line 4, \"Norfolk\" on line 4""#))
        #expect(errors.contains(#""line":5,"case_id":"h3","path":"","message":"line 5: expected 6 fields as in the header, got 4""#))
        #expect(run.stderr.contains("records read: 4, screened: 1, errors: 3 (all accounted for)"))
    }

    @Test func csvOutputIsOneRowPerCaseAndProgram() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try write(Self.caseload(3), "in.jsonl", in: dir)
        let out = dir.appendingPathComponent("out.csv").path
        let run = try runScreener(["batch", input, "-o", out, "--as-of", "2026-11-01"])
        #expect(run.status == 0)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows[0] == "case_id,screening_date,state,program,name,status,enrolled,unclaimed,estimated_monthly_benefit,missing,prevention_tier,referrals,rules")
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("c-1,") || $0.hasPrefix("c-2,") || $0.hasPrefix("c-3,") })
        #expect(rows.contains { $0.hasPrefix("c-1,2026-11-01,MA,tanf.ma,") })
    }

    @Test func unwritableOutputFailsBeforeScreeningAndLeavesNothing() throws {
        let run = try runScreener(["batch", "-", "-o", "/no/such/dir/out.jsonl"], stdin: Data(Self.caseload(2).utf8))
        #expect(run.status == 2)
        #expect(run.stderr == "error: cannot write '/no/such/dir/out.jsonl': the directory does not exist or is not writable\n")
    }

    @Test func interruptedRunLeavesNoFileUnderTheFinalName() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try write(Self.caseload(400_00 / 4), "in.jsonl", in: dir)
        let out = dir.appendingPathComponent("out.jsonl").path
        let process = Process()
        process.executableURL = screenerExecutable()
        process.arguments = ["batch", input, "-o", out, "--jobs", "1", "--as-of", "2026-11-01"]
        process.currentDirectoryURL = repositoryRoot
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the partial file exists, then interrupt as Ctrl-C would.
        let partial = dir.appendingPathComponent(".out.jsonl.partial-\(process.processIdentifier)").path
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: partial) { usleep(20_000) }
        #expect(FileManager.default.fileExists(atPath: partial))
        usleep(100_000)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    /// A full disk (here /dev/full) fails the run with the reason, and no other output is put in place.
    @Test func aFailedWriteFailsTheRunAndLeavesNoOutput() throws {
        if !FileManager.default.fileExists(atPath: "/dev/full") { return }
        let full = try runScreener(["batch", "-", "-o", "/dev/full", "--as-of", "2026-11-01"], stdin: Data(Self.caseload(3).utf8))
        #expect(full.status == 2)
        #expect(full.stderr == "error: cannot write '/dev/full': No space left on device\n")

        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let errors = dir.appendingPathComponent("errors.jsonl").path
        let bad = Self.caseload(3) + "not json\n"
        let run = try runScreener(["batch", "-", "-o", "/dev/full", "--errors", errors, "--as-of", "2026-11-01"], stdin: Data(bad.utf8))
        #expect(run.status == 2)
        #expect(!FileManager.default.fileExists(atPath: errors), "the errors file is not put in place when the results could not be written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no partial file is left behind")
    }

    /// Results written to standard output are the same bytes as to a file, which is written past the page cache in
    /// stages of whole blocks: results smaller than a block, and larger than a stage (4 MiB) with a partial block last.
    @Test(arguments: [(30, "jsonl"), (2500, "jsonl"), (30, "csv")])
    func standardOutputGetsTheSameBytesAsAFile(_ families: Int, _ format: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.\(format)").path
        let toFile = try runScreener(["batch", "-", "-o", out, "--detail", "brief", "--as-of", "2026-11-01"], stdin: Data(Self.caseload(families).utf8))
        let toStdout = try runScreener(["batch", "-", "--output-format", format, "--detail", "brief", "--as-of", "2026-11-01"],
                                       stdin: Data(Self.caseload(families).utf8))
        #expect(toFile.status == 0 && toStdout.status == 0)
        let file = try String(contentsOfFile: out, encoding: .utf8)
        #expect(toStdout.stdout == file)
        if format == "jsonl" {
            #expect(file.split(separator: "\n").count == families)
            if families > 30 { #expect(file.utf8.count > 4 << 20 && file.utf8.count % 4096 != 0, "more than one stage, a partial block last") }
        }
    }

    @Test func aDeviceIsWrittenDirectlyNotReplaced() throws {
        let run = try runScreener(["batch", "-", "-o", "/dev/null", "--as-of", "2026-11-01"], stdin: Data(Self.caseload(3).utf8))
        #expect(run.status == 0)
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
        #expect(run.stderr.hasPrefix("records read: 3, screened: 3, errors: 0 (all accounted for)"))
    }

    @Test func badOptions() throws {
        let jobs = try runScreener(["batch", "-", "--jobs", "0"], stdin: Data())
        #expect(jobs.status == 2)
        #expect(jobs.stderr.hasPrefix("error: --jobs expects a whole number from 1 to 256, got '0'\n"))
        let missing = try runScreener(["batch", "nope.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: cannot read 'nope.jsonl': no such file or not readable\n")
        let chunk = try runScreener(["batch", "-", "--chunk", "lots"], stdin: Data())
        #expect(chunk.status == 2)
        #expect(chunk.stderr.hasPrefix("error: --chunk expects a whole number from 1 to 100000, got 'lots'\n"))
        let detail = try runScreener(["batch", "-", "--detail", "short"], stdin: Data())
        #expect(detail.stderr.hasPrefix("error: --detail must be brief or full, got 'short'\n"))
    }
}

/// The built binary's brief results (evaluated a block of families at a time) against the library's batch evaluated
/// family by family: the same results and errors, JSON Lines and CSV, with chunks that end inside blocks.
@Suite struct BlockBatchEndToEndTests {
    /// The examples and the small caseload as they are and with other case ids, the varied-income caseload, bad lines.
    static func caseload() throws -> String {
        let examples = repositoryRoot.appendingPathComponent("examples")
        var lines: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() where name.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: examples.appendingPathComponent(name)))
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        }
        let small = try String(contentsOf: examples.appendingPathComponent("caseload-small.jsonl"), encoding: .utf8)
        lines += small.split(separator: "\n").map(String.init)
        var out: [String] = []
        for round in 0..<12 {
            for (k, line) in lines.enumerated() {
                out.append(line.replacingOccurrences(of: #""case_id":""#, with: #""case_id":"r\#(round)-"#)
                    .replacingOccurrences(of: #""case_id": ""#, with: #""case_id": "r\#(round)-"#))
                if (round * lines.count + k) % 37 == 5 { out.append("{not json") }
            }
        }
        return out.joined(separator: "\n") + "\n" + BatchTests.caseload(500)
    }

    @Test(arguments: [BatchOutputFormat.jsonl, .csv])
    func binaryInBlocksEqualsFamilyByFamily(_ format: BatchOutputFormat) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try Self.caseload()
        let input = dir.appendingPathComponent("in.jsonl").path
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.\(format.rawValue)").path, errors = dir.appendingPathComponent("errors.jsonl").path
        let run = try runScreener(["batch", input, "-o", out, "--errors", errors, "--detail", "brief", "--output-format", format.rawValue,
                                   "--jobs", "2", "--chunk", "300", "--as-of", "2026-11-01"])
        #expect(run.status == 1, "bad lines make the exit status 1: \(run.stderr)")

        let asOf = try #require(Day(iso: "2026-11-01"))
        let rules = try #require(try RuleLoader.load(directory: repositoryRoot.appendingPathComponent("rules").path, asOf: asOf).ruleSet)
        var options = BatchOptions(jobs: 1, detail: .brief, format: format, asOf: asOf, chunkSize: 300)
        options.evaluatesInBlocks = false
        final class Collected: @unchecked Sendable { var output: [UInt8] = []; var errors: [UInt8] = [] }
        let expected = Collected()
        var source = JSONLinesSource(lines: LineReader(bytes: Array(text.utf8)))
        let summary = try BatchRunner(rules: rules, options: options).run(&source, write: { expected.output += $0 }, writeErrors: { expected.errors += $0 })
        // 26 profiles x 12 rounds and 500 more, in chunks of 300 that end inside blocks of 256; 9 lines are not JSON.
        #expect(summary.screened == 812 && summary.errors == 9, "\(summary.errors) errors, \(summary.screened) screened")

        let actual = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        // Compared apart from the expectation, which would print megabytes when they differ.
        let same = actual == expected.output
        #expect(same, "the binary's \(actual.count) bytes differ from \(expected.output.count) evaluated family by family")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: errors))) == expected.errors)
        #expect(run.stderr.contains("screened: \(summary.screened), errors: \(summary.errors)"), "\(run.stderr)")
    }
}
