/// The compiler pass: turns checked rules into a `RuleSet`: fact fallbacks folded into reads, constant
/// lists into bit masks, kinds into program lists, parameter rows into lookup tables.
public enum Compiler {
    /// Compiles checked rules; fails with diagnostics when the rules lack what every screening needs.
    public static func compile(_ rules: CheckedRules, files: [SourceFile], fingerprint: String) -> (RuleSet?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let anchor = files.isEmpty ? SourceRange.none : SourceRange(file: 0, start: 0, end: 0)
        func required(_ name: String, _ type: ValueType, in facts: [FactInfo]) -> Int? {
            guard let i = facts.firstIndex(where: { $0.name == name }) else {
                diagnostics.append(.error("the rules declare no fact '\(name)'", at: anchor, hint: "declare it: fact \(name) : \(name == "screening_date" ? "date" : "text") \"<question>\""))
                return nil
            }
            if facts[i].type != type {
                diagnostics.append(.error("fact '\(name)' must be \(type == .date ? "a date" : "text")", at: facts[i].range))
                return nil
            }
            return i
        }
        let caseId = required("case_id", .text, in: rules.householdFacts)
        let state = required("state", .text, in: rules.householdFacts)
        let date = required("screening_date", .date, in: rules.householdFacts)
        let involved = rules.householdLets.firstIndex { $0.name == "involved_with_child_welfare" && $0.program == nil }
        if involved == nil {
            diagnostics.append(.error("the rules declare no derived value 'involved_with_child_welfare'", at: anchor,
                                      hint: "declare it: let involved_with_child_welfare = <when a family counts as involved with child welfare>"))
        } else if rules.householdLets[involved!].type != .boolean && rules.householdLets[involved!].type != .error {
            diagnostics.append(.error("'involved_with_child_welfare' must be yes/no", at: rules.householdLets[involved!].range))
        }
        let consent = rules.householdFacts.firstIndex { $0.name == "consent_to_share" && $0.type == .boolean }
        guard let caseId, let state, let date, let involved, !diagnostics.hasErrors else { return (nil, diagnostics) }

        let lowering = Lowering(rules: rules)
        let programs = rules.programs.map { p in
            CompiledProgram(info: p, applies: p.applies.map(lowering.code), enrolledWhen: p.enrolledWhen.map(lowering.code),
                            requirements: p.requirements.map { r in
                                CompiledRequirement(info: r, condition: lowering.code(r.condition), explain: r.explain.map(lowering.template),
                                                    margin: r.margin.map { ($0.op, lowering.code($0.amount), lowering.code($0.limit)) })
                            },
                            benefit: p.benefit.map(lowering.code), benefitExplain: p.benefitExplain.map(lowering.template))
        }
        let referrals = rules.referrals.map { r in
            let targets: [Int]
            switch r.target {
            case .none: targets = []
            case .program(let i): targets = [i]
            case .kind(let k): targets = lowering.programsOfKind(k)
            }
            return CompiledReferral(info: r, programs: targets, when: lowering.code(r.when),
                                    priorities: r.priorities.map { ($0.level, $0.when.map(lowering.code)) }, because: r.because.map(lowering.template))
        }
        let tiers = rules.tiers.map { t in
            CompiledTier(info: t, conditions: t.conditions.map { ($0.condition.map(lowering.code), lowering.template($0.because)) })
        }
        let parameters = rules.parameters.map { p in
            CompiledParameter(name: p.name, key: p.key, versions: p.versions.map { v in
                var byText: [String: Value] = [:], byEnum: [Int: Value] = [:]
                for (k, value) in zip(v.keys, v.values) {
                    switch k {
                    case .text(let s): byText[rules.texts[Int(s)]] = value
                    case .enumeration(let i): byEnum[i] = value
                    default: break
                    }
                }
                return .init(from: v.from, values: v.values, eachAdditional: v.eachAdditional, byText: byText, byEnum: byEnum, otherwise: v.otherwise)
            })
        }
        var texts = rules.texts
        let programNames = rules.programs.map { p -> Int32 in texts.append(p.name); return Int32(texts.count - 1) }
        let set = RuleSet(declarations: rules, texts: texts, programNames: programNames, files: files, fingerprint: fingerprint,
                          householdLets: rules.householdLets.map { lowering.code($0.value) },
                          memberLets: rules.memberLets.map { lowering.code($0.value) },
                          householdFallbacks: rules.householdFacts.map { $0.fallback.map(lowering.code) },
                          memberFallbacks: rules.memberFacts.map { $0.fallback.map(lowering.code) },
                          programs: programs, referrals: referrals, tiers: tiers, parameters: parameters,
                          caseIdSlot: caseId, stateSlot: state, screeningDateSlot: date, involvedSlot: involved, consentSlot: consent)
        return (set, diagnostics)
    }
}

/// Lowers checked expressions to code.
struct Lowering {
    let rules: CheckedRules

    func programsOfKind(_ k: String) -> [Int] {
        rules.programs.indices.filter { rules.programs[$0].kind == k }
    }

    /// How to fill in a fact the profile leaves out; nil when it simply stays unknown.
    func factDefault(_ f: FactInfo) -> FactDefault? {
        guard f.fallback != nil || f.askWhen != nil else { return nil }
        return FactDefault(fallback: f.fallback.map(code), askWhen: f.askWhen.map(code), notApplicable: Lowering.notApplicable(f.type))
    }

    /// A yes/no fact that does not apply is no; an amount or count is zero; a set is empty.
    static func notApplicable(_ type: ValueType) -> Value {
        switch type {
        case .boolean: .bool(false)
        case .money, .integer, .decimal, .percent: .number(.zero)
        case .set: .set(0)
        default: .unknown
        }
    }

    func template(_ t: CheckedTemplate) -> CompiledTemplate {
        CompiledTemplate(parts: t.parts.map {
            switch $0 {
            case .text(let s): .text(s)
            case .value(let c, let type): .value(code(c), type)
            }
        })
    }

    func code(_ c: Checked) -> Code {
        switch c {
        case .constant(let v): return .constant(v)
        case .householdFact(let i):
            if let d = factDefault(rules.householdFacts[i]) { return .householdFactOr(i, d) }
            return .householdFact(i)
        case .memberFact(let i):
            if let d = factDefault(rules.memberFacts[i]) { return .memberFactOr(i, d) }
            return .memberFact(i)
        case .householdLet(let i): return .householdLet(i)
        case .memberLet(let i): return .memberLet(i)
        case .parameter(let i): return .parameter(i)
        case .table(let i, let key): return .table(i, key: code(key))
        case .not(let a): return .not(code(a))
        case .negate(let a): return .negate(code(a))
        case .arithmetic(let op, let a, let b):
            let (ca, cb) = (code(a), code(b))
            if case .constant(let x) = ca, case .constant(let y) = cb, let folded = Arithmetic.apply(op, x, y) { return .constant(folded) }
            return .arithmetic(op, ca, cb)
        case .compare(let op, let a, let b): return .compare(op, code(a), code(b))
        case .and(let a, let b): return .and(code(a), code(b))
        case .or(let a, let b): return .or(code(a), code(b))
        case .inList(let x, let items, let negated):
            let lowered = items.map(code)
            var mask: UInt64 = 0
            var allEnums = true
            for item in lowered {
                if case .constant(.enumeration(let i)) = item, i < 64 { mask |= 1 << UInt64(i) } else { allEnums = false }
            }
            return allEnums && !lowered.isEmpty ? .inMask(code(x), mask, negated: negated) : .inValues(code(x), lowered, negated: negated)
        case .inSet(let x, let set, let negated): return .inSet(code(x), code(set), negated: negated)
        case .conditional(let a, let b, let d): return .conditional(code(a), code(b), code(d))
        case .known(let a): return .known(code(a))
        case .otherwise(let a, let b): return .otherwise(code(a), code(b))
        case .aggregate(let agg, let body, let filter): return .aggregate(agg, body: body.map(code), filter: filter.map(code))
        case .builtin(let b, let args): return .builtin(b, args.map(code))
        case .program(let q, .program(let i)): return .program(q, [i])
        case .program(let q, .kind(let k)): return .program(q, programsOfKind(k))
        case .program(let q, .current): return .currentProgram(q)
        case .currentProgramName: return .currentProgramName
        case .shiftDate(let d, let n, let unit, let negated): return .shiftDate(code(d), by: code(n), unit, negated: negated)
        }
    }
}
