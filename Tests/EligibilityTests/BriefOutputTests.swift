import Foundation
import Testing
import TestSupport
@testable import Eligibility

/// Brief batch output written straight from outcomes (`BriefOutcomes`, `BriefJSON`, `BriefCSV`, `OutcomeTally`)
/// against the same output through a `Screening` (`ScreeningJSON`, `ScreeningCSV`, `BatchSummary.add`): byte for
/// byte and count for count, on the examples, the small caseload, generated caseloads and small rule sets; and the
/// same bytes from families evaluated together (`BlockEvaluator`).
@Suite struct BriefOutputTests {
    static let asOf = Fixture.day("2026-11-01")

    /// Screens every profile both ways and compares lines, rows and summaries; reports at most a few differences.
    static func expectSameOutput(_ rules: RuleSet, _ profiles: [Profile], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let screener = Screener(rules: rules)
        let json = BriefJSON(rules: rules), csv = BriefCSV(rules: rules)
        var outcomes = BriefOutcomes(rules: rules)
        var tally = OutcomeTally(rules: rules)
        var jsonScratch = BriefJSON.Scratch(), csvScratch = BriefCSV.Scratch()
        var expectedSummary = BatchSummary(programOrder: rules.programs.map(\.info.id))
        // Every family is appended to one buffer as well, as a batch chunk appends them.
        var expectedAll: [UInt8] = [], actualAll: [UInt8] = []
        var differences = 0
        var expectedLines: [(json: [UInt8], csv: [UInt8])] = []
        for profile in profiles {
            let s = screener.screen(profile, detail: .brief)
            expectedSummary.add(s, involved: s.involvedWithChildWelfare == true)
            var w = JSONWriter(style: .compact)
            ScreeningJSON.write(s, to: &w, brief: true)
            let expectedJSON = w.bytes + [UInt8(ascii: "\n")]
            var expectedCSV: [UInt8] = []
            ScreeningCSV.append(s, to: &expectedCSV)

            outcomes.read(profile, screener)
            tally.add(outcomes)
            var actualJSON: [UInt8] = [], actualCSV: [UInt8] = []
            json.append(outcomes, caseId: profile.caseId, screeningDate: profile.screeningDate, scratch: &jsonScratch, to: &actualJSON)
            csv.append(outcomes, caseId: profile.caseId, screeningDate: profile.screeningDate, state: profile.state,
                       scratch: &csvScratch, to: &actualCSV)
            json.append(outcomes, caseId: profile.caseId, screeningDate: profile.screeningDate, scratch: &jsonScratch, to: &actualAll)
            expectedAll += expectedJSON
            expectedLines.append((expectedJSON, expectedCSV))

            for (what, expected, actual) in [("JSON", expectedJSON, actualJSON), ("CSV", expectedCSV, actualCSV)] where expected != actual {
                differences += 1
                if differences <= 3 {
                    Issue.record("brief \(what) differs for \(profile.caseId):\n--- expected\n\(String(decoding: expected, as: UTF8.self))--- actual\n\(String(decoding: actual, as: UTF8.self))",
                                 sourceLocation: sourceLocation)
                }
            }
        }
        #expect(differences == 0, "\(differences) of \(profiles.count) families differ", sourceLocation: sourceLocation)

        // The same families evaluated together in blocks (as batch workers do), of full and odd sizes, give the same bytes.
        let block = BlockEvaluator(rules: rules)
        let facts = profiles.map(\.facts)
        let sizes = [BlockEvaluator.capacity, 1, 7, BlockEvaluator.capacity - 1, 2]
        var start = 0, turn = 0, blockDifferences = 0
        while start < profiles.count {
            let end = min(profiles.count, start + sizes[turn % sizes.count])
            turn += 1
            block.evaluate(facts[start..<end])
            for f in start..<end {
                outcomes.read(block: block, family: f - start)
                var actualJSON: [UInt8] = [], actualCSV: [UInt8] = []
                json.append(outcomes, caseId: profiles[f].caseId, screeningDate: profiles[f].screeningDate, scratch: &jsonScratch, to: &actualJSON)
                csv.append(outcomes, caseId: profiles[f].caseId, screeningDate: profiles[f].screeningDate, state: profiles[f].state,
                           scratch: &csvScratch, to: &actualCSV)
                if actualJSON != expectedLines[f].json || actualCSV != expectedLines[f].csv {
                    blockDifferences += 1
                    if blockDifferences <= 3 {
                        Issue.record("evaluated in a block, \(profiles[f].caseId) differs:\n--- expected\n\(String(decoding: expectedLines[f].json, as: UTF8.self))--- actual\n\(String(decoding: actualJSON, as: UTF8.self))",
                                     sourceLocation: sourceLocation)
                    }
                }
            }
            start = end
        }
        #expect(blockDifferences == 0, "\(blockDifferences) of \(profiles.count) families differ when evaluated in blocks", sourceLocation: sourceLocation)
        // Compared apart from the expectation, which would print megabytes of bytes when they differ.
        let sameBatch = actualAll == expectedAll
        #expect(sameBatch, "the families appended to one buffer differ", sourceLocation: sourceLocation)
        var actualSummary = BatchSummary(programOrder: rules.programs.map(\.info.id))
        actualSummary.add(tally, rules: rules)
        let tiers = rules.tiers.map(\.info.id)
        #expect(actualSummary.json(tierOrder: tiers) == expectedSummary.json(tierOrder: tiers), sourceLocation: sourceLocation)
        #expect(actualSummary.text(tierOrder: tiers) == expectedSummary.text(tierOrder: tiers), sourceLocation: sourceLocation)
        #expect(actualSummary.screened == profiles.count, sourceLocation: sourceLocation)
    }

    static func read(_ rules: RuleSet, _ json: String, asOf: Day = asOf) -> Profile? {
        switch ProfileReader(rules: rules).read(json: Array(json.utf8), asOf: asOf) {
        case .success(let p): return p
        case .failure(let e):
            Issue.record("profile is invalid: \(json)\n\(e)")
            return nil
        }
    }

    // MARK: Shipped rules

    @Test func examplesAndTheSmallCaseload() throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        let examples = Fixture.packageRoot.appendingPathComponent("examples")
        var texts: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() where name.hasSuffix(".json") {
            texts.append(try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8))
        }
        #expect(texts.count >= 6)
        let caseload = try String(contentsOf: examples.appendingPathComponent("caseload-small.jsonl"), encoding: .utf8)
        let lines = caseload.split(separator: "\n").map(String.init)
        #expect(lines.count >= 20)
        Self.expectSameOutput(rules, (texts + lines).compactMap { Self.read(rules, $0) })
    }

    @Test func generatedCaseload() throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        var rng = SplitMix(seed: 42)
        let profiles = (1...2500).compactMap { n in Self.read(rules, Self.household(n, &rng)) }
        #expect(profiles.count == 2500)
        Self.expectSameOutput(rules, profiles)
    }

    /// Case ids that need escaping in JSON or quoting in CSV, other screening dates, and many unknown facts.
    @Test func unusualCaseIdsDatesAndUnknowns() throws {
        let rules = try #require(Fixture.shipped.ruleSet)
        var rng = SplitMix(seed: 7)
        let profiles = (1...400).compactMap { n in Self.read(rules, Self.household(n, &rng, unusual: true)) }
        #expect(profiles.count == 400)
        Self.expectSameOutput(rules, profiles)
    }

    // MARK: Small rule sets

    /// The screener tests' rules and a program whose benefit has fractions of a cent and can be negative,
    /// a referral that no priority selects, consent given, refused and unknown, states where a program does not apply.
    @Test func referralsConsentBenefitsAndProgramsThatDoNotApply() throws {
        let extra = """

            program rent_help "Rent help"
              kind housing_assistance
              applies when state = "CA" or state = "NV"
              requirement low_income "Income under $3,000"
                gross_income < $3,000
              benefit gross_income / 8 - $50
            end

            referral pantry "Food pantry"
              when not (eligible(food) otherwise false)
              priority routine
              because "no food help"
            end

            """
        let rules = try ScreenerTests.load(extra)
        var rng = SplitMix(seed: 3)
        var profiles: [Profile] = []
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        for n in 1...600 {
            let income = pick([nil, "0", "0.04", "1.00", "400.04", "400.12", "800", "1892.00", "2999.99", "3000", "7000"])
            var fields: [String] = []
            if let r = pick([nil, "100", "5000"] as [String?]) { fields.append(#""resources": \#(r)"#) }
            if let e = pick([nil, "[]", #"["tanf"]"#, #"["snap"]"#, #"["tanf", "snap"]"#] as [String?]) { fields.append(#""enrolled": \#(e)"#) }
            if let s = pick([nil, "none", "investigation", "in_home_case"] as [String?]) { fields.append(#""child_welfare": {"stage": "\#(s)"}"#) }
            if let c = pick([nil, "true", "false", "null"] as [String?]) { fields.append(#""consent_to_share": \#(c)"#) }
            if let h = pick([nil, "true", "false"] as [String?]) { fields.append(#""housing_unstable": \#(h)"#) }
            let json = ScreenerTests.family(income: income, fields.joined(separator: ", "), state: pick(["CA", "NV", "TX"]))
                .replacingOccurrences(of: #""case_id": "s1""#, with: #""case_id": "s\#(n)""#)
            if let p = Self.read(rules, json, asOf: Fixture.day("2025-09-01")) { profiles.append(p) }
        }
        Self.expectSameOutput(rules, profiles)
    }

    /// Every kind of aggregate, with and without a filter, over members whose facts and filters may be unknown:
    /// the block folds each kind in a loop of its own, which must keep the tree walk's rules (a member that decides
    /// `any` or `all` decides it whatever the others' unknowns; an unknown filter makes a sum, min or max unknown).
    @Test func aggregatesOverMembersWithUnknowns() throws {
        let rules = try Fixture.rules("""
            member fact age : integer "Age?"
            member fact amount : money "Amount?"
            member fact adult : yes/no "Adult?"

            program aggregates "Aggregates"
              requirement counted "count"
                (count members where adult) >= 2
              requirement counted_all "count of all"
                count members < 4
              requirement some "any"
                any member where age < 5
              requirement some_filtered "any over members where"
                any (amount > $100) over members where adult
              requirement every "all"
                all member where age >= 18
              requirement every_filtered "all over members where"
                all (amount > $0) over members where adult
              requirement summed "sum"
                (sum amount over members where adult) > $500
              requirement smallest "min"
                (min age over members where adult) < 10
              requirement largest "max"
                max amount over members > $300
              benefit (sum amount over members) + ((max amount over members where adult) otherwise $0) - (min amount over members otherwise $0)
            end
            """)
        var rng = SplitMix(seed: 17)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var profiles: [Profile] = []
        for n in 1...800 {
            let members = (0..<pick([1, 1, 2, 3, 4, 6])).map { _ in
                var fields: [String] = []
                if let a = pick([nil, "2", "4", "9", "17", "18", "40"] as [String?]) { fields.append(#""age": \#(a)"#) }
                if let m = pick([nil, "0", "0.01", "100", "100.01", "299.99", "450.5", "900"] as [String?]) { fields.append(#""amount": \#(m)"#) }
                if let a = pick([nil, "true", "false", "null"] as [String?]) { fields.append(#""adult": \#(a)"#) }
                return "{" + fields.joined(separator: ", ") + "}"
            }
            let json = #"{"case_id": "a\#(n)", "state": "CA", "screening_date": "2025-09-01", "members": [\#(members.joined(separator: ", "))]}"#
            if let p = Self.read(rules, json, asOf: Fixture.day("2025-09-01")) { profiles.append(p) }
        }
        #expect(profiles.count == 800)
        Self.expectSameOutput(rules, profiles)
    }

    /// Equality and inequality with a text or an enumeration value written in the rules, for families whose text is
    /// a rule's, their own, or missing: the block compares integers, the tree walk three-valued values.
    @Test func comparisonsWithTextsAndEnumerationValues() throws {
        let rules = try Fixture.rules("""
            enum shade
              red
              green
              blue
            end
            fact county : text "County?"
            member fact color : shade "Color?"

            program compares "Comparisons"
              requirement in_state "state is CA"
                state = "CA"
              requirement out_of_state "state is not CA"
                state != "CA"
              requirement not_kern "county is not Kern"
                county != "Kern"
              requirement kern "county is Kern"
                county = "Kern"
              requirement some_green "a green member"
                any member where color = green
              requirement none_red "no red member"
                all member where color != red
            end
            """)
        var rng = SplitMix(seed: 23)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var profiles: [Profile] = []
        for n in 1...400 {
            var fields = [#""case_id": "k\#(n)""#, #""state": "\#(pick(["CA", "NV", "TX", "ca"]))""#, #""screening_date": "2025-09-01""#]
            if let c = pick([nil, "Kern", "kern", "Fresno", ""] as [String?]) { fields.append(#""county": "\#(c)""#) }
            let members = (0..<pick([1, 2, 3])).map { _ in pick([#"{}"#, #"{"color": null}"#, #"{"color": "red"}"#, #"{"color": "green"}"#, #"{"color": "blue"}"#]) }
            fields.append(#""members": [\#(members.joined(separator: ", "))]"#)
            if let p = Self.read(rules, "{" + fields.joined(separator: ", ") + "}", asOf: Fixture.day("2025-09-01")) { profiles.append(p) }
        }
        #expect(profiles.count == 400)
        Self.expectSameOutput(rules, profiles)
    }

    /// No program applies (an empty program list, and no CSV rows), no tier holds, no referral is made.
    @Test func nothingAppliesAndNoTier() throws {
        let rules = try Fixture.rules("""
            program local "Local help"
              applies when state = "CA"
              requirement always "Always"
                true
            end

            tier only_involved "Involved"
              when involved because "involved"
            end
            """)
        let profiles = [
            #"{"case_id": "a", "state": "NV", "screening_date": "2025-09-01", "involved": false, "members": [{}]}"#,
            #"{"case_id": "b", "state": "CA", "screening_date": "2025-09-01", "involved": true, "members": [{}]}"#,
            #"{"case_id": "c", "state": "CA", "screening_date": "2025-09-01", "members": [{}]}"#,
        ].compactMap { Self.read(rules, $0, asOf: Fixture.day("2025-09-01")) }
        #expect(profiles.count == 3)
        Self.expectSameOutput(rules, profiles)
    }

    // MARK: Money

    @Test func moneyDigitsAreMoneyNumber() {
        var rng = SplitMix(seed: 11)
        var amounts: [Exact] = [.zero, Exact(1, 200), Exact(-1, 200), Exact(1, 8), Exact(5, 1000), Exact(4999, 1000), Exact(9995, 1000),
                                Exact(99_995, 1000), Exact(Int64.max), Exact(Int64.max, 100), Exact(Int64.max, 3), Exact(-37), Exact(-1, 3)]
        let denominators: [Int64] = [1, 2, 3, 7, 8, 12, 100, 200, 1000, 1_000_003, 3_000_000_007]
        for _ in 0..<5000 {
            let d = denominators[Int(rng.next() % UInt64(denominators.count))]
            let n = Int64(bitPattern: rng.next()) % (rng.next() % 2 == 0 ? 10_000_000 : Int64.max)
            if let x = Exact(numerator: n, denominator: d) { amounts.append(x) }
        }
        for x in amounts {
            let written = Presentation.withMoneyNumber(x) { String(decoding: $0, as: UTF8.self) }
            #expect(written == Presentation.moneyNumber(x), "\(x.numerator)/\(x.denominator)")
            // Against Exact's own decimal writer, which rounds the same way by a separate path.
            #expect(written == x.decimalString(minFraction: 2, maxFraction: 2), "\(x.numerator)/\(x.denominator)")
        }
    }

    // MARK: Generated families

    /// A household like the benchmark caseload's (Benchmarks/Sources/caseload), as a JSON line. `unusual` adds
    /// case ids needing escapes or quotes, other screening dates and more unknown facts.
    static func household(_ n: Int, _ rng: inout SplitMix, unusual: Bool = false) -> String {
        func below(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
        func chance(_ percent: Int) -> Bool { below(100) < percent }
        func pick<T>(_ items: [(T, Int)]) -> T {
            var r = below(items.reduce(0) { $0 + $1.1 })
            for (item, weight) in items { if r < weight { return item }; r -= weight }
            return items[items.count - 1].0
        }
        func money(_ x: Double) -> String { String(format: "%.2f", max(0, x)) }
        let unknown = unusual ? 25 : 4
        let states: [(String, Int)] = [("CA", 20), ("MA", 8), ("VT", 4), ("NJ", 8), ("AL", 8), ("NC", 10), ("WI", 8), ("MI", 10), ("TN", 10), ("TX", 7), ("NY", 7)]
        let counties: [String: [String]] = [
            "CA": ["Los Angeles", "Fresno", "San Diego", "Alameda", "Kern", "Sacramento"], "MA": ["Suffolk", "Worcester", "Hampden"],
            "VT": ["Chittenden", "Rutland", "Washington"], "NJ": ["Essex", "Camden", "Passaic"], "AL": ["Jefferson", "Mobile", "Montgomery"],
            "NC": ["Mecklenburg", "Wake", "Guilford", "Robeson"], "WI": ["Milwaukee", "Dane", "Brown"], "MI": ["Wayne", "Kent", "Genesee"],
            "TN": ["Shelby", "Davidson", "Knox"], "TX": ["Harris", "Dallas"], "NY": ["Kings", "Bronx"],
        ]
        let stages: [(String, Int)] = [("none", 25), ("screened_out", 15), ("referral", 10), ("investigation", 20), ("in_home_case", 12),
                                       ("out_of_home_case", 8), ("reunification", 5), ("post_permanency", 5)]
        let housing: [(String, Int)] = [("stable", 55), ("at_risk", 20), ("doubled_up", 10), ("shelter", 10), ("unsheltered", 5)]
        let programs = ["tanf", "snap", "wic", "medicaid", "chip", "ssi", "liheap", "child_care_subsidy", "head_start"]
        let needsList = ["food", "housing", "utilities", "child_care", "transportation", "employment", "mental_health", "substance_use", "domestic_violence"]
        func povertyLine(_ size: Int) -> Double { (15960 + 5680 * Double(size - 1)) / 12 }

        let state = pick(states)
        let kinship = chance(8)
        let adults = kinship ? 1 : pick([(1, 55), (2, 45)])
        let children = pick([(0, 6), (1, 28), (2, 30), (3, 20), (4, 10), (5, 4), (6, 2)])
        let size = adults + children
        let ratio = pick([(0.0, 15), (0.4, 15), (0.8, 15), (1.0, 12), (1.3, 12), (1.6, 8), (1.85, 8), (2.5, 10), (4.0, 5)]) + Double(below(21) - 10) / 100
        let income = povertyLine(size) * ratio
        var caseId = "c-\(n)"
        var date = "2026-11-01"
        if unusual {
            caseId = pick([("c-\(n)", 3), ("quote \"\(n)\"", 1), ("back\\slash \(n)", 1), ("line\nbreak\t\(n)", 1), ("comma, \(n)", 1),
                           (" padded \(n) ", 1), ("ctl\u{1}\(n)", 1), ("ünïcødé \(n) 家", 1), ("\u{7f}del \(n)", 1)])
            date = pick([("2026-11-01", 4), ("2025-09-01", 2), ("2024-02-29", 1), ("2027-06-15", 1), ("2023-01-01", 1)])
        }
        var top: [(String, String)] = [("case_id", JSONWriter.string(.string(caseId))), ("screening_date", "\"\(date)\""), ("state", "\"\(state)\"")]
        if let cs = counties[state], !chance(unknown) { top.append(("county", "\"\(cs[below(cs.count)])\"")) }
        if !chance(unknown * 2) { top.append(("resources", money(Double(pick([(0, 30), (150, 25), (900, 20), (2500, 15), (9000, 10)]))))) }
        if chance(40) { top.append(("vehicle_value", money(Double(below(15000))))) }
        if !chance(unknown) { top.append(("housing", "\"\(pick(housing))\"")) }
        top.append(("rent", money(Double(400 + below(1400)))))
        if !chance(unknown) { top.append(("utility_shutoff_notice", chance(12) ? "true" : "false")) }
        var enrolled: [String] = []
        for p in programs where chance(p == "snap" ? 35 : p == "medicaid" ? 40 : 8) { enrolled.append(p) }
        if !chance(unknown) { top.append(("enrolled", "[" + enrolled.map { "\"\($0)\"" }.joined(separator: ",") + "]")) }
        var needs: [String] = []
        for p in needsList where chance(10) { needs.append(p) }
        top.append(("needs", "[" + needs.map { "\"\($0)\"" }.joined(separator: ",") + "]"))
        let stage = pick(stages)
        var welfare: [String] = []
        if !unusual || !chance(unknown) { welfare.append(#""stage":"\#(stage)""#) }
        if stage != "none" && stage != "screened_out" { welfare.append(#""substantiated":\#(chance(35))"#) }
        if stage != "none" { welfare.append(#""imminent_risk_of_removal":\#(chance(15))"#) }
        if stage == "out_of_home_case" || stage == "reunification" { welfare.append(#""housing_barrier_to_reunification":\#(chance(30))"#) }
        if !chance(unknown * 3) { top.append(("consent_to_share", chance(70) ? "true" : "false")) }

        var members: [String] = []
        for a in 0..<adults {
            var m: [String] = [#""relationship":"\#(a == 0 ? "caregiver" : "spouse")""#]
            let age = kinship ? 50 + below(25) : 17 + below(30)
            m.append(#""age":\#(age)"#)
            let earns = a == 0 ? income * (kinship ? 0.2 : 0.8) : income * 0.2
            if !chance(unknown) { m.append(#""earned_income":\#(money(earns))"#) }
            if !chance(unknown) { m.append(#""unearned_income":\#(money(kinship ? income * 0.8 : Double(pick([(0, 80), (200, 15), (600, 5)]))))"#) }
            if age < 45, !chance(unknown) { m.append(#""pregnant":\#(chance(6))"#) }
            m.append(#""citizenship":"\#(chance(90) ? "citizen" : "qualified_immigrant")""#)
            m.append(#""disabled":\#(chance(6))"#)
            if !chance(unknown) { m.append(#""tanf_months_used":\#(pick([(0, 60), (12, 20), (40, 15), (61, 5)]))"#) }
            members.append("{" + m.joined(separator: ",") + "}")
        }
        for _ in 0..<children {
            let age = below(18)
            var m: [String] = [#""relationship":"\#(kinship ? "other_relative" : chance(4) ? "foster_child" : "child")""#, #""age":\#(age)"#]
            if age >= 14 { m.append(#""in_school":\#(chance(90))"#); m.append(#""earned_income":0"#) }
            m.append(#""citizenship":"citizen""#)
            if chance(3) { m.append(#""in_foster_care":true"#) }
            members.append("{" + m.joined(separator: ",") + "}")
        }
        let fields = top.map { #""\#($0.0)":\#($0.1)"# } + [#""child_welfare":{"# + welfare.joined(separator: ",") + "}", #""members":["# + members.joined(separator: ",") + "]"]
        return "{" + fields.joined(separator: ",") + "}"
    }
}
