import Testing
@testable import Eligibility

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
}
