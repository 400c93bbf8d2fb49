import Foundation
import Testing
@testable import Eligibility

/// Loading small rule sets written inside a test, reading profiles against them and evaluating through the language.
enum Fixture {
    /// The declarations every rule set needs to compile: the three facts of every screening and
    /// `involved_with_child_welfare`. Tests append their own facts, values and programs.
    static let prelude = """
        fact case_id : text "What is the case number?"
        fact state : text "Which state?"
        fact screening_date : date "Screened for which date?"
        fact involved : yes/no "Is the family involved with child welfare?"
        let involved_with_child_welfare = involved

        """

    /// The package's root directory (where Package.swift is).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `assertGolden` looks for `Golden/` two levels above the path it is given: a path inside `Support/`
    /// keeps the golden files in Tests/EligibilityTests/Golden.
    static let goldenAnchor = URL(fileURLWithPath: #filePath).path

    static func day(_ text: String) -> Day {
        guard let d = Day(iso: text) else { fatalError("bad date in a test: \(text)") }
        return d
    }

    /// Loads rule files from memory.
    static func load(_ files: [(path: String, text: String)], asOf: Day? = nil) -> RuleLoader.Result {
        RuleLoader.load(files: files.map { SourceFile(path: $0.path, text: $0.text) }, asOf: asOf)
    }

    /// Loads one rule file from memory, after the prelude.
    static func load(_ text: String, asOf: Day? = nil) -> RuleLoader.Result {
        load([("test.rules", prelude + text)], asOf: asOf)
    }

    /// The rule set, failing the test (with every diagnostic) when it does not load.
    static func rules(_ text: String, asOf: Day? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RuleSet {
        let result = load(text, asOf: asOf)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "rules did not load:\n\(DiagnosticRenderer(files: result.files).render(errors))", sourceLocation: sourceLocation)
        return try #require(result.ruleSet, sourceLocation: sourceLocation)
    }

    /// The shipped rules/ directory, loaded once.
    static let shipped: RuleLoader.Result = {
        do { return try RuleLoader.load(directory: packageRoot.appendingPathComponent("rules").path, asOf: nil) } catch {
            fatalError("cannot load the shipped rules: \(error)")
        }
    }()

    /// Reads a profile, failing the test with every issue when it is invalid.
    static func profile(_ rules: RuleSet, _ json: String, asOf: Day = day("2025-09-01"),
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Profile {
        switch ProfileReader(rules: rules).read(json: Array(json.utf8), asOf: asOf) {
        case .success(let p): return p
        case .failure(let e):
            Issue.record("profile is invalid:\n\(e)", sourceLocation: sourceLocation)
            throw e
        }
    }

    /// The issues of a profile that must be invalid, as `path: message` lines.
    static func issues(_ rules: RuleSet, _ json: String, asOf: Day = day("2025-09-01"), strict: Bool = false,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        switch ProfileReader(rules: rules).read(json: Array(json.utf8), asOf: asOf, strict: strict) {
        case .success:
            Issue.record("expected the profile to be rejected", sourceLocation: sourceLocation)
            return []
        case .failure(let e): return e.issues.map(\.description)
        }
    }

    static func screen(_ rules: RuleSet, _ json: String, asOf: Day = day("2025-09-01"),
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Screening {
        Screener(rules: rules).screen(try profile(rules, json, asOf: asOf, sourceLocation: sourceLocation))
    }

    /// The value of a household `let` for a family.
    static func value(_ name: String, _ rules: RuleSet, _ json: String, asOf: Day = day("2025-09-01"),
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Value {
        let index = try #require(rules.declarations.householdLets.firstIndex { $0.name == name }, "no let '\(name)'", sourceLocation: sourceLocation)
        let evaluator = Evaluator(rules: rules, facts: try profile(rules, json, asOf: asOf, sourceLocation: sourceLocation).facts)
        return evaluator.householdLet(index)
    }

    /// A money, decimal or integer value from text, for comparing with evaluated values.
    static func number(_ text: String) -> Value {
        guard let n = Exact(decimal: text) else { fatalError("bad number in a test: \(text)") }
        return .number(n)
    }
}

extension Exact {
    /// `Exact(3, 4)` for 3/4 in tests.
    init(_ n: Int64, _ d: Int64) { self = Exact(numerator: n, denominator: d)! }
}
