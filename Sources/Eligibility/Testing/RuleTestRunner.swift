/// Runs the test cases written beside the rules: screens each `given` profile and compares every `expect` line.
public struct RuleTestRunner: Sendable {
    /// What a run found: failures as diagnostics pointing at the `expect` line, and requirement coverage.
    public struct Report: Sendable {
        public let total: Int
        public let failures: [Diagnostic]
        public let failedTests: Int
        /// Requirements seen both met and not met across all tests, out of all requirements.
        public let requirementsExercised: Int
        public let requirementCount: Int
        public let untested: [String]
        public var passed: Int { total - failedTests }
    }

    public let rules: RuleSet
    public init(rules: RuleSet) { self.rules = rules }

    /// Runs every test whose name contains `filter` (all when nil).
    public func run(asOf: Day, filter: String? = nil) -> Report {
        let reader = ProfileReader(rules: rules)
        let screener = Screener(rules: rules)
        var failures: [Diagnostic] = []
        var failedTests = 0, total = 0
        var seen: [String: (met: Bool, notMet: Bool)] = [:]
        var testedPrograms: Set<String> = []
        for test in rules.declarations.tests where filter.map({ test.name.contains($0) }) ?? true {
            total += 1
            let before = failures.count
            switch reader.read(json: Array(test.given.utf8), asOf: asOf) {
            case .failure(let errors):
                failures.append(.error("test \"\(test.name)\": the profile is invalid", at: test.givenRange,
                                       notes: errors.issues.map { .init($0.description, at: test.givenRange) }))
            case .success(let profile):
                let screening = screener.screen(profile)
                for program in screening.programs {
                    for r in program.requirements {
                        var s = seen["\(program.id).\(r.id)", default: (false, false)]
                        if r.result == .met { s.met = true } else if r.result == .notMet { s.notMet = true }
                        seen["\(program.id).\(r.id)"] = s
                    }
                }
                for line in test.expectations {
                    if let message = check(line.expectation, screening, testedPrograms: &testedPrograms) {
                        failures.append(.error("test \"\(test.name)\" failed: \(message.headline)", at: line.range,
                                               notes: message.details.map { .init($0, at: line.range) }))
                    }
                }
            }
            if failures.count > before { failedTests += 1 }
        }
        var exercised = 0, count = 0
        var untested: [String] = []
        for p in rules.programs {
            for r in p.requirements {
                count += 1
                let s = seen["\(p.info.id).\(r.info.id)"] ?? (false, false)
                if s.met && s.notMet { exercised += 1 } else if filter == nil { untested.append("\(p.info.id).\(r.info.id)") }
            }
        }
        return Report(total: total, failures: failures, failedTests: failedTests, requirementsExercised: exercised, requirementCount: count, untested: untested)
    }

    struct Mismatch { let headline: String; let details: [String] }

    func check(_ e: Expectation, _ s: Screening, testedPrograms: inout Set<String>) -> Mismatch? {
        func program(_ id: Name) -> ProgramResult? { s.programs.first { $0.id == id.text } }
        func why(_ p: ProgramResult) -> [String] {
            var lines = p.requirements.filter { $0.result != .met }.map { "\($0.id) \($0.result.rawValue): \($0.explanation)" }
            if !p.missing.isEmpty { lines.append("missing: \(p.missing.joined(separator: ", "))") }
            return lines
        }
        switch e {
        case .status(let id, let status):
            testedPrograms.insert(id.text)
            guard let p = program(id) else { return Mismatch(headline: "expected \(id.text) \(status.text), but it does not apply to this family (state \(s.state))", details: []) }
            if p.status.rawValue != status.text { return Mismatch(headline: "expected \(id.text) \(status.text), got \(p.status.rawValue)", details: why(p)) }
        case .benefit(let id, let amount):
            guard let p = program(id) else { return Mismatch(headline: "expected a benefit from \(id.text), but it does not apply to this family", details: []) }
            guard case .money(let text) = amount.kind, let expected = Exact(decimal: text) else { return Mismatch(headline: "expected amount must be money, like $1,115.00", details: []) }
            guard let actual = p.estimatedMonthlyBenefit else {
                return Mismatch(headline: "expected \(id.text) benefit \(Presentation.money(expected)), got none (status \(p.status.rawValue))", details: why(p))
            }
            if actual != expected { return Mismatch(headline: "expected \(id.text) benefit \(Presentation.money(expected)), got \(Presentation.money(actual))", details: []) }
        case .requirement(let id, let req, let result):
            guard let p = program(id) else { return Mismatch(headline: "expected \(id.text) to apply to this family", details: []) }
            guard let r = p.requirements.first(where: { $0.id == req.text }) else { return Mismatch(headline: "no requirement \(req.text)", details: []) }
            if r.result.rawValue != result.text { return Mismatch(headline: "expected \(id.text) requirement \(req.text) \(result.text), got \(r.result.rawValue)", details: [r.explanation]) }
        case .referral(let id, let present, let priority):
            let found = s.referrals.filter { $0.id == id.text }
            if present && found.isEmpty {
                return Mismatch(headline: "expected referral \(id.text), got none", details: ["referrals made: \(s.referrals.map(\.id).joined(separator: ", "))"])
            }
            if !present && !found.isEmpty { return Mismatch(headline: "expected no referral \(id.text), got one: \(found[0].because)", details: []) }
            if let priority, present, !found.contains(where: { $0.priority.rawValue == priority.text }) {
                return Mismatch(headline: "expected referral \(id.text) with priority \(priority.text), got \(found.map(\.priority.rawValue).joined(separator: ", "))", details: [])
            }
        case .tier(let id):
            if s.tier?.tier != id.text { return Mismatch(headline: "expected tier \(id.text), got \(s.tier?.tier ?? "none")", details: s.tier?.reasons ?? []) }
        case .unclaimed(let id, let present):
            let has = s.unclaimedBenefits.contains(id.text)
            if has != present {
                let p = program(id)
                return Mismatch(headline: present ? "expected \(id.text) unclaimed, but it is not" : "expected \(id.text) not unclaimed, but it is",
                                details: p.map { ["status \($0.status.rawValue), enrolled \($0.enrolled)"] + why($0) } ?? ["it does not apply to this family"])
            }
        case .notListed(let id):
            if let p = program(id) { return Mismatch(headline: "expected \(id.text) not to apply to this family, but it is listed as \(p.status.rawValue)", details: []) }
        }
        return nil
    }
}
