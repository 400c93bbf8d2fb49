import Testing
@testable import Eligibility

/// Three-valued logic evaluated through the language: each case loads a tiny rule set whose one program
/// has one requirement, screens a family, and reads the requirement's result.
struct TruthTests {
    static let declarations = """
        enum color
          red
          green
          blue
        end
        fact a : yes/no "a?"
        fact b : yes/no "b?"
        fact c : yes/no "c?"
        fact x : integer "x?"
        fact y : integer "y?"
        fact d : decimal "d?"
        fact m : money "m?"
        fact t : text "t?"
        fact e : color "e?"
        fact s : set of color "s?"
        member fact flag : yes/no "flag?"
        member fact amt : money "amt?"
        member fact age : integer "age?"

        """

    /// The result of requirement `condition` for a family with the given household fields (JSON members, without braces)
    /// and members (a JSON array).
    static func result(_ condition: String, _ fields: String = "", members: String = "[{}]",
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RequirementStatus {
        let rules = try Fixture.rules(declarations + """
            program p "P"
              cite "test"
              requirement r "R"
                \(condition)
            end
            """, sourceLocation: sourceLocation)
        let json = #"{"case_id": "t", "state": "CA", "members": \#(members)\#(fields.isEmpty ? "" : ", " + fields)}"#
        let screening = try Fixture.screen(rules, json, sourceLocation: sourceLocation)
        let program = try #require(screening.programs.first, sourceLocation: sourceLocation)
        return try #require(program.requirements.first, sourceLocation: sourceLocation).result
    }

    /// `"a": true`, `"a": false`, or nothing for unknown.
    static func field(_ name: String, _ value: Bool?) -> String? { value.map { "\"\(name)\": \($0)" } }
    static func fields(_ a: Bool?, _ b: Bool?) -> String { [field("a", a), field("b", b)].compactMap { $0 }.joined(separator: ", ") }

    // MARK: and / or / not: full tables

    @Test(arguments: [
        (true, true, RequirementStatus.met), (true, false, .notMet), (true, nil, .unknown),
        (false, true, .notMet), (false, false, .notMet), (false, nil, .notMet),
        (nil, true, .unknown), (nil, false, .notMet), (nil, nil, .unknown),
    ] as [(Bool?, Bool?, RequirementStatus)])
    func and(_ a: Bool?, _ b: Bool?, _ expected: RequirementStatus) throws {
        #expect(try Self.result("a and b", Self.fields(a, b)) == expected)
    }

    @Test(arguments: [
        (true, true, RequirementStatus.met), (true, false, .met), (true, nil, .met),
        (false, true, .met), (false, false, .notMet), (false, nil, .unknown),
        (nil, true, .met), (nil, false, .unknown), (nil, nil, .unknown),
    ] as [(Bool?, Bool?, RequirementStatus)])
    func or(_ a: Bool?, _ b: Bool?, _ expected: RequirementStatus) throws {
        #expect(try Self.result("a or b", Self.fields(a, b)) == expected)
    }

    // MARK: chains: `a and b and c` is compiled into one node; it must agree with the nested forms

    static let threeValues: [Bool?] = [true, false, nil]
    static let triples: [(Bool?, Bool?, Bool?)] = threeValues.flatMap { a in threeValues.flatMap { b in threeValues.map { c in (a, b, c) } } }

    static func status(_ t: Bool?) -> RequirementStatus { t == true ? .met : t == false ? .notMet : .unknown }

    /// `a and b and c` and `a or b or c` (one node each) against Kleene logic and the right-nested form (not flattened).
    @Test(arguments: triples)
    func chainsAgreeWithNestedForms(_ a: Bool?, _ b: Bool?, _ c: Bool?) throws {
        let fields = [Self.field("a", a), Self.field("b", b), Self.field("c", c)].compactMap { $0 }.joined(separator: ", ")
        for (word, combine) in [("and", Truth.and), ("or", Truth.or)] as [(String, (Bool?, Bool?) -> Bool?)] {
            let expected = Self.status(combine(combine(a, b), c))
            #expect(try Self.result("a \(word) b \(word) c", fields) == expected, "\(word)")
            #expect(try Self.result("a \(word) (b \(word) c)", fields) == expected, "\(word), nested")
        }
    }

    /// A chain of additions is one node: any unknown term makes the sum unknown, and the total is exact.
    @Test(arguments: [
        ("x + y + x + y = 6", #""x": 1, "y": 2"#, RequirementStatus.met),
        ("x + y + x + y = 6", #""x": 1"#, .unknown),
        ("x + y + x + y = 6", #""y": 2"#, .unknown),
        ("x + y + x - y = 2", #""x": 1, "y": 2"#, .met),
        ("d + d + d = 0.3", #""d": 0.1"#, .met),
        ("x + (y + x) + y > 6", #""x": 1, "y": 2"#, .notMet),
    ])
    func additionChain(_ condition: String, _ fields: String, _ expected: RequirementStatus) throws {
        #expect(try Self.result(condition, fields) == expected)
    }

    /// The facts a chain reports as missing are the ones that could still change it, as for the nested form.
    @Test(arguments: [
        ("a and b and c", #""b": true"#, ["a", "c"]),
        ("a and b and c", #""b": false"#, [String]()),
        ("a or b or c", #""b": false"#, ["a", "c"]),
        ("(a or b) and c", #""c": true"#, ["a", "b"]),
    ])
    func chainMissingFacts(_ condition: String, _ fields: String, _ expected: [String]) throws {
        let rules = try Fixture.rules(Self.declarations + """
            program p "P"
              cite "test"
              requirement r "R"
                \(condition)
            end
            """)
        let screening = try Fixture.screen(rules, #"{"case_id": "t", "state": "CA", "members": [{}], \#(fields)}"#)
        #expect(try #require(screening.programs.first).missing == expected)
    }

    @Test(arguments: [(true, RequirementStatus.notMet), (false, .met), (nil, .unknown)] as [(Bool?, RequirementStatus)])
    func not(_ a: Bool?, _ expected: RequirementStatus) throws {
        #expect(try Self.result("not a", Self.fields(a, nil)) == expected)
    }

    /// `not (a and b)` against `not a or not b` for all nine combinations: De Morgan holds with unknowns too.
    @Test(arguments: [
        (true, true, RequirementStatus.notMet), (true, false, .met), (true, nil, .unknown),
        (false, true, .met), (false, false, .met), (false, nil, .met),
        (nil, true, .unknown), (nil, false, .met), (nil, nil, .unknown),
    ] as [(Bool?, Bool?, RequirementStatus)])
    func notAnd(_ a: Bool?, _ b: Bool?, _ expected: RequirementStatus) throws {
        #expect(try Self.result("not (a and b)", Self.fields(a, b)) == expected)
        #expect(try Self.result("not a or not b", Self.fields(a, b)) == expected)
    }

    @Test func nullIsUnknownLikeAbsence() throws {
        #expect(try Self.result("a or b", #""a": null, "b": false"#) == .unknown)
        #expect(try Self.result("a and b", #""a": null, "b": false"#) == .notMet)
    }

    /// A program is ineligible when any requirement is not met (even with others unknown), eligible when all are met,
    /// and needs_info otherwise.
    @Test(arguments: [
        (true, true, ProgramStatus.eligible), (true, false, .ineligible), (true, nil, .needsInfo),
        (false, true, .ineligible), (false, false, .ineligible), (false, nil, .ineligible),
        (nil, true, .needsInfo), (nil, false, .ineligible), (nil, nil, .needsInfo),
    ] as [(Bool?, Bool?, ProgramStatus)])
    func programStatusCombinesRequirements(_ a: Bool?, _ b: Bool?, _ expected: ProgramStatus) throws {
        let rules = try Fixture.rules(Self.declarations + """
            program p "P"
              cite "test"
              requirement ra "A" a
              requirement rb "B" b
            end
            """)
        let s = try Fixture.screen(rules, #"{"case_id": "t", "state": "CA", "members": [{}]\#(Self.fields(a, b).isEmpty ? "" : ", " + Self.fields(a, b))}"#)
        #expect(s.programs.first?.status == expected)
    }

    // MARK: Unknown through arithmetic and comparisons

    @Test(arguments: [
        ("x + y > 3", #""y": 100"#, RequirementStatus.unknown),
        ("x + y > 3", #""x": 1, "y": 100"#, .met),
        ("x * 0 = 0", "", .unknown),                 // no shortcut: unknown times zero is unknown
        ("x - x = 0", "", .unknown),
        ("-x < 0", "", .unknown),
        ("-x < 0", #""x": 4"#, .met),
        ("x / y > 0", #""x": 1"#, .unknown),
        ("x / y > 0", #""x": 1, "y": 0"#, .unknown),  // division by zero is unknown, not a crash
        ("x / y = 0.5", #""x": 1, "y": 2"#, .met),    // integer / integer is exact
        ("x = 5", "", .unknown),
        ("x != 5", "", .unknown),
        ("d > 0.1", "", .unknown),
        ("d + 0.2 = 0.3", #""d": 0.1"#, .met),        // exact decimals
        ("m >= $10", "", .unknown),
        ("m * 2 >= $10", #""m": 5"#, .met),
        ("m * 130% > $6.49", #""m": 5"#, .met),
        ("m * 130% > $6.50", #""m": 5"#, .notMet),
        ("t = \"CA\"", "", .unknown),
        ("t != \"CA\"", #""t": "CA""#, .notMet),
        ("e = red", "", .unknown),
        ("e = red", #""e": "red""#, .met),
        ("e in [red, green]", "", .unknown),
        ("e not in [red, green]", "", .unknown),
        ("e not in [red, green]", #""e": "blue""#, .met),
        ("red in s", "", .unknown),
        ("red in s", #""s": []"#, .notMet),
        ("red in s", #""s": ["blue", "red"]"#, .met),
        ("red not in s", #""s": ["blue"]"#, .met),
        ("x in [1, y]", #""x": 2"#, .unknown),        // y might be 2
        ("x in [2, y]", #""x": 2"#, .met),            // decided by a known item
        ("x > 5 or c", #""c": true"#, .met),
        ("x > 5 and c", #""c": false"#, .notMet),
        ("max(x, 1) >= 1", "", .unknown),
        ("max(x, 1) = 3", #""x": 3"#, .met),
        ("min(m, $5) = $2", #""m": 2"#, .met),
        ("round(d) = 2", "", .unknown),
        ("round(d) = 3", #""d": 2.5"#, .met),
        ("floor(m, $10) = $120", #""m": 129.99"#, .met),
        ("ceil(m, $10) = $130", #""m": 120.01"#, .met),
        ("round(m / 3) = $0.67", #""m": 2"#, .met),     // money rounds to whole cents: $2 / 3 = $0.666...
        ("round(m / 3) = $0.66", #""m": 1.99"#, .met),  // $0.66333...
    ])
    func unknownPropagates(_ condition: String, _ fields: String, _ expected: RequirementStatus) throws {
        #expect(try Self.result(condition, fields) == expected, "\(condition) with {\(fields)}")
    }

    // MARK: known, otherwise, if

    @Test(arguments: [
        ("known x", "", RequirementStatus.notMet),
        ("known x", #""x": 0"#, .met),
        ("not known x", "", .met),
        ("known (x + y)", #""x": 1"#, .notMet),
        ("known (x + y)", #""x": 1, "y": 2"#, .met),
        ("known a", #""a": false"#, .met),
        ("(x otherwise 7) = 7", "", .met),
        ("(x otherwise 7) = 7", #""x": 3"#, .notMet),
        ("(x otherwise y) = 2", "", .unknown),
        ("(x otherwise y) = 2", #""y": 2"#, .met),
        ("a otherwise false", "", .notMet),
        ("a otherwise false", #""a": true"#, .met),
        ("(if c then 1 else 1) = 1", "", .met),       // both branches agree: the condition does not matter
        ("(if c then 1 else 2) = 1", "", .unknown),
        ("(if c then 1 else 2) = 1", #""c": true"#, .met),
        ("(if c then 1 else 2) = 1", #""c": false"#, .notMet),
        ("(if c then x else 5) = 5", #""x": 5"#, .met),
        ("(if c then x else 5) = 5", "", .unknown),
        ("(if c then x else 5) = 5", #""c": false"#, .met),  // the unknown branch is not taken
    ])
    func knownOtherwiseIf(_ condition: String, _ fields: String, _ expected: RequirementStatus) throws {
        #expect(try Self.result(condition, fields) == expected, "\(condition) with {\(fields)}")
    }

    // MARK: Aggregates over members

    @Test(arguments: [
        // any: decided true by one member despite others unknown
        ("any member where flag", #"[{"flag": true}, {}]"#, RequirementStatus.met),
        ("any member where flag", #"[{}, {"flag": true}]"#, .met),
        ("any member where flag", #"[{"flag": false}, {}]"#, .unknown),
        ("any member where flag", #"[{"flag": false}, {"flag": false}]"#, .notMet),
        // all: decided false by one member despite others unknown
        ("all member where flag", #"[{"flag": false}, {}]"#, .notMet),
        ("all member where flag", #"[{}, {"flag": false}]"#, .notMet),
        ("all member where flag", #"[{"flag": true}, {}]"#, .unknown),
        ("all member where flag", #"[{"flag": true}, {"flag": true}]"#, .met),
        // filters: members left out by the filter do not count, members with an unknown filter might
        ("any flag over members where age < 18", #"[{"age": 30, "flag": true}, {"age": 5}]"#, .unknown),
        ("any flag over members where age < 18", #"[{"age": 30}, {"age": 5, "flag": true}]"#, .met),
        ("any flag over members where age < 18", #"[{"age": 30, "flag": true}, {"age": 5, "flag": false}]"#, .notMet),
        ("any flag over members where age < 18", #"[{"flag": true}]"#, .unknown),
        ("any flag over members where age < 18", #"[{"age": 30, "flag": true}]"#, .notMet),
        ("all flag over members where age < 18", #"[{"age": 30, "flag": false}, {"age": 5, "flag": true}]"#, .met),
        ("all flag over members where age < 18", #"[{"age": 30}, {"age": 5, "flag": false}, {"age": 7}]"#, .notMet),
        ("all flag over members where age < 18", #"[{"flag": false}]"#, .unknown),
        ("all flag over members where age < 18", #"[{"age": 40}]"#, .met),
        // count: unknown when any member's filter is unknown
        ("(count members) = 3", #"[{}, {}, {}]"#, .met),
        ("(count members where flag) = 2", #"[{"flag": true}, {"flag": true}, {"flag": false}]"#, .met),
        ("(count members where flag) = 2", #"[{"flag": true}, {"flag": true}, {}]"#, .unknown),
        ("(count members where flag) >= 1", #"[{"flag": true}, {}]"#, .unknown),
        ("(count members where age < 18) = 1", #"[{"age": 30, "flag": true}, {"age": 4}]"#, .met),
        // sum, min, max: unknown when an included member's value or filter is unknown
        ("(sum amt over members) = $30", #"[{"amt": 10}, {"amt": 20}]"#, .met),
        ("(sum amt over members) = $30", #"[{"amt": 10}, {}]"#, .unknown),
        ("(sum amt over members where age >= 18) = $10", #"[{"age": 30, "amt": 10}, {"age": 5}]"#, .met),
        ("(sum amt over members where age >= 18) = $10", #"[{"age": 30, "amt": 10}, {"amt": 5}]"#, .unknown),
        ("(sum amt over members where age >= 18) = $0", #"[{"age": 5}]"#, .met),
        ("(min amt over members) = $10", #"[{"amt": 10}, {"amt": 20}]"#, .met),
        ("(min amt over members) = $10", #"[{"amt": 10}, {}]"#, .unknown),
        ("(max amt over members) = $20", #"[{"amt": 10}, {"amt": 20}]"#, .met),
        ("(max amt over members where age >= 18) = $20", #"[{"age": 30, "amt": 20}, {"age": 5}]"#, .met),
        ("(max amt over members where age >= 18) = $20", #"[{"age": 30, "amt": 20}, {"amt": 50}]"#, .unknown),
        ("known (max amt over members where age >= 18)", #"[{"age": 5}]"#, .notMet),   // no member included: no maximum
    ])
    func aggregates(_ condition: String, _ members: String, _ expected: RequirementStatus) throws {
        #expect(try Self.result(condition, members: members) == expected, "\(condition) over \(members)")
    }

    /// Members are counted even when the rules declare no member facts (only household ones).
    @Test(arguments: [1, 3, 7])
    func countingMembersWithoutMemberFacts(_ n: Int) throws {
        let rules = try Fixture.rules("""
            let size = count members
            let anyone = any member where size > 0
            """)
        let json = #"{"case_id": "t", "state": "CA", "members": [\#(Array(repeating: "{}", count: n).joined(separator: ", "))]}"#
        #expect(try Fixture.value("size", rules, json) == Fixture.number(String(n)))
        #expect(try Fixture.value("anyone", rules, json) == .bool(true))
    }
}
