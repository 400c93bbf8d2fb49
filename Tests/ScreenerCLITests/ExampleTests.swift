import Foundation
import Testing

/// Every example in examples/ screened by the built binary, compared with golden text and JSON.
/// The rule-set fingerprint is masked so that a comment edit in a rule file does not touch every golden.
@Suite struct ExampleTests {
    static let examples: [String] = {
        let dir = repositoryRoot.appendingPathComponent("examples")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func masked(_ text: String) -> String {
        var out = text
        while let r = out.range(of: #"sha256:[0-9a-f]{12,64}"#, options: .regularExpression) {
            out.replaceSubrange(r, with: "sha256:<fingerprint>")
        }
        return out
    }

    @Test func thereAreExamples() {
        #expect(Self.examples.count >= 6)
    }

    @Test(arguments: examples)
    func textReport(_ name: String) throws {
        let run = try runScreener(["screen", "examples/\(name)"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "")
        assertGolden(Self.masked(run.stdout), "examples/\(name.replacingOccurrences(of: ".json", with: ".txt"))")
    }

    @Test(arguments: examples)
    func jsonResult(_ name: String) throws {
        let run = try runScreener(["screen", "examples/\(name)", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        assertGolden(Self.masked(run.stdout), "examples/\(name)")
        // Every result names the rules it came from and the date it is for.
        #expect(run.stdout.contains(#""rules": "sha256:"#))
        #expect(run.stdout.contains(#""screening_date": "2026-11-01""#))
    }

    @Test func theSmallCaseloadInBothFormats() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for input in ["caseload-small.jsonl", "caseload-small.csv"] {
            let summary = dir.appendingPathComponent("\(input).summary.json").path
            let out = dir.appendingPathComponent("\(input).out.jsonl").path
            let run = try runScreener(["batch", "examples/\(input)", "-o", out, "--summary", summary, "--jobs", "2"])
            #expect(run.status == 0, "\(run.stderr)")
            var text = try String(contentsOfFile: summary, encoding: .utf8)
            // Timings differ run to run; everything else is fixed.
            text = text.split(separator: "\n").filter { !$0.contains("\"seconds\"") && !$0.contains("records_per_second") }.joined(separator: "\n")
            assertGolden(text + "\n", "examples/\(input).summary.json")
        }
    }
}
