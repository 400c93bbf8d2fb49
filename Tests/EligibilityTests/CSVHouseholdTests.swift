import Foundation
import Testing
@testable import Eligibility
import TestSupport

/// CSV rows to profiles: households, empty lists, money cells, member columns, rows that disagree.
@Suite struct CSVHouseholdTests {
    static let rules = Fixture.shipped.ruleSet!

    func profiles(_ rows: [[String]]) -> [BatchRecord.Payload] {
        var households = CSVHouseholds(header: rows[0], rules: Self.rules)
        var out: [BatchRecord.Payload] = []
        for (i, row) in rows.dropFirst().enumerated() { if let r = households.add(row, line: i + 2) { out.append(r.payload) } }
        if let last = households.finish() { out.append(last.payload) }
        // Households are turned into profiles where the batch workers do it.
        return out.map { payload in
            guard case .csvHousehold(let h) = payload else { return payload }
            switch h.profile() {
            case .success(let json): return .profile(json)
            case .failure(let e): return .unreadable(caseId: e.caseId, issues: e.issues)
            }
        }
    }

    @Test func emptyListsMoneyAndMemberColumns() throws {
        let result = profiles([
            ["case_id", "state", "enrolled", "needs", "members.age", "earned_income", "resources"],
            ["h1", "CA", "none", "[]", "30", "$1,200.50", ""],
            ["h1", "CA", "none", "[]", "4", "", ""],
        ])
        #expect(result.count == 1)
        guard case .profile(let json) = result[0] else { Issue.record("not a profile: \(result[0])"); return }
        #expect(json["enrolled"] == .array([]))
        #expect(json["needs"] == .array([]))
        #expect(json["resources"] == nil)  // empty cell: unknown
        #expect(json["members"]?[0]?["age"] == .number("30"))
        #expect(json["members"]?[0]?["earned_income"] == .number("1200.50"))
        #expect(json["members"]?[1]?["earned_income"] == nil)
    }

    @Test func householdFieldsThatDisagreeAreAnError() {
        let result = profiles([
            ["case_id", "state", "county", "age"],
            ["h1", "CA", "Fresno", "30"],
            ["h1", "CA", "Kern", "4"],
        ])
        guard case .unreadable(let caseId, let issues) = result[0] else { Issue.record("expected an error"); return }
        #expect(caseId == "h1")
        #expect(issues.map(\.description) == [#"county: differs between rows of one household: "Fresno" on line 2, "Kern" on line 3"#])
    }

    /// Two columns naming one household field must agree, within a row as across rows.
    @Test func aRepeatedColumnMustAgree() {
        let agree = profiles([["case_id", "state", "county", "age", "county"], ["h1", "CA", "Fresno", "30", "Fresno"]])
        guard case .profile(let json) = agree[0] else { Issue.record("expected a profile"); return }
        #expect(json["county"] == .string("Fresno"))
        let differ = profiles([["case_id", "state", "county", "age", "county"], ["h1", "CA", "Fresno", "30", "Kern"]])
        guard case .unreadable(_, let issues) = differ[0] else { Issue.record("expected an error"); return }
        #expect(issues.map(\.description) == [#"county: differs between rows of one household: "Fresno" on line 2, "Kern" on line 2"#])
    }

    @Test func aRaggedRowIsAnError() {
        let result = profiles([["case_id", "state", "age"], ["h1", "CA"]])
        guard case .unreadable(_, let issues) = result[0] else { Issue.record("expected an error"); return }
        #expect(issues.map(\.description) == ["line 2: expected 3 fields as in the header, got 2"])
    }

    // MARK: - The JSON bytes written for the fast reader say what the tree says

    /// Every household of `rows` (header first): the JSON bytes, when written, must parse to the tree's profile.
    /// Returns how many households were written as bytes.
    @discardableResult
    static func expectSameProfile(_ rows: [[String]], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (written: Int, households: Int) {
        var households = CSVHouseholds(header: rows[0], rules: rules)
        var records: [BatchRecord] = []
        for (i, row) in rows.dropFirst().enumerated() { if let r = households.add(row, line: i + 2) { records.append(r) } }
        if let last = households.finish() { records.append(last) }
        var written = 0, total = 0
        for record in records {
            guard case .csvHousehold(let h) = record.payload else { continue }
            total += 1
            guard let bytes = h.json() else { continue }
            written += 1
            let tree = h.profile()
            guard case .success(let expected) = tree else {
                Issue.record("bytes written for a household the tree rejects: \(tree)", sourceLocation: sourceLocation)
                continue
            }
            do {
                let parsed = try JSONParser.parse(bytes)
                #expect(parsed == expected, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
            } catch {
                Issue.record("not JSON: \(String(decoding: bytes, as: UTF8.self)): \(error)", sourceLocation: sourceLocation)
            }
        }
        return (written, total)
    }

    /// A generated caseload flattened to CSV as an analyst's export would be: one row per member, nested fields
    /// dotted, lists joined with `;`, and cells written the ways spreadsheets write them.
    static func csv(_ count: Int, seed: UInt64) -> [[String]] {
        var rng = SplitMix(seed: seed)
        func below(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
        var households: [(household: [(String, String)], members: [[(String, String)]])] = []
        func cell(_ v: JSONValue) -> String {
            switch v {
            case .string(let s): return s
            case .number(let n): return n
            case .bool(let b): return b ? "true" : "false"
            case .array(let items): return items.isEmpty ? "none" : items.map(cell).joined(separator: ";")
            default: return ""
            }
        }
        for n in 1...count {
            guard case .object(let object)? = try? JSONParser.parse(Array(CaseloadRecord.random(n, &rng).utf8)) else { continue }
            var household: [(String, String)] = [], members: [[(String, String)]] = []
            for (key, value) in object.members {
                switch value {
                case .object(let inner): for (k, v) in inner.members { household.append(("\(key).\(k)", cell(v))) }
                case .array(let items) where key == "members":
                    members = items.map { item in item.objectValue?.members.map { ($0.key, cell($0.value)) } ?? [] }
                default: household.append((key, cell(value)))
                }
            }
            households.append((household, members))
        }
        var columns: [String] = [], memberColumns: [String] = []
        for h in households {
            for (k, _) in h.household where !columns.contains(k) { columns.append(k) }
            for m in h.members { for (k, _) in m where !memberColumns.contains(k) { memberColumns.append(k) } }
        }
        var rows = [columns + memberColumns]
        // Spreadsheet habits: padding, capitals, money with a dollar sign and thousands separators. A household
        // column is written one way for the whole household, as an export would, so its rows still agree.
        func habit(_ text: String, _ name: String, _ choice: Int) -> String {
            switch choice {
            case 0: return " \(text) "
            case 1 where name != "case_id": return text.uppercased()
            case 2 where name.hasSuffix("income") || name == "rent" || name == "resources":
                guard let x = Double(text), x >= 1000 else { return "$" + text }
                let whole = Int(x), cents = text.split(separator: ".").dropFirst().first.map { "." + $0 } ?? ""
                return "$\(whole / 1000),\(String(format: "%03d", whole % 1000))\(cents)"
            default: return text
            }
        }
        for h in households {
            let householdChoices = columns.map { _ in below(12) }
            for m in h.members.isEmpty ? [[]] : h.members {
                var row = columns.enumerated().map { k, c in habit(h.household.first { $0.0 == c }?.1 ?? "", c, householdChoices[k]) }
                row += memberColumns.map { c in habit(m.first { $0.0 == c }?.1 ?? "", c, below(12)) }
                rows.append(row)
            }
        }
        return rows
    }

    @Test func generatedCaseloadsAreWrittenAsTheTreeReadsThem() {
        for seed in [UInt64(1), 2, 3] {
            let (written, households) = Self.expectSameProfile(Self.csv(400, seed: seed))
            #expect(households == 400)
            // Households take the tree only for cells JSON cannot carry as they are.
            #expect(written == households)
        }
    }

    /// Cells at the edges of what the bytes path writes: each household either gets the tree's profile or is left to the tree.
    @Test(arguments: [
        // numbers: JSON syntax is written; other syntax Exact reads goes to the tree; what it does not read is text
        ["5", "+5", ".5", "5.", "007", "1e3", "-0", "1,200", "$1,200.50", "$", "12345678901234567890123", "abc", "1.2.3", "$-5"],
        // yes/no words in any case; others stay text
        ["YES", "y", "N", "0", "1", "True", "maybe", " no ", "ｙes"],
        // lists: none, [], separators and spaces, and NONE where the enum has no value none
        ["none", "NONE", "[]", "snap; wic", "snap;;wic;", " ; ", "Snap"],
        // text: quotes, backslashes, line breaks, tabs, characters outside ASCII, spaces before combining marks
        ["Doña Ana", "say \"hi\"", "back\\slash", "two\nlines", "tab\there", " \u{301}x", "x \u{301}", "日本"],
    ])
    func edgeCells(_ cells: [String]) {
        for text in cells {
            Self.expectSameProfile([
                ["case_id", "state", "county", "resources", "utility_shutoff_notice", "enrolled", "child_welfare.stage", "age", "earned_income", "pregnant"],
                ["h1", "CA", text, text, text, text, "investigation", "30", text, text],
                ["h1", "CA", text, text, text, text, "investigation", "4", "0", ""],
            ])
        }
    }

    @Test func keyOrderFollowsTheCellsThatFirstGiveAValue() {
        // The state comes from the second row and a nested field before its sibling: the tree's insertion order.
        let rows = [
            ["child_welfare.substantiated", "case_id", "state", "child_welfare.stage", "age", "county", "county"],
            ["", "h1", "", "investigation", "30", "", ""],
            ["true", "h1", "CA", "investigation", "4", "Kern", "Kern"],
            ["", "h2", "MI", "", "30", "Wayne", "Wayne"],
        ]
        let (written, households) = Self.expectSameProfile(rows)
        #expect(written == 2 && households == 2)
    }

    @Test func rowsTheTreeReportsAreLeftToIt() {
        let cases: [[[String]]] = [
            [["case_id", "state", "age"], ["h1", "CA", "30"], ["h1", "MI", "4"]],  // disagree
            [["case_id", "state", "age"], ["h1", "CA"]],  // ragged
            [["case_id", "state", "county", "age", "county"], ["h1", "CA", "Fresno", "30", "Kern"]],  // a repeated column disagrees
            [["case_id", "state", "age", "members.age"], ["h1", "CA", "30", "31"]],  // one member fact, two columns
        ]
        for rows in cases {
            let (written, households) = Self.expectSameProfile(rows)
            #expect(households == 1 && written == 0, "\(rows)")
        }
    }
}
