import Foundation
import Testing
import TestSupport
@testable import Eligibility

/// A batch with brief results evaluated in blocks (`BlockEvaluator`, what workers do) against the same batch
/// evaluated family by family: the same results, errors and summary, whatever the chunk size and number of jobs.
@Suite struct BatchBlockTests {
    /// Generated households with bad lines among them: not JSON, a failed validation, a blank line.
    static func caseload(_ count: Int) -> [UInt8] {
        var rng = SplitMix(seed: 99)
        var lines: [String] = []
        for n in 1...count {
            switch n % 97 {
            case 13: lines.append("{not json")
            case 41: lines.append(#"{"case_id":"bad-\#(n)","state":"CA","screening_date":"2026-11-01","members":[{"age":-3}]}"#)
            case 77: lines.append("")
            default: lines.append(BriefOutputTests.household(n, &rng, unusual: n % 5 == 0))
            }
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    static func run(_ rules: RuleSet, _ input: [UInt8], format: BatchOutputFormat, jobs: Int, chunk: Int, inBlocks: Bool) throws -> (output: [UInt8], errors: [UInt8], summary: String) {
        var options = BatchOptions(jobs: jobs, detail: .brief, format: format, asOf: BriefOutputTests.asOf, chunkSize: chunk)
        options.evaluatesInBlocks = inBlocks
        let runner = BatchRunner(rules: rules, options: options)
        var source = JSONLinesSource(lines: LineReader(bytes: input))
        // The runner calls these from one thread at a time.
        final class Collected: @unchecked Sendable { var output: [UInt8] = []; var errors: [UInt8] = [] }
        let collected = Collected()
        var summary = try runner.run(&source, write: { collected.output += $0 }, writeErrors: { collected.errors += $0 })
        summary.seconds = 0
        return (collected.output, collected.errors, summary.json(tierOrder: rules.tiers.map(\.info.id)))
    }

    @Test(arguments: [(BatchOutputFormat.jsonl, 1, 512), (.jsonl, 2, 7), (.jsonl, 2, 300), (.csv, 2, 1000), (.csv, 1, 255)])
    func blocksGiveTheSameBatch(_ format: BatchOutputFormat, _ jobs: Int, _ chunk: Int) throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        let input = Self.caseload(1200)
        let familyByFamily = try Self.run(rules, input, format: format, jobs: jobs, chunk: chunk, inBlocks: false)
        let inBlocks = try Self.run(rules, input, format: format, jobs: jobs, chunk: chunk, inBlocks: true)
        // Compared apart from the expectation, which would print megabytes when they differ.
        let sameOutput = familyByFamily.output == inBlocks.output
        #expect(sameOutput)
        #expect(familyByFamily.errors == inBlocks.errors)
        #expect(familyByFamily.summary == inBlocks.summary)
        // 13 lines that are not JSON and 12 that fail validation; 12 blank lines are skipped.
        #expect(inBlocks.summary.contains(#""errors": 25,"#) && inBlocks.summary.contains(#""screened": 1163,"#), "\(inBlocks.summary)")
        #expect(inBlocks.output.count > 1_000_000)
    }
}
