/// Screens one family: evaluates every program, tier and referral against its facts and explains the results.
public struct Screener: Sendable {
    /// How much to produce. `full`: everything in the contract. `brief`, for rescreening caseloads fast:
    /// statuses, benefits, enrollment, unclaimed benefits, tier and referrals, without explanations,
    /// reasons, missing facts or questions (finding what is missing costs a second, traced evaluation).
    public enum Detail: String, Sendable { case full, brief }

    public let rules: RuleSet
    public let presentation: Presentation

    /// Program names and referral titles by id, for describing what a question could settle.
    let programNames: [String: String]
    let referralTitles: [String: String]

    public init(rules: RuleSet) {
        self.rules = rules
        self.presentation = Presentation(enums: rules.enums)
        programNames = Dictionary(rules.programs.map { ($0.info.id, $0.info.name) }, uniquingKeysWith: { a, _ in a })
        referralTitles = Dictionary(rules.referrals.map { ($0.info.id, $0.info.title) }, uniquingKeysWith: { a, _ in a })
    }

    public func screen(_ profile: Profile, detail: Detail = .full) -> Screening {
        let evaluator = Evaluator(rules: rules, facts: profile.facts)
        // Built only when some program is undecided: tracing costs more and is needed only to explain what is missing.
        var tracer: Evaluator?
        var programs: [ProgramResult] = []
        var missingByProgram: [(program: String, facts: Set<FactRef>)] = []
        let full = detail == .full
        for p in rules.programs.indices {
            let o = evaluator.outcome(p)
            if o.applies == false { continue }
            let program = rules.programs[p]
            var requirements: [RequirementResult] = []
            requirements.reserveCapacity(program.requirements.count)
            for (k, r) in program.requirements.enumerated() {
                let result = evaluator.requirementResult(p, k)
                let status: RequirementStatus = result == true ? .met : result == false ? .notMet : .unknown
                let explanation = detail == .full ? explain(r, status, evaluator) : ""
                requirements.append(RequirementResult(id: r.info.id, title: r.info.title, result: status, explanation: explanation, cite: r.info.cite))
            }
            var missing: [String] = []
            if o.status == .needsInfo && full {
                if tracer == nil { tracer = Evaluator(rules: rules, facts: profile.facts, tracing: true) }
                let facts = tracer!.missingFacts(program: p)
                missingByProgram.append((program.info.id, facts))
                missing = facts.sorted().map { path($0) }
            }
            programs.append(ProgramResult(id: program.info.id, name: program.info.name, kind: program.info.kind, status: o.status,
                                          enrolled: o.enrolled == true, unclaimed: evaluator.unclaimed(p) == true,
                                          estimatedMonthlyBenefit: o.benefit.map { max($0, .zero) },
                                          benefitExplanation: full && o.benefit != nil ? program.benefitExplain.map { render($0, evaluator) } ?? "" : "",
                                          requirements: requirements, missing: missing))
        }
        let referrals = self.referrals(evaluator, detail: detail)
        // Undecided tier conditions and referral conditions are worth asking about too: the worker acts on them.
        if full {
            if tracer == nil { tracer = Evaluator(rules: rules, facts: profile.facts, tracing: true) }
            missingByProgram += undecidedOutsidePrograms(evaluator, tracer!)
        }
        var notes = profile.warnings
        for i in evaluator.parametersWithoutValue.sorted() {
            let p = rules.parameters[i]
            notes.append("parameter '\(p.name)' has no value in force on \(profile.screeningDate) (its first value takes effect on \(p.versions.first.map { "\($0.from)" } ?? "-")); results that use it are undecided")
        }
        if !programs.contains(where: { $0.kind == "cash_assistance" }) {
            notes.append("no TANF cash-assistance program in these rules applies to \(profile.state); only federal programs were screened")
        }
        return Screening(caseId: profile.caseId, screeningDate: profile.screeningDate, rules: rules.fingerprint, state: profile.state,
                         programs: programs, tier: tier(evaluator, reasons: full), referrals: referrals,
                         unclaimedBenefits: programs.filter(\.unclaimed).map(\.id), involvedWithChildWelfare: evaluator.involved,
                         questions: questions(missingByProgram, evaluator), notes: notes)
    }

    // MARK: - Explanations

    func render(_ template: CompiledTemplate, _ evaluator: Evaluator) -> String {
        var out = ""
        for part in template.parts {
            switch part {
            case .text(let s): out += s
            case .value(let code, let type): out += presentation.text(evaluator.evaluate(code), as: type, strings: evaluator.string)
            }
        }
        return out
    }

    func explain(_ r: CompiledRequirement, _ status: RequirementStatus, _ evaluator: Evaluator) -> String {
        var text = r.explain.map { render($0, evaluator) } ?? r.info.title ?? r.info.id
        if status == .unknown, r.explain == nil { text += ": not known yet" }
        if let margin = r.margin, let m = marginText(margin, status, evaluator) { text += ": " + m }
        return text
    }

    /// How far the family is from a money line: "$37.00 over the limit of $1,892.00".
    func marginText(_ margin: (op: BinaryOperator, amount: Code, limit: Code), _ status: RequirementStatus, _ evaluator: Evaluator) -> String? {
        guard status != .unknown, case .number(let amount) = evaluator.evaluate(margin.amount),
              case .number(let limit) = evaluator.evaluate(margin.limit), let diff = amount.subtracting(limit) else { return nil }
        let gap = Presentation.money(Exact(numerator: diff.numerator.magnitude == 0 ? 0 : abs(diff.numerator), denominator: diff.denominator) ?? diff)
        let line = Presentation.money(limit)
        switch margin.op {
        case .less, .lessOrEqual:
            if diff == .zero { return margin.op == .less ? "exactly at the limit of \(line), which it must be under" : "exactly at the limit of \(line)" }
            return diff.isNegative ? "\(gap) under the limit of \(line)" : "\(gap) over the limit of \(line)"
        default:
            if diff == .zero { return margin.op == .greater ? "exactly at the minimum of \(line), which it must exceed" : "exactly at the minimum of \(line)" }
            return diff.isNegative ? "\(gap) short of the minimum of \(line)" : "\(gap) above the minimum of \(line)"
        }
    }

    // MARK: - Tier and referrals

    /// The first tier, in declaration order, with a condition that holds: shared by `screen` and `decide`.
    func tierIndex(_ evaluator: Evaluator) -> Int? {
        for t in 0..<rules.tierConditionRanges.count {
            let range = rules.tierConditionRanges[t]
            for k in 0..<Int(range.count) {
                let condition = rules.tierConditions[Int(range.start) + k]
                if condition.map({ evaluator.evaluate($0).truth == true }) ?? true { return t }
            }
        }
        return nil
    }

    func tier(_ evaluator: Evaluator, reasons withReasons: Bool) -> TierResult? {
        guard let i = tierIndex(evaluator) else { return nil }
        let t = rules.tiers[i]
        // Every condition that holds is a reason; evaluating them again is cheap (values are memoized).
        let reasons = withReasons ? t.conditions.filter { c in c.condition.map { evaluator.evaluate($0).truth == true } ?? true }
            .map { render($0.because, evaluator) } : []
        return TierResult(tier: t.info.id, title: t.info.title, reasons: reasons)
    }

    /// Which referrals are made, for which program, at what priority: shared by `screen` and `decide`.
    func madeReferrals(_ evaluator: Evaluator) -> [(referral: Int, program: Int?, priority: ReferralPriority)] {
        var made: [(referral: Int, program: Int?, priority: ReferralPriority)] = []
        eachReferral(evaluator) { r, program, priority in made.append((r, program, priority)) }
        return made
    }

    /// Calls `made` for each referral made, in declaration order (and program order within a referral), with its
    /// program and its first priority level that holds (routine when none does).
    /// The one place referrals are decided: `madeReferrals` and brief batch output (which keeps no strings) share it.
    /// Fields are read through the index: binding a whole referral would copy its declaration per family.
    func eachReferral(_ evaluator: Evaluator, _ made: (_ referral: Int, _ program: Int?, _ priority: ReferralPriority) -> Void) {
        // Read from the rule set's plain tables: walking the declarations would copy arrays of them per family.
        for i in 0..<rules.referralCode.count {
            let r = rules.referralCode[i]
            func decide(_ program: Int?) {
                guard evaluator.evaluate(r.when).truth == true else { return }
                var priority = ReferralPriority.routine
                for l in 0..<Int(r.priorities.count) {
                    let level = rules.referralPriorities[Int(r.priorities.start) + l]
                    if level.when.map({ evaluator.evaluate($0).truth == true }) ?? true { priority = level.level; break }
                }
                made(i, program, priority)
            }
            if r.targets.count == 0 { decide(nil) } else {
                for k in 0..<Int(r.targets.count) {
                    let p = Int(rules.referralTargets[Int(r.targets.start) + k])
                    if evaluator.outcome(p).applies != false { evaluator.with(program: p) { decide(p) } }
                }
            }
        }
    }

    func referrals(_ evaluator: Evaluator, detail: Detail) -> [ReferralResult] {
        let consent = rules.consentSlot.map { evaluator.facts.household[$0].truth } ?? nil
        let out = madeReferrals(evaluator).map { made -> ReferralResult in
            let r = rules.referrals[made.referral]
            let requiresConsent = r.info.needsConsent && consent != true
            var because = ""
            if detail == .full {
                because = evaluator.with(program: made.program ?? -1) { r.because.map { render($0, evaluator) } } ?? r.info.title
                if requiresConsent { because += " (ask the caregiver for consent before sharing information)" }
            }
            return ReferralResult(id: r.info.id, title: r.info.title, to: r.info.to, priority: made.priority,
                                  because: because, program: made.program.map { rules.programs[$0].info.id }, requiresConsent: requiresConsent)
        }
        // Most urgent first; declaration order within a priority keeps the output stable.
        return out.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }.map(\.element)
    }

    /// Facts behind what is still undecided besides program statuses: whether an eligible program is unclaimed
    /// (`unclaimed:<id>`), an eligible program's benefit (`benefit:<id>`), tier conditions that could still
    /// change the tier (`prevention_tier`), and referrals (`referral:<id>`): undecided conditions, and for a referral
    /// that is made, an unknown condition of a higher priority and unknown consent when it shares information.
    func undecidedOutsidePrograms(_ evaluator: Evaluator, _ tracer: Evaluator) -> [(program: String, facts: Set<FactRef>)] {
        var out: [(String, Set<FactRef>)] = []
        for (p, program) in rules.programs.enumerated() {
            let o = evaluator.outcome(p)
            guard o.applies != false, o.status == .eligible else { continue }
            if evaluator.unclaimed(p) == nil {
                // Eligible, so enrollment or child-welfare involvement is what is unknown (neither is known to be "no").
                var facts: Set<FactRef> = []
                if o.enrolled == nil, let enrolled = program.enrolledWhen { facts.formUnion(tracer.unknownFacts(of: enrolled)) }
                if evaluator.involved == nil { facts.formUnion(tracer.unknownFacts(of: rules.householdLets[rules.involvedSlot])) }
                if !facts.isEmpty { out.append(("unclaimed:\(program.info.id)", facts)) }
            }
            if o.benefit == nil, let benefit = program.benefit {
                let facts = tracer.unknownFacts(of: benefit)
                if !facts.isEmpty { out.append(("benefit:\(program.info.id)", facts)) }
            }
        }
        var tierFacts: Set<FactRef> = []
        tiers: for t in rules.tiers {
            var decided = false
            for c in t.conditions {
                guard let condition = c.condition else { decided = true; continue }
                switch evaluator.evaluate(condition).truth {
                case true?: decided = true
                case nil: tierFacts.formUnion(tracer.unknownFacts(of: condition))
                case false?: break
                }
            }
            if decided { break tiers }
        }
        if !tierFacts.isEmpty { out.append(("prevention_tier", tierFacts)) }
        for r in rules.referrals {
            func look(_ program: Int?) {
                func evaluate(_ code: Code) -> Bool? {
                    (program.map { p in evaluator.with(program: p) { evaluator.evaluate(code) } } ?? evaluator.evaluate(code)).truth
                }
                var facts: Set<FactRef> = []
                switch evaluate(r.when) {
                case nil:
                    facts = tracer.unknownFacts(of: r.when, program: program)
                case true?:
                    // The referral is made; still open are a higher priority whose condition is unknown,
                    // and the caregiver's consent when the referral shares information.
                    for level in r.priorities {
                        guard let when = level.when else { break }
                        let holds = evaluate(when)
                        if holds == true { break }
                        if holds == nil { facts.formUnion(tracer.unknownFacts(of: when, program: program)) }
                    }
                    if r.info.needsConsent, let consent = rules.consentSlot, !evaluator.facts.household[consent].isKnown {
                        facts.insert(.household(consent))
                    }
                case false?:
                    break
                }
                if !facts.isEmpty { out.append(("referral:\(r.info.id)", facts)) }
            }
            if r.programs.isEmpty { look(nil) } else {
                for p in r.programs where evaluator.outcome(p).applies != false { look(p) }
            }
        }
        return out
    }

    // MARK: - Questions

    func questions(_ missing: [(program: String, facts: Set<FactRef>)], _ evaluator: Evaluator) -> [Question] {
        var affects: [FactRef: [String]] = [:]
        for (program, facts) in missing {
            for f in facts where affects[f]?.last != program { affects[f, default: []].append(program) }
        }
        // Programs first: a fact that settles more undecided programs is asked before one that settles a tier or a referral.
        // The ranking keys are computed once per fact, not inside the comparison.
        let ranked = affects.map { ref, list in
            (ref: ref, programs: list, settles: list.filter { !$0.contains(":") && $0 != "prevention_tier" }.count)
        }
        return ranked.sorted { a, b in
            if a.settles != b.settles { return a.settles > b.settles }
            if a.programs.count != b.programs.count { return a.programs.count > b.programs.count }
            return a.ref < b.ref
        }.map { q in
            Question(fact: path(q.ref), ref: q.ref, ask: question(q.ref), about: about(q.ref, evaluator), affects: q.programs,
                     settles: q.programs.map(describe))
        }
    }

    /// What an entry of a question's `affects` means, for a worker: a program's name, the prevention tier,
    /// a referral's title, whether a program is unclaimed, or a program's estimated benefit.
    public func describe(_ affect: String) -> String {
        func program(_ id: Substring) -> String {
            programNames[String(id)].map { "\($0) [\(id)]" } ?? String(id)
        }
        if affect == "prevention_tier" { return "the prevention tier" }
        guard let colon = affect.firstIndex(of: ":") else { return program(affect[...]) }
        let (what, name) = (affect[..<colon], affect[affect.index(after: colon)...])
        switch what {
        case "referral": return "referral: \(referralTitles[String(name)] ?? String(name))"
        case "unclaimed": return "whether \(program(name)) is unclaimed"
        case "benefit": return "the estimated benefit of \(program(name))"
        default: return affect
        }
    }

    public func path(_ ref: FactRef) -> String {
        switch ref {
        case .household(let i): rules.householdFacts[i].name
        case .member(let m, let f): "members[\(m)].\(rules.memberFacts[f].name)"
        }
    }

    /// "member 2 (child, age 4)": enough for a worker to know whom to ask about, nothing more.
    func about(_ ref: FactRef, _ evaluator: Evaluator) -> String? {
        guard case .member(let m, _) = ref else { return nil }
        var details: [String] = []
        if let r = rules.memberFactIndex["relationship"], case .enumeration(let e) = rules.memberFacts[r].type,
           case .enumeration(let i) = evaluator.facts[member: m, fact: r] { details.append(rules.enums[e].values[i]) }
        if let a = rules.memberFactIndex["age"], case .number(let n) = evaluator.memberFact(a, member: m) {
            details.append("age \(n.decimalString(maxFraction: 0))")
        }
        return "member \(m + 1)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }

    func question(_ ref: FactRef) -> String {
        switch ref {
        case .household(let i): rules.householdFacts[i].question ?? rules.householdFacts[i].name
        case .member(_, let f): rules.memberFacts[f].question ?? rules.memberFacts[f].name
        }
    }
}

/// The decisions of a screening without any text: what the evaluation benchmark measures and what needs no rendering.
public struct Decisions: Sendable {
    public var statuses: [ProgramStatus?] = []
    public var unclaimed: [Bool] = []
    public var tier: Int?
    public var referrals: [(referral: Int, program: Int?, priority: String)] = []
    public init() {}
}

extension Screener {
    /// Evaluates every program, referral and tier for a profile, rendering no text.
    public func decide(_ profile: Profile) -> Decisions { decide(Evaluator(rules: rules, facts: profile.facts)) }

    /// The same with an evaluator already set to the family (a new one, or one `reset(facts:)` for it).
    public func decide(_ evaluator: Evaluator) -> Decisions {
        var d = Decisions()
        decide(evaluator, into: &d)
        return d
    }

    /// The same into decisions kept from the previous family, reusing their storage (as a batch worker would).
    public func decide(_ evaluator: Evaluator, into d: inout Decisions) {
        decide(Evaluator.Family(evaluator: evaluator, screener: self), into: &d)
    }

    /// Family f's decisions from a block evaluated together: the same as `decide` of that family alone.
    public func decide(block: BlockEvaluator, family f: Int, into d: inout Decisions) {
        decide(BlockEvaluator.Family(block: block, index: f), into: &d)
    }

    func decide(_ family: some EvaluatedFamily, into d: inout Decisions) {
        d.statuses.removeAll(keepingCapacity: true)
        d.unclaimed.removeAll(keepingCapacity: true)
        d.referrals.removeAll(keepingCapacity: true)
        for p in 0..<rules.programs.count {
            let o = family.outcome(p)
            d.statuses.append(o.applies == false ? nil : o.status)
            d.unclaimed.append(o.applies != false && family.unclaimed(p) == true)
        }
        family.eachReferral { r, program, priority in d.referrals.append((r, program, priority.rawValue)) }
        d.tier = family.tier
    }
}
