import Foundation
import Testing
import TestSupport
@testable import Eligibility

private func parse(_ text: String, path: String = "t.rules") -> (syntax: RuleFileSyntax, diagnostics: [Diagnostic]) {
    Parser.parse(SourceFile(path: path, text: text), file: 0)
}

/// The only declaration of `text`, which must parse without diagnostics.
private func only(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Declaration? {
    let result = parse(text)
    #expect(result.diagnostics.map(\.message) == [], sourceLocation: sourceLocation)
    #expect(result.syntax.declarations.count == 1, sourceLocation: sourceLocation)
    return result.syntax.declarations.first
}

private func expression(_ text: String) -> (sexpr: String?, diagnostics: [Diagnostic]) {
    let result = Parser.parseExpression(SourceFile(path: "t.rules", text: text), file: 0)
    return (result.expr?.sexpr, result.diagnostics)
}

private func messages(_ text: String) -> [String] { parse(text).diagnostics.map(\.message) }

struct ParserTests {
    // MARK: Expressions

    @Test(arguments: [
        // literals and names
        ("12", "12"), ("0.5", "0.5"), ("$1,829.00", "$1829.00"), ("130%", "130%"), ("2025-10-01", "2025-10-01"),
        ("\"CA\"", "\"CA\""), ("true", "true"), ("false", "false"), ("yes", "true"), ("no", "false"),
        ("child_welfare.stage", "child_welfare.stage"), ("program.name", "program.name"),
        // precedence, lowest first: otherwise, or, and, not, comparison, additive, multiplicative, unary
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c", "(or (and a b) c)"),
        ("a or b or c", "(or (or a b) c)"),
        ("not a = b", "(not (= a b))"),
        ("not a and b", "(and (not a) b)"),
        ("not not a", "(not (not a))"),
        ("x otherwise y", "(otherwise x y)"),
        ("a or b otherwise c", "(otherwise (or a b) c)"),
        ("x otherwise y otherwise z", "(otherwise (otherwise x y) z)"),
        ("a + b * c", "(+ a (* b c))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b * c", "(* (/ a b) c)"),
        ("-a * b", "(* (- a) b)"),
        ("- -a", "(- (- a))"),
        ("a < b + 1", "(< a (+ b 1))"),
        ("a = b", "(= a b)"), ("a != b", "(!= a b)"), ("a <= b", "(<= a b)"), ("a > b", "(> a b)"), ("a >= b", "(>= a b)"),
        ("(a or b) and c", "(and (or a b) c)"),
        ("a + b = c and d", "(and (= (+ a b) c) d)"),
        // membership
        ("x in [a, b]", "(in x [a b])"),
        ("x not in [a, b]", "(not in x [a b])"),
        ("not x in y", "(not (in x y))"),
        ("\"snap\" in enrolled", "(in \"snap\" enrolled)"),
        ("food in needs", "(in food needs)"),
        ("child_welfare.stage = referral", "(= child_welfare.stage referral)"),
        ("[]", "[]"),
        // calls
        ("max(0, a - b)", "(call max 0 (- a b))"),
        ("min(a, b, c)", "(call min a b c)"),
        ("round(x, $1)", "(call round x $1)"),
        ("f()", "(call f)"),
        ("ca.mbsac(household_size)", "(call ca.mbsac household_size)"),
        ("eligible(program)", "(call eligible program)"),
        ("eligible(kind cash_assistance)", "(call eligible (kind cash_assistance))"),
        ("enrolled(snap)", "(call enrolled snap)"),
        ("benefit(tanf.ca)", "(call benefit tanf.ca)"),
        ("years_between(birth_date, screening_date)", "(call years_between birth_date screening_date)"),
        // aggregates extend as far right as they can
        ("count members", "(count members)"),
        ("count members where age < 18 and disabled", "(count members where (and (< age 18) disabled))"),
        ("any member where pregnant or disabled", "(any (or pregnant disabled) over members)"),
        ("all member where age > 1", "(all (> age 1) over members)"),
        ("any age > 60 over members", "(any (> age 60) over members)"),
        ("sum earned_income + unearned_income over members", "(sum (+ earned_income unearned_income) over members)"),
        ("sum x over members where age >= 18", "(sum x over members where (>= age 18))"),
        ("max age over members where pregnant", "(max age over members where pregnant)"),
        ("min (age) over members", "(min age over members)"),
        ("max(a) + 1 over members", "(max (+ a 1) over members)"),
        ("$450 * count members where earned_income > $0", "(* $450 (count members where (> earned_income $0)))"),
        ("(count members where a) + 1", "(+ (count members where a) 1)"),
        ("max(0, sum x over members - d) + sum y over members",
         "(+ (call max 0 (- (sum x over members) d)) (sum y over members))"),
        // conditionals
        ("if a then b else c", "(if a b c)"),
        ("if a then b else if c then d else e", "(if a b (if c d e))"),
        ("if a then b else c + 1", "(if a b (+ c 1))"),
        ("if a otherwise b then c otherwise d else e otherwise f", "(if (otherwise a b) (otherwise c d) (otherwise e f))"),
        // known, durations
        ("known age and age > 3", "(and (known age) (> age 3))"),
        ("known (a + b)", "(known (+ a b))"),
        ("6 months", "(6 months)"), ("1 year", "(1 years)"), ("90 days", "(90 days)"), ("1 day", "(1 days)"),
        ("screening_date - 6 months", "(- screening_date (6 months))"),
        ("(n + 1) years", "((+ n 1) years)"),
        ("130% * poverty_line", "(* 130% poverty_line)"),
    ] as [(String, String)])
    func expressions(_ source: String, _ expected: String) {
        let result = expression(source)
        #expect(result.diagnostics.map(\.message) == [])
        #expect(result.sexpr == expected)
    }

    @Test func expressionRangesCoverTheirText() throws {
        let text = "max(a, b) + (c * 2) = (count members where x) and 6 months < d"
        let source = SourceFile(path: "t.rules", text: text)
        let expr = try #require(Parser.parseExpression(source, file: 0).expr)
        #expect(source.slice(expr.range) == text)
        guard case .binary(.and, let comparison, let tail) = expr.kind,
              case .binary(.equal, let sum, let count) = comparison.kind,
              case .binary(.add, let call, let group) = sum.kind else { Issue.record("unexpected shape \(expr.sexpr)"); return }
        #expect(source.slice(comparison.range) == "max(a, b) + (c * 2) = (count members where x)")
        #expect(source.slice(call.range) == "max(a, b)")
        #expect(source.slice(group.range) == "(c * 2)")
        #expect(source.slice(count.range) == "(count members where x)")
        #expect(source.slice(tail.range) == "6 months < d")
        if case .call(let name, _) = call.kind { #expect(source.slice(name.range) == "max") }
    }

    // MARK: Declarations

    @Test func enumeration() throws {
        let decl = only("enum housing_status \"Where the family lives now\"\n  stable \"Stable housing\"\n  shelter\n  referral \"Accepted report\"\nend")
        guard case .enumeration(let e) = decl else { Issue.record("not an enum"); return }
        #expect(e.name.text == "housing_status")
        #expect(e.title == "Where the family lives now")
        #expect(e.values.map(\.name.text) == ["stable", "shelter", "referral"])
        #expect(e.values.map(\.label) == ["Stable housing", nil, "Accepted report"])
    }

    @Test(arguments: [
        ("fact a : yes/no", "yes/no", false),
        ("fact a : integer", "integer", false),
        ("fact a : housing_status", "housing_status", false),
        ("fact enrolled : set of benefit_program", "benefit_program", true),
        ("fact needs : set of need", "need", true),
    ] as [(String, String, Bool)])
    func factTypes(_ source: String, _ type: String, _ isSet: Bool) {
        guard case .fact(let f) = only(source) else { Issue.record("not a fact"); return }
        switch f.type {
        case .named(let n): #expect(!isSet); #expect(n.text == type)
        case .setOf(let n): #expect(isSet); #expect(n.text == type)
        }
        #expect(f.scope == .household)
        #expect(f.question == nil)
    }

    @Test func memberFactWithEveryClause() {
        let decl = only("""
            member fact age : integer "How old is this person?"
              range 0 to 120
              ask only when known birth_date
              otherwise years_between(birth_date, screening_date)
            """)
        guard case .fact(let f) = decl else { Issue.record("not a fact"); return }
        #expect(f.scope == .member)
        #expect(f.name.text == "age")
        #expect(f.question == "How old is this person?")
        #expect(f.bounds.lower?.sexpr == "0")
        #expect(f.bounds.upper?.sexpr == "120")
        #expect(f.askWhen?.sexpr == "(known birth_date)")
        #expect(f.fallback?.sexpr == "(call years_between birth_date screening_date)")
    }

    @Test(arguments: [
        ("fact a : integer ask only when b otherwise c", "(range nil nil) ask b otherwise c"),
        ("fact a : integer ask only when x or y otherwise c otherwise d", "(range nil nil) ask (or x y) otherwise (otherwise c d)"),
        ("fact a : integer ask only when (x otherwise y) otherwise c", "(range nil nil) ask (otherwise x y) otherwise c"),
        ("fact a : integer ask only when if p then q else r otherwise c", "(range nil nil) ask (if p q r) otherwise c"),
        ("fact a : integer ask only when any member where p otherwise c", "(range nil nil) ask (any p over members) otherwise c"),
        ("fact a : integer range -5 to 5 otherwise 0", "(range (- 5) 5) ask nil otherwise 0"),
        ("fact a : integer range 0 to 9 ask only when b", "(range 0 9) ask b otherwise nil"),
    ] as [(String, String)])
    func factClausesEndAtTheFallback(_ source: String, _ expected: String) {
        guard case .fact(let f) = only(source) else { Issue.record("not a fact"); return }
        let shape = "(range \(f.bounds.lower?.sexpr ?? "nil") \(f.bounds.upper?.sexpr ?? "nil")) ask \(f.askWhen?.sexpr ?? "nil") otherwise \(f.fallback?.sexpr ?? "nil")"
        #expect(shape == expected)
    }

    @Test func lets() {
        guard case .value(let household) = only("let household_size = count members") else { Issue.record("not a let"); return }
        #expect(household.scope == .household)
        #expect(household.name.text == "household_size")
        #expect(household.value.sexpr == "(count members)")
        guard case .value(let member) = only("member let is_adult = age >= 18") else { Issue.record("not a let"); return }
        #expect(member.scope == .member)
        #expect(member.value.sexpr == "(>= age 18)")
    }

    @Test func scalarParameter() {
        let decl = only("""
            parameter ca.resource_limit "CalWORKs resource limit"
              cite "MPP 42-207"
              from 2024-01-01: $11,925
              from 2025-01-01: $12,137 otherwise $0
            end
            """)
        guard case .parameter(let p) = decl else { Issue.record("not a parameter"); return }
        #expect(p.name.text == "ca.resource_limit")
        #expect(p.title == "CalWORKs resource limit")
        #expect(p.cite == "MPP 42-207")
        #expect(p.key == .scalar)
        #expect(p.versions.map(\.from.text) == ["2024-01-01", "2025-01-01"])
        #expect(p.versions.map { $0.entries.map(\.value.sexpr) } == [["$11925"], ["(otherwise $12137 $0)"]])
        #expect(p.versions.allSatisfy { $0.entries.allSatisfy { $0.key == nil } && $0.otherwise == nil && $0.eachAdditional == nil })
    }

    @Test func householdSizeParameter() {
        let decl = only("""
            parameter fpg "HHS poverty guideline"
              by household size
                from 2025-01-01: $15,650, $21,150, $26,650; each additional $5,500
                from 2026-01-01: 1, 2
            end
            """)
        guard case .parameter(let p) = decl else { Issue.record("not a parameter"); return }
        #expect(p.key == .householdSize)
        #expect(p.versions[0].entries.map(\.value.sexpr) == ["$15650", "$21150", "$26650"])
        #expect(p.versions[0].eachAdditional?.sexpr == "$5500")
        #expect(p.versions[1].entries.map(\.value.sexpr) == ["1", "2"])
        #expect(p.versions[1].eachAdditional == nil)
    }

    @Test(arguments: [
        ("by county", "text county", #"from 2022-07-01: "Alameda" 1, "Los Angeles" 1, otherwise 2"#, #""Alameda"=1 "Los Angeles"=1 otherwise 2"#),
        ("by state", "text state", #"from 2022-07-01: "CA" $5, "NY" $6"#, #""CA"=$5 "NY"=$6 otherwise nil"#),
        ("by housing_status", "enum housing_status", "from 2022-07-01: shelter $10, referral $5 + $1, otherwise $0",
         "shelter=$10 referral=(+ $5 $1) otherwise $0"),
        ("by household", "enum household", "from 2022-07-01: a 1", "a=1 otherwise nil"),
    ] as [(String, String, String, String)])
    func keyedParameters(_ by: String, _ key: String, _ row: String, _ expected: String) {
        guard case .parameter(let p) = only("parameter p \(by)\n  \(row)\nend") else { Issue.record("not a parameter"); return }
        switch p.key {
        case .text(let n): #expect("text \(n.text)" == key)
        case .enumeration(let n): #expect("enum \(n.text)" == key)
        default: Issue.record("unexpected key \(p.key)")
        }
        let version = p.versions[0]
        let entries = version.entries.map { "\($0.key?.sexpr ?? "nil")=\($0.value.sexpr)" }
        #expect((entries + ["otherwise \(version.otherwise?.sexpr ?? "nil")"]).joined(separator: " ") == expected)
    }

    @Test func program() throws {
        let text = """
            program tanf.ca "CalWORKs"
              kind cash_assistance
              applies when state = "CA"
              enrolled when tanf in enrolled
              cite "Cal. Welf. & Inst. Code 11200"

              let disregard = $450 * count members where earned_income > $0
              let limit = if ca.region(county) = 1 then ca.mbsac_r1(household_size) else ca.mbsac_r2(household_size)

              requirement child "A child or a pregnant member"
                any member where dependent_child or pregnant
              requirement income "Income below the standard"
                countable_income < limit
                explain "countable income {countable_income} against {limit}"
                cite "MPP 44-207"
              requirement resources resources <= ca.resource_limit

              benefit max(0, ca.max_aid_payment(household_size) - countable_income)
                explain "the maximum aid payment less {countable_income}"
            end
            """
        let source = SourceFile(path: "t.rules", text: text)
        let result = Parser.parse(source, file: 0)
        #expect(result.diagnostics.isEmpty)
        guard case .program(let p) = try #require(result.syntax.declarations.first) else { Issue.record("not a program"); return }
        #expect(p.id.text == "tanf.ca")
        #expect(p.title == "CalWORKs")
        #expect(p.kind?.text == "cash_assistance")
        #expect(p.applies?.sexpr == "(= state \"CA\")")
        #expect(p.enrolledWhen?.sexpr == "(in tanf enrolled)")
        #expect(p.cite == "Cal. Welf. & Inst. Code 11200")
        #expect(p.lets.map(\.name.text) == ["disregard", "limit"])
        #expect(p.lets[1].value.sexpr ==
                "(if (= (call ca.region county) 1) (call ca.mbsac_r1 household_size) (call ca.mbsac_r2 household_size))")
        #expect(p.requirements.map(\.id.text) == ["child", "income", "resources"])
        #expect(p.requirements.map(\.title) == ["A child or a pregnant member", "Income below the standard", nil])
        #expect(p.requirements[0].condition.sexpr == "(any (or dependent_child pregnant) over members)")
        #expect(p.requirements[1].explain?.dump == "countable income {countable_income} against {limit}")
        #expect(p.requirements[1].cite == "MPP 44-207")
        #expect(p.requirements[2].condition.sexpr == "(<= resources ca.resource_limit)")
        #expect(p.benefit?.sexpr == "(call max 0 (- (call ca.max_aid_payment household_size) countable_income))")
        #expect(p.benefitExplain?.dump == "the maximum aid payment less {countable_income}")
        #expect(source.slice(p.range) == text)
        #expect(source.slice(p.requirements[1].range) ==
                "requirement income \"Income below the standard\"\n    countable_income < limit\n    explain \"countable income {countable_income} against {limit}\"\n    cite \"MPP 44-207\"")
    }

    @Test func referral() {
        let decl = only("""
            referral tanf_expedited "TANF office: expedited appointment"
              to "County TANF office"
              for programs of kind cash_assistance
              when unclaimed(program) and involved_with_child_welfare
              priority urgent when child_welfare.imminent_risk_of_removal
              priority high
              because "eligible for {program.name} and not enrolled"
              needs consent
              cite "WIC 11203"
            end
            """)
        guard case .referral(let r) = decl else { Issue.record("not a referral"); return }
        #expect(r.id.text == "tanf_expedited")
        #expect(r.title == "TANF office: expedited appointment")
        #expect(r.to == "County TANF office")
        guard case .programsOfKind(let kind) = r.target else { Issue.record("target \(r.target)"); return }
        #expect(kind.text == "cash_assistance")
        #expect(r.when.sexpr == "(and (call unclaimed program) involved_with_child_welfare)")
        #expect(r.priorities.map(\.level.text) == ["urgent", "high"])
        #expect(r.priorities.map { $0.when?.sexpr } == ["child_welfare.imminent_risk_of_removal", nil])
        #expect(r.because?.dump == "eligible for {program.name} and not enrolled")
        #expect(r.needsConsent)
        #expect(r.cite == "WIC 11203")

        guard case .referral(let single) = only("referral food_bank to \"Food bank\" for program snap when food in needs end") else {
            Issue.record("not a referral"); return
        }
        guard case .program(let program) = single.target else { Issue.record("target \(single.target)"); return }
        #expect(program.text == "snap")
        #expect(single.when.sexpr == "(in food needs)")
        #expect(!single.needsConsent)
        #expect(single.priorities.isEmpty)
    }

    @Test func tier() {
        let decl = only("""
            tier tertiary "Tertiary prevention" cite "CAPTA"
              when child_welfare.substantiated because "maltreatment was substantiated"
              when child_welfare.stage in [in_home_case, reunification]
                because "open {child_welfare.stage} case"
              when a otherwise b because "c"
              otherwise because "no involvement"
            end
            """)
        guard case .tier(let t) = decl else { Issue.record("not a tier"); return }
        #expect(t.id.text == "tertiary")
        #expect(t.title == "Tertiary prevention")
        #expect(t.cite == "CAPTA")
        #expect(t.conditions.map { $0.condition?.sexpr } ==
                ["child_welfare.substantiated", "(in child_welfare.stage [in_home_case reunification])", "(otherwise a b)", nil])
        #expect(t.conditions.map(\.because.dump) ==
                ["maltreatment was substantiated", "open {child_welfare.stage} case", "c", "no involvement"])
    }

    @Test func test() {
        let text = """
            test "CalWORKs: a family of three"
              given { "case_id": "t1", "members": [ { "age": 30 } ], "note": "} not the end" }
              expect tanf.ca eligible
              expect snap ineligible
              expect wic needs_info
              expect tanf.ca benefit $1,115.00
              expect tanf.ca requirement income not_met
              expect tanf.ny not listed
              expect referral tanf_expedited
              expect referral food_bank priority urgent
              expect no referral housing
              expect tier secondary
              expect unclaimed tanf.ca
              expect not unclaimed snap
              expect unclaimed eligible
            end
            """
        let source = SourceFile(path: "t.rules", text: text)
        let result = Parser.parse(source, file: 0)
        #expect(result.diagnostics.isEmpty)
        guard case .test(let t) = result.syntax.declarations.first else { Issue.record("not a test"); return }
        #expect(t.name == "CalWORKs: a family of three")
        #expect(source.slice(t.nameRange) == "\"CalWORKs: a family of three\"")
        #expect(t.given == #"{ "case_id": "t1", "members": [ { "age": 30 } ], "note": "} not the end" }"#)
        #expect(source.slice(t.givenRange) == t.given)
        let expected: [Eligibility.Expectation] = t.expectations.map(\.expectation)
        let shapes = expected.map { e -> String in
            switch e {
            case .status(let p, let s): "\(p.text) \(s.text)"
            case .benefit(let p, let amount): "\(p.text) benefit \(amount.sexpr)"
            case .requirement(let p, let r, let result): "\(p.text) requirement \(r.text) \(result.text)"
            case .notListed(let p): "\(p.text) not listed"
            case .referral(let id, let present, let priority): "\(present ? "" : "no ")referral \(id.text)\(priority.map { " priority \($0.text)" } ?? "")"
            case .tier(let name): "tier \(name.text)"
            case .unclaimed(let p, let present): "\(present ? "" : "not ")unclaimed \(p.text)"
            }
        }
        #expect(shapes == [
            "tanf.ca eligible", "snap ineligible", "wic needs_info", "tanf.ca benefit $1115.00", "tanf.ca requirement income not_met",
            "tanf.ny not listed", "referral tanf_expedited", "referral food_bank priority urgent", "no referral housing",
            "tier secondary", "unclaimed tanf.ca", "not unclaimed snap", "unclaimed eligible",
        ])
        #expect(source.slice(t.expectations[4].range) == "expect tanf.ca requirement income not_met")
        #expect(source.slice(t.range) == text)
    }

    // MARK: Templates

    @Test(arguments: [
        ("countable income {countable_income} against the standard {limit}", "countable income {countable_income} against the standard {limit}"),
        ("{{literal}} braces and }} alone", "{literal} braces and } alone"),
        (#"a \"quoted\" {x + 1}\n"#, "a \"quoted\" {(+ x 1)}\n"),
        ("{ if a then b else c }", "{(if a b c)}"),
        ("", ""),
    ] as [(String, String)])
    func templates(_ template: String, _ expected: String) {
        guard case .tier(let t) = only("tier t when a because \"\(template)\" end") else { Issue.record("not a tier"); return }
        #expect(t.conditions[0].because.dump == expected)
    }

    @Test func templateHolesPointIntoTheString() throws {
        let text = "tier t when a because \"x\\\"y {household_size} and {limit + 1}\" end"
        let source = SourceFile(path: "t.rules", text: text)
        let result = Parser.parse(source, file: 0)
        #expect(result.diagnostics.isEmpty)
        guard case .tier(let t) = try #require(result.syntax.declarations.first) else { Issue.record("not a tier"); return }
        let holes = t.conditions[0].because.parts.compactMap { part -> Expr? in
            if case .expr(let e) = part { return e } else { return nil }
        }
        #expect(holes.map { source.slice($0.range) } == ["household_size", "limit + 1"])
        #expect(source.slice(t.conditions[0].because.range) == "\"x\\\"y {household_size} and {limit + 1}\"")
    }

    @Test(arguments: [
        ("income {countable_income", ["unclosed '{' in template"]),
        ("income } here", ["unmatched '}' in template"]),
        ("income {} here", ["expected an expression between '{' and '}'"]),
        ("income {a b} here", ["expected '}' after the expression, found 'b'"]),
        ("income {a +} here", ["expected an expression, found '}'"]),
        ("income {a @ b} here", ["unexpected character '@'"]),
    ] as [(String, [String])])
    func templateErrors(_ template: String, _ expected: [String]) {
        #expect(messages("tier t when a because \"\(template)\" end") == expected)
    }

    // MARK: Shipped rule files

    static let rulesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rules")

    static func shippedRuleFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: rulesDirectory.path)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".rules") { paths.append(path) }
        }
        return paths.sorted()
    }

    @Test func shippedRuleFilesExist() {
        #expect(Self.shippedRuleFiles().contains("facts.rules"))
        #expect(Self.shippedRuleFiles().contains("federal/poverty.rules"))
    }

    @Test(arguments: shippedRuleFiles())
    func shippedRuleFileParsesWithoutDiagnostics(_ path: String) throws {
        let data = try Data(contentsOf: Self.rulesDirectory.appendingPathComponent(path))
        let source = SourceFile(path: "rules/" + path, bytes: Array(data))
        let result = Parser.parse(source, file: 0)
        #expect(DiagnosticRenderer(files: [source]).render(result.diagnostics) == "")
        #expect(!result.syntax.declarations.isEmpty)
    }
}

// MARK: - Diagnostics

/// Broken rule files and the full text `screener check` would print for them (golden files).
struct ParserDiagnosticTests {
    static let cases: [(name: String, source: String)] = [
        ("missing-end-at-end-of-file", """
            program tanf.ca "CalWORKs"
              applies when state = "CA"
              requirement income "Income below the standard"
                countable_income < limit

            """),
        ("missing-end-before-declaration", """
            referral food_bank "Food bank"
              to "County food bank"
              when food in needs

            tier primary "Primary prevention"
              otherwise because "every family"
            end
            """),
        ("reserved-word-as-name", """
            let count = count members
            fact sum : money "How much?"
            """),
        ("expected-expression", """
            program tanf.ca "CalWORKs"
              requirement income "Income below the standard"
              requirement resources "Resources within the limit"
                resources <= ca.resource_limit
            end
            """),
        ("every-error-reported", """
            let a = (1 + 2
            let b = 3 *
            fact c integer "Missing colon"
            member thing x
            let d = 2 @ 3
            tier t "T"
              when a because "x"
              cite "too late"
            end
            end
            let e = if a then b
            """),
        ("unterminated-string", """
            fact county : text "Which county does the family live in?
            fact rent : money "How much is the rent?"
            """),
        ("unterminated-json", """
            test "CalWORKs: a family of three"
              given { "case_id": "t1", "members": [ { "age": 30 }
              expect tanf.ca eligible
            end
            """),
        ("bad-characters", "let a = b && c\nlet \u{1F600} = 1\nlet z = \u{0}\u{0}\u{1}\nlet q = \u{201C}quoted\u{201D}\n"),
        ("template-errors", """
            tier secondary "Secondary prevention"
              when known child_welfare.stage because "open {child_welfare.stage case"
              when a because "income {income +} is {{high}}"
              otherwise because "no } here"
            end
            """),
        ("expectation-typos", """
            test "t1"
              given { "case_id": "t1", "state": "CA" }
              expect tanf.ca elligible
              expect tanf.ca requirement income mett
              expect snap benefits $100
            end
            """),
        ("fact-clause-order", """
            member fact age : integer "How old is this person?"
              otherwise years_between(birth_date, screening_date)
              range 0 to 120
            """),
        ("duplicate-clause", """
            program snap "SNAP"
              kind food
              applies when true
              kind food_assistance
            end
            """),
        ("chained-comparison", "let teen = 13 <= age <= 19\n"),
        ("parameter-rows", """
            parameter fpg "HHS poverty guideline"
              by household size
                from 2025-01-01: $15,650 $21,150
                from 2026-1-1: $15,960
            end
            parameter ca.region "CalWORKs region" by county
                from 2022-07-01: "Alameda" 1, otherwise 2, "Fresno" 2
            end
            parameter empty "No values"
            end
            """),
        ("referral-without-when", "referral r \"R\"\n  to \"Somewhere\"\nend\n"),
        ("nested-too-deeply", "let x =\n" + String(repeating: "(\n", count: 300) + "1\n" + String(repeating: ")\n", count: 300)),
        ("stray-items", """
            requirement income "Income"
              income < $100
            member thing : integer
            end
            """),
        ("invalid-dates-and-money", "let a = 2025-02-30\nlet b = $\nlet c = a == b\n"),
    ]

    /// `assertGolden` finds `Golden/` two levels above the path it is given, so pass a path inside
    /// `Support/` to keep the files in Tests/EligibilityTests/Golden.
    static let goldenAnchor = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Support").appendingPathComponent("Golden.swift").path

    @Test(arguments: cases.map(\.name))
    func golden(_ name: String) throws {
        let source = try #require(Self.cases.first { $0.name == name }).source
        let file = SourceFile(path: "rules/example.rules", text: source)
        let result = Parser.parse(file, file: 0)
        #expect(result.diagnostics.hasErrors)
        assertGolden(DiagnosticRenderer(files: [file]).render(result.diagnostics), "parser/\(name).txt", filePath: Self.goldenAnchor)
    }

    @Test func messagesAreLowerCaseWithoutFinalPeriod() {
        for (_, source) in Self.cases {
            for d in parse(source).diagnostics {
                #expect(d.message.first.map { !$0.isUppercase } ?? false, "\(d.message)")
                #expect(!d.message.hasSuffix("."), "\(d.message)")
            }
        }
    }

    @Test(arguments: [
        ("let count = 1", "'count' is a reserved word and cannot name a value"),
        ("fact sum : money", "'sum' is a reserved word and cannot name a fact"),
        ("parameter max from 2025-01-01: 1 end", "'max' is a reserved word and cannot name a parameter"),
        ("program if end", "'if' is a reserved word and cannot name a program"),
        ("enum any end", "'any' is a reserved word and cannot name an enum"),
        ("enum e members end", "'members' is a reserved word and cannot name an enum value"),
        ("program p requirement where true end", "'where' is a reserved word and cannot name a requirement"),
        ("tier otherwise end", "'otherwise' is a reserved word and cannot name a tier"),
        ("referral all when true end", "'all' is a reserved word and cannot name a referral"),
    ] as [(String, String)])
    func reservedWords(_ source: String, _ message: String) {
        #expect(messages(source) == [message])
    }

    @Test(arguments: [
        ("let x = ", "expected an expression, found end of file"),
        ("let x = )", "expected an expression, found ')'"),
        ("let x = requirement", "expected an expression, found 'requirement'"),
        ("let x = (a", "expected ')' to close '(', found end of file"),
        ("let x = f(a b)", "expected ')' or ',' in the arguments of 'f', found 'b'"),
        ("let x = [a b]", "expected ']' or ',' in the list, found 'b'"),
        ("let x = if a b", "expected 'then' after the condition of 'if', found 'b'"),
        ("let x = if a then b", "expected 'else' after the 'then' value of 'if', found end of file"),
        ("let x = count", "expected 'members' after 'count', found end of file"),
        ("let x = any member pregnant", "expected 'where' after 'any member', found 'pregnant'"),
        ("let x = any members where pregnant", "expected a value after 'any', found 'members'"),
        ("let x = sum income", "expected 'over members' after 'sum income', found end of file"),
        ("let x = sum income over people", "expected 'members' after 'over', found 'people'"),
        ("let x = max(a)", "expected 'over members' after 'max (a)', found end of file"),
        ("let x = a < b < c", "comparisons cannot be chained, found '<' after a comparison"),
        ("let x = eligible(kind)", "expected a name after 'kind', found ')'"),
        ("let x = needs consent", "expected an expression, found 'needs'"),
        ("let x 1", "expected '=' after the name of 'let x', found '1'"),
        ("let = 1", "expected a name after 'let', found '='"),
        ("member x", "expected 'fact' or 'let' after 'member', found 'x'"),
        ("fact x integer", "expected ':' and a type after the fact's name, found 'integer'"),
        ("fact x : yes", "expected '/no' after 'yes' in the type 'yes/no', found end of file"),
        ("fact x : set need", "expected 'of' after 'set', found 'need'"),
        ("fact x : 12", "expected a type (yes/no, integer, decimal, money, date, text, an enum name or 'set of' an enum), found '12'"),
        ("fact x : integer range 0 9", "expected 'to' between the bounds of 'range', found '9'"),
        ("fact x : integer ask when y", "expected 'only' after 'ask', found 'when'"),
        ("enum e \"E\" \"a\" end", "expected a value of enum 'e' or 'end', found string \"a\""),
        ("parameter p by 3 from 2025-01-01: 1 end", "expected 'household size', 'county', 'state' or an enum name after 'by', found '3'"),
        ("parameter p from 2025-01-01 1 end", "expected ':' after the date 2025-01-01, found '1'"),
        ("parameter p by county from 2025-01-01: 1 end", "expected a key before the value, found '1'"),
        ("parameter p by household size from 2025-01-01: 1; additional 2 end", "expected 'each' after ';', found 'additional'"),
        ("program p applies state end", "expected 'when' after 'applies', found 'state'"),
        ("program p cite x end", "expected a string in double quotes after 'cite', found 'x'"),
        ("program p when x end", "expected a program item or 'end' in program 'p', found 'when'"),
        ("referral r when x for snap end", "expected 'program' or 'programs of kind' after 'for', found 'snap'"),
        ("referral r when x needs help end", "expected 'consent' after 'needs', found 'help'"),
        ("referral r when x kind y end", "expected a referral item or 'end' in referral 'r', found 'kind'"),
        ("tier t when x end", "expected 'because' after the condition of 'when', found 'end'"),
        ("test t end", "expected a string in double quotes after 'test', found 't'"),
        ("test \"t\" expect x eligible end", "expected 'given' and the profile after the test's name, found 'expect'"),
        ("test \"t\" given {} expect end", "expected a name after 'expect', found 'end'"),
        ("test \"t\" given {} expect x not here end", "expected 'eligible', 'ineligible', 'needs_info', 'benefit', 'requirement' or 'not listed' after 'expect x', found 'not'"),
        ("test \"t\" given {} x end", "expected 'expect' or 'end' in test \"t\", found 'x'"),
        ("requirement x", "expected a declaration (enum, fact, let, parameter, program, referral, tier or test), found 'requirement'"),
    ] as [(String, String)])
    func singleErrors(_ source: String, _ message: String) {
        #expect(messages(source) == [message])
    }

    @Test func errorsAtTheEndOfTheFilePointJustAfterTheLastToken() throws {
        let file = SourceFile(path: "t.rules", text: "let x = (a + b\n\n# trailing comment\n")
        let d = try #require(Parser.parse(file, file: 0).diagnostics.first)
        #expect(d.range == SourceRange(file: 0, start: 14, end: 14))
        #expect(file.location(of: d.range.start) == Eligibility.SourceLocation(line: 1, column: 15))
    }

    @Test func recoveryKeepsTheGoodDeclarations() {
        let result = parse("""
            let a = (1 +
            let b = 2
            program p "P"
              requirement r "R" x <
              requirement s "S" y > 1
            end
            let c = 3
            """)
        #expect(result.diagnostics.map(\.message) == ["expected an expression, found 'let'", "expected an expression, found 'requirement'"])
        let names = result.syntax.declarations.map { d -> String in
            switch d {
            case .value(let l): l.name.text
            case .program(let p): "\(p.id.text)[\(p.requirements.map(\.id.text).joined(separator: ","))]"
            default: "?"
            }
        }
        #expect(names == ["b", "p[s]", "c"])
    }
}

// MARK: - Robustness


struct ParserRobustnessTests {
    /// Parses and renders; checks the invariants every input must keep.
    @discardableResult
    private func check(_ file: SourceFile, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        let lexed = Lexer.tokenize(file, file: 0)
        #expect(lexed.tokens.last?.kind == .endOfFile, sourceLocation: sourceLocation)
        #expect(lexed.tokens.allSatisfy { $0.range.start <= $0.range.end && $0.range.end <= file.text.count }, sourceLocation: sourceLocation)
        let result = Parser.parse(file, file: 0)
        #expect(result.diagnostics.allSatisfy { $0.range.file == 0 && $0.range.end <= file.text.count }, sourceLocation: sourceLocation)
        _ = DiagnosticRenderer(files: [file]).render(result.diagnostics)
        return result.diagnostics
    }

    @Test func randomBytes() {
        var rng = SplitMix(seed: 20_251_123)
        for _ in 0..<300 {
            let count = Int.random(in: 16...400, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let diagnostics = check(SourceFile(path: "junk.rules", bytes: bytes))
            #expect(diagnostics.hasErrors)
        }
    }

    @Test func randomTokenSoup() {
        let pieces = ["program", "tanf.ca", "\"CalWORKs\"", "end", "requirement", "income", "(", ")", "[", "]", ",", ":", ";", "=",
                      "<", "+", "-", "*", "/", "not", "and", "or", "otherwise", "if", "then", "else", "count", "members", "member",
                      "where", "any", "sum", "over", "max", "kind", "fact", "let", "enum", "parameter", "from", "2025-01-01",
                      "$1,829.00", "130%", "12", "by", "household", "size", "each", "additional", "referral", "tier", "test",
                      "given", "{", "}", "\"{x}\"", "\"{{\"", "expect", "eligible", "because", "when", "\n", "#", "\"", "@", "\u{0}"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let count = Int.random(in: 1...80, using: &rng)
            let text = (0..<count).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: " ")
            check(SourceFile(path: "soup.rules", text: text))
        }
    }

    @Test func everyPrefixOfTheShippedRules() throws {
        for path in ParserTests.shippedRuleFiles() {
            let bytes = Array(try Data(contentsOf: ParserTests.rulesDirectory.appendingPathComponent(path)))
            // About 150 cuts a file, at odd offsets so they land mid-token: linear in the size of the rules.
            for cut in stride(from: 0, to: bytes.count, by: max(13, bytes.count / 150 | 1)) {
                check(SourceFile(path: path, bytes: Array(bytes[..<cut])))
            }
        }
    }

    static let deep = 10_000

    @Test(arguments: [
        ("parentheses", "let x = " + String(repeating: "(", count: deep) + "1" + String(repeating: ")", count: deep)),
        ("brackets", "let x = " + String(repeating: "[", count: deep) + "1" + String(repeating: "]", count: deep)),
        ("not", "let x = " + String(repeating: "not ", count: deep) + "a"),
        ("negation", "let x = " + String(repeating: "- ", count: deep) + "a"),
        ("known", "let x = " + String(repeating: "known ", count: deep) + "a"),
        ("if", "let x = " + String(repeating: "if ", count: deep) + "a"),
        ("calls", "let x = " + String(repeating: "f(", count: deep) + "a" + String(repeating: ")", count: deep)),
        ("max", "let x = " + String(repeating: "max(", count: deep) + "a"),
        ("aggregates", "let x = " + String(repeating: "sum ", count: deep) + "a"),
        ("filters", "let x = " + String(repeating: "count members where ", count: deep) + "a"),
        ("unclosed", "let x = " + String(repeating: "(", count: deep)),
        ("template", "tier t when a because \"{" + String(repeating: "(", count: deep) + "}\" end"),
    ] as [(String, String)])
    func deepNestingIsOneErrorNotACrash(_ name: String, _ text: String) {
        let diagnostics = check(SourceFile(path: "deep.rules", text: text + "\nlet y = 1\n"))
        #expect(diagnostics.map(\.message) == ["expression nested too deeply (more than 256 levels)"])
    }

    @Test func nestingUpToTheLimitParses() {
        let depth = Parser.maximumNesting - 1
        let text = "let x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(check(SourceFile(path: "deep.rules", text: text)).isEmpty)
    }

    @Test func unterminatedStringThenMoreDeclarations() {
        let result = parse("let a = \"open\nlet b = 2\n")
        #expect(result.diagnostics.map(\.message) == ["unterminated string"])
        #expect(result.syntax.declarations.count == 2)
    }

    @Test func unterminatedJSONKeepsTheExpectations() {
        let result = parse("test \"t\"\n  given { \"a\": [1, {\n  expect snap eligible\n  expect tier primary\nend\nlet b = 1\n")
        #expect(result.diagnostics.map(\.message) == ["unterminated JSON block"])
        guard case .test(let t) = result.syntax.declarations.first else { Issue.record("no test"); return }
        #expect(t.expectations.count == 2)
        #expect(result.syntax.declarations.count == 2)
    }

    @Test(arguments: ["", "\n\n", "   \t\r\n", "# only a comment", "# one\n# two\n\n   # three\n", "\u{FEFF}"])
    func emptyFiles(_ text: String) {
        let result = parse(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.syntax.declarations.isEmpty)
    }
}
