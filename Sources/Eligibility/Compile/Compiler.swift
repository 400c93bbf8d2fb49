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
                var byText: [Int32: Value] = [:], byEnum: [Int: Value] = [:]
                for (k, value) in zip(v.keys, v.values) {
                    switch k {
                    case .text(let s): byText[s] = value  // the checker stored keys normalized (TextKey)
                    case .enumeration(let i): byEnum[i] = value
                    default: break
                    }
                }
                return CompiledParameter.Version(from: v.from, values: v.values, eachAdditional: v.eachAdditional, byText: byText, byEnum: byEnum, otherwise: v.otherwise)
            })
        }
        // Everything is lowered before the rule set takes the finished code array.
        let householdLets = rules.householdLets.map { lowering.code($0.value) }
        let memberLets = rules.memberLets.map { lowering.code($0.value) }
        let householdDefaults = rules.householdFacts.indices.map(lowering.householdDefault)
        let memberDefaults = rules.memberFacts.indices.map(lowering.memberDefault)
        var texts = rules.texts
        let programNames = rules.programs.map { p -> Int32 in texts.append(p.name); return Int32(texts.count - 1) }
        let set = RuleSet(declarations: rules, texts: texts, programNames: programNames, files: files, fingerprint: fingerprint,
                          householdLets: householdLets, memberLets: memberLets,
                          householdDefaults: householdDefaults, memberDefaults: memberDefaults,
                          nodes: lowering.nodes, lists: lowering.lists,
                          programs: programs, referrals: referrals, tiers: tiers, parameters: parameters,
                          caseIdSlot: caseId, stateSlot: state, screeningDateSlot: date, involvedSlot: involved, consentSlot: consent)
        return (set, diagnostics)
    }
}

/// Lowers checked expressions into the flat code array.
final class Lowering {
    let rules: CheckedRules
    private(set) var nodes: ContiguousArray<Node> = []
    private(set) var lists: ContiguousArray<Int32> = []
    private var householdDefaults: [Int: FactDefault?] = [:]
    private var memberDefaults: [Int: FactDefault?] = [:]

    init(rules: CheckedRules) { self.rules = rules }

    func programsOfKind(_ k: String) -> [Int] {
        rules.programs.indices.filter { rules.programs[$0].kind == k }
    }

    func emit(_ node: Node) -> Code {
        nodes.append(node)
        return Code(index: Int32(nodes.count - 1))
    }

    func list(_ items: [Int32]) -> CodeList {
        let start = Int32(lists.count)
        lists.append(contentsOf: items)
        return CodeList(start: start, count: Int32(items.count))
    }

    /// How to fill in a fact the profile leaves out; nil when it simply stays unknown. Lowered once per fact.
    func factDefault(_ f: FactInfo) -> FactDefault? {
        guard f.fallback != nil || f.askWhen != nil else { return nil }
        return FactDefault(fallback: f.fallback.map(code), askWhen: f.askWhen.map(code), notApplicable: Lowering.notApplicable(f.type))
    }

    func householdDefault(_ i: Int) -> FactDefault? {
        if let d = householdDefaults[i] { return d }
        let d = factDefault(rules.householdFacts[i])
        householdDefaults[i] = .some(d)
        return d
    }

    func memberDefault(_ i: Int) -> FactDefault? {
        if let d = memberDefaults[i] { return d }
        let d = factDefault(rules.memberFacts[i])
        memberDefaults[i] = .some(d)
        return d
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

    /// The operands of a left-nested chain of one operator, left to right: `(a and b) and c` gives a, b, c.
    /// Evaluating them in one loop gives the same result as the nested form and saves a call per link.
    /// Only the left spine is followed (how `a and b and c` parses): a parenthesized right side keeps its node.
    func chain(_ c: Checked, _ split: (Checked) -> (Checked, Checked)?) -> [Checked] {
        var terms: [Checked] = []
        var node = c
        while let (left, right) = split(node) { terms.append(right); node = left }
        terms.append(node)
        return terms.reversed()
    }

    func code(_ c: Checked) -> Code {
        switch c {
        case .constant(let v): return emit(.constant(v))
        case .householdFact(let i):
            if householdDefault(i) != nil { return emit(.householdFactOr(Int32(i))) }
            return emit(.householdFact(Int32(i)))
        case .memberFact(let i):
            if memberDefault(i) != nil { return emit(.memberFactOr(Int32(i))) }
            return emit(.memberFact(Int32(i)))
        case .householdLet(let i): return emit(.householdLet(Int32(i)))
        case .memberLet(let i): return emit(.memberLet(Int32(i)))
        case .parameter(let i): return emit(.parameter(Int32(i)))
        case .table(let i, let key): return emit(.table(Int32(i), key: code(key)))
        case .not(let a): return emit(.not(code(a)))
        case .negate(let a): return emit(.negate(code(a)))
        case .arithmetic(let op, let a, let b):
            if case .constant(let x) = a, case .constant(let y) = b, let folded = Arithmetic.apply(op, x, y) { return emit(.constant(folded)) }
            if op == .add {
                let terms = chain(c) { if case .arithmetic(.add, let l, let r) = $0 { (l, r) } else { nil } }
                if terms.count > 2 { return emit(.sum(list(terms.map { code($0).index }))) }
            }
            return emit(.arithmetic(op, code(a), code(b)))
        case .compare(let op, let a, let b): return emit(.compare(op, code(a), code(b)))
        case .and:
            let terms = chain(c) { if case .and(let l, let r) = $0 { (l, r) } else { nil } }
            return emit(.and(list(terms.map { code($0).index })))
        case .or:
            let terms = chain(c) { if case .or(let l, let r) = $0 { (l, r) } else { nil } }
            return emit(.or(list(terms.map { code($0).index })))
        case .inList(let x, let items, let negated):
            var mask: UInt64 = 0
            var allEnums = !items.isEmpty
            for item in items {
                if case .constant(.enumeration(let i)) = item, i < 64 { mask |= 1 << UInt64(i) } else { allEnums = false }
            }
            if allEnums { return emit(.inMask(code(x), mask, negated: negated)) }
            let subject = code(x)
            return emit(.inValues(subject, list(items.map { code($0).index }), negated: negated))
        case .inSet(let x, let set, let negated): return emit(.inSet(code(x), code(set), negated: negated))
        case .conditional(let a, let b, let d): return emit(.conditional(code(a), code(b), code(d)))
        case .known(let a): return emit(.known(code(a)))
        case .otherwise(let a, let b): return emit(.otherwise(code(a), code(b)))
        case .aggregate(let agg, let body, let filter): return emit(.aggregate(agg, body: body.map(code), filter: filter.map(code)))
        case .builtin(let b, let args): return emit(.builtin(b, list(args.map { code($0).index })))
        case .program(let q, .program(let i)): return emit(.program(q, list([Int32(i)])))
        case .program(let q, .kind(let k)): return emit(.program(q, list(programsOfKind(k).map(Int32.init))))
        case .program(let q, .current): return emit(.currentProgram(q))
        case .currentProgramName: return emit(.currentProgramName)
        case .shiftDate(let d, let n, let unit, let negated): return emit(.shiftDate(code(d), by: code(n), unit, negated: negated))
        }
    }
}
