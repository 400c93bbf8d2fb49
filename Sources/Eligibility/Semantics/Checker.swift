/// The checker pass: resolves every name, infers and checks types, finds cycles, duplicates and
/// undated parameters, and turns the syntax tree into `CheckedRules`. It reports every problem it
/// finds rather than stopping at the first.
public enum Checker {
    /// Checks parsed rule files. `asOf` is the date parameters must have a value in force on.
    public static func check(_ files: [RuleFileSyntax], asOf: Day?) -> (rules: CheckedRules, diagnostics: [Diagnostic]) {
        let state = CheckerState(asOf: asOf)
        state.run(files)
        return (state.rules, state.diagnostics)
    }
}

/// What a name refers to.
enum Symbol: Hashable {
    case householdFact(Int), memberFact(Int), householdLet(Int), memberLet(Int), parameter(Int)
}

/// A node of the dependency graph between derived values and programs.
enum Dependency: Hashable { case householdLet(Int), memberLet(Int), program(Int) }

/// Where an expression is being checked.
struct CheckContext {
    var member = false
    var program: Int? = nil
    /// Inside a referral `for programs of kind ...`: `program` names the current one.
    var currentProgram = false
    /// Inside a fact's fallback: only facts and parameters may be used, so facts never depend on derived values.
    var factsOnly = false
}

final class CheckerState {
    let asOf: Day?
    var rules = CheckedRules()
    var diagnostics: [Diagnostic] = []

    var enumIndex: [String: Int] = [:]
    var symbols: [String: Symbol] = [:]
    var symbolRanges: [String: SourceRange] = [:]
    var programIndex: [String: Int] = [:]
    var programLocals: [[String: Int]] = []
    var kinds: Set<String> = []

    // Lazily checked derived values.
    var householdLetSyntax: [LetDecl] = []
    var memberLetSyntax: [LetDecl] = []
    var letTypes: [Dependency: ValueType] = [:]
    var letStack: [Dependency] = []
    var dependencies: [Dependency: Set<Dependency>] = [:]
    var currentDependencies: Set<Dependency> = []
    var used: Set<Symbol> = []

    init(asOf: Day?) { self.asOf = asOf }

    /// How long a chain of derived values, each using the next, may be.
    static let maximumDerivedDepth = 256

    func error(_ message: String, _ range: SourceRange, hint: String? = nil, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(message, at: range, hint: hint, notes: notes))
    }
    func warning(_ message: String, _ range: SourceRange, hint: String? = nil) {
        diagnostics.append(.warning(message, at: range, hint: hint))
    }

    // MARK: - Driver

    func run(_ files: [RuleFileSyntax]) {
        let decls = files.flatMap(\.declarations)
        for case .enumeration(let e) in decls { declareEnum(e) }
        for case .fact(let f) in decls { declareFact(f) }
        for case .value(let l) in decls { declareLet(l) }
        for case .parameter(let p) in decls { declareParameter(p) }
        var programDecls: [ProgramDecl] = []
        for case .program(let p) in decls { if declareProgram(p) { programDecls.append(p) } }

        checkFactClauses(decls)
        for i in householdLetSyntax.indices where rules.householdLets[i].program == nil { _ = letType(.householdLet(i)) }
        for i in memberLetSyntax.indices { _ = letType(.memberLet(i)) }
        for (i, p) in programDecls.enumerated() { checkProgram(p, index: i) }

        var referralIds: [String: SourceRange] = [:]
        var tierIds: [String: SourceRange] = [:]
        var testNames: [String: SourceRange] = [:]
        for decl in decls {
            switch decl {
            case .referral(let r):
                if noteDuplicate(r.id.text, r.id.range, in: &referralIds, what: "referral") { checkReferral(r) }
            case .tier(let t):
                if noteDuplicate(t.id.text, t.id.range, in: &tierIds, what: "tier") { checkTier(t) }
            default: break
            }
        }
        for case .test(let t) in decls {
            if noteDuplicate(t.name, t.nameRange, in: &testNames, what: "test") { checkTest(t) }
        }
        findProgramCycles()
        limitChainLength()
        warnUnused()
    }

    /// Records the first declaration of an id; reports later ones. Returns false for a duplicate.
    func noteDuplicate(_ id: String, _ range: SourceRange, in seen: inout [String: SourceRange], what: String) -> Bool {
        if let first = seen[id] {
            error("duplicate \(what) '\(id)'", range, hint: "rename one of them; ids must be unique", notes: [.init("'\(id)' first declared here", at: first)])
            return false
        }
        seen[id] = range
        return true
    }

    // MARK: - Declarations

    func declareEnum(_ e: EnumDecl) {
        if let first = rules.enums.first(where: { $0.name == e.name.text }) {
            error("duplicate enum '\(e.name.text)'", e.name.range, hint: "rename one of them; ids must be unique", notes: [.init("'\(e.name.text)' first declared here", at: first.range)])
            return
        }
        var seen: [String: SourceRange] = [:]
        var values: [String] = [], labels: [String?] = []
        for v in e.values where noteDuplicate(v.name.text, v.name.range, in: &seen, what: "value in enum '\(e.name.text)':") {
            values.append(v.name.text)
            labels.append(v.label)
        }
        if values.count > 64 {
            error("enum '\(e.name.text)' has \(values.count) values; at most 64 are supported", e.name.range)
        }
        if values.isEmpty { error("enum '\(e.name.text)' has no values", e.name.range, hint: "list its values, one per line, before 'end'") }
        enumIndex[e.name.text] = rules.enums.count
        rules.enums.append(EnumInfo(name: e.name.text, title: e.title, values: values, labels: labels, range: e.name.range))
    }

    func declareSymbol(_ name: Name, _ symbol: Symbol) -> Bool {
        if let first = symbolRanges[name.text] {
            error("duplicate name '\(name.text)'", name.range, hint: "facts, derived values and parameters share one namespace; rename one of them",
                  notes: [.init("'\(name.text)' first declared here", at: first)])
            return false
        }
        symbols[name.text] = symbol
        symbolRanges[name.text] = name.range
        return true
    }

    func resolveType(_ t: TypeRef) -> ValueType {
        switch t {
        case .named(let n):
            switch n.text {
            case "yes/no", "boolean": return .boolean
            case "integer": return .integer
            case "decimal": return .decimal
            case "money": return .money
            case "date": return .date
            case "text": return .text
            case "percent": return .percent
            default:
                if let i = enumIndex[n.text] { return .enumeration(i) }
                let known = ["yes/no", "integer", "decimal", "money", "date", "text"] + rules.enums.map(\.name)
                error(unknownMessage("type", n.text, known), n.range, hint: "a type is yes/no, integer, decimal, money, date, text, an enum name, or 'set of' an enum")
                return .error
            }
        case .setOf(let n):
            if let i = enumIndex[n.text] { return .set(i) }
            error(unknownMessage("enum", n.text, rules.enums.map(\.name)), n.range, hint: "'set of' takes the name of an enum declared with 'enum'")
            return .error
        }
    }

    func declareFact(_ f: FactDecl) {
        let type = resolveType(f.type)
        var lower: Int64?, upper: Int64?
        if let lo = f.bounds.lower, let hi = f.bounds.upper {
            lower = integerLiteral(lo)
            upper = integerLiteral(hi)
            if type != .integer && type != .error { error("'range' applies only to integer facts, but '\(f.name.text)' is \(typeName(type))", lo.range) }
            if let l = lower, let u = upper, l > u { error("range \(l) to \(u) is empty", lo.range.to(hi.range), hint: "write the smaller bound first") }
        }
        let info = FactInfo(scope: f.scope, name: f.name.text, type: type, question: f.question, lowerBound: lower, upperBound: upper,
                            askWhen: nil, fallback: nil, range: f.name.range)
        if f.scope == .household {
            if declareSymbol(f.name, .householdFact(rules.householdFacts.count)) { rules.householdFacts.append(info) }
        } else {
            if declareSymbol(f.name, .memberFact(rules.memberFacts.count)) { rules.memberFacts.append(info) }
        }
    }

    func integerLiteral(_ e: Expr) -> Int64? {
        switch e.kind {
        case .number(let t): if let v = Exact(decimal: t), v.isInteger { return v.numerator }
        case .unary(.negate, let inner): if let v = integerLiteral(inner) { return -v }
        default: break
        }
        error("expected a whole number", e.range)
        return nil
    }

    func declareLet(_ l: LetDecl) {
        if l.scope == .household {
            guard declareSymbol(l.name, .householdLet(rules.householdLets.count)) else { return }
            householdLetSyntax.append(l)
            rules.householdLets.append(LetInfo(scope: .household, name: l.name.text, program: nil, value: .constant(.unknown), type: .error, range: l.name.range))
        } else {
            guard declareSymbol(l.name, .memberLet(rules.memberLets.count)) else { return }
            memberLetSyntax.append(l)
            rules.memberLets.append(LetInfo(scope: .member, name: l.name.text, program: nil, value: .constant(.unknown), type: .error, range: l.name.range))
        }
    }

    /// Type of a derived value, checking its expression on first use; a value reached again while being checked is a cycle.
    func letType(_ key: Dependency) -> ValueType {
        if let t = letTypes[key] { return t }
        if let start = letStack.firstIndex(of: key) {
            let cycle = letStack[start...].map(letName) + [letName(key)]
            let range = letRange(key)
            error("cycle among derived values: \(cycle.joined(separator: " -> "))", range,
                  hint: "a derived value cannot depend on itself; break the cycle by computing one of them from facts")
            for k in letStack[start...] { letTypes[k] = .error }
            return .error
        }
        if letStack.count >= CheckerState.maximumDerivedDepth {
            // Checking (and later evaluating) follows these chains recursively: a bound keeps any input from exhausting the stack.
            error("derived value '\(letName(key))' is at the end of a chain of more than \(CheckerState.maximumDerivedDepth) derived values",
                  letRange(key), hint: "compute it more directly from facts; chains this long are not supported")
            letTypes[key] = .error
            return .error
        }
        letStack.append(key)
        let saved = currentDependencies
        currentDependencies = []
        let checked: (Checked, ValueType)
        switch key {
        case .householdLet(let i):
            let l = householdLetSyntax[i]
            checked = check(l.value, CheckContext(program: rules.householdLets[i].program))
        case .memberLet(let i):
            checked = check(memberLetSyntax[i].value, CheckContext(member: true))
        case .program: fatalError("programs are not derived values")
        }
        dependencies[key] = currentDependencies
        currentDependencies = saved
        letStack.removeLast()
        if letTypes[key] == .error { return .error }  // part of a cycle found deeper down
        letTypes[key] = checked.1
        switch key {
        case .householdLet(let i): rules.householdLets[i].value = checked.0; rules.householdLets[i].type = checked.1
        case .memberLet(let i): rules.memberLets[i].value = checked.0; rules.memberLets[i].type = checked.1
        case .program: break
        }
        return checked.1
    }

    func letName(_ key: Dependency) -> String {
        switch key {
        case .householdLet(let i): rules.householdLets[i].name
        case .memberLet(let i): rules.memberLets[i].name
        case .program(let i): rules.programs[i].id
        }
    }
    func letRange(_ key: Dependency) -> SourceRange {
        switch key {
        case .householdLet(let i): rules.householdLets[i].range
        case .memberLet(let i): rules.memberLets[i].range
        case .program(let i): rules.programs[i].range
        }
    }

    func checkFactClauses(_ decls: [Declaration]) {
        for case .fact(let f) in decls {
            guard let symbol = symbols[f.name.text], symbolRanges[f.name.text] == f.name.range else { continue }
            let ctx = CheckContext(member: f.scope == .member)
            let ask = f.askWhen.map { expect(.boolean, check($0, ctx), at: $0.range, what: "'ask only when'") }
            var fallback: Checked?
            if let fb = f.fallback {
                var fctx = ctx
                fctx.factsOnly = true
                let (c, t) = check(fb, fctx, expected: nil)
                let factType: ValueType
                switch symbol { case .householdFact(let i): factType = rules.householdFacts[i].type; case .memberFact(let i): factType = rules.memberFacts[i].type; default: continue }
                if !compatible(t, factType) {
                    error("the fallback of '\(f.name.text)' is \(typeName(t)), but the fact is \(typeName(factType))", fb.range)
                }
                fallback = c
            }
            switch symbol {
            case .householdFact(let i): rules.householdFacts[i].askWhen = ask; rules.householdFacts[i].fallback = fallback
            case .memberFact(let i): rules.memberFacts[i].askWhen = ask; rules.memberFacts[i].fallback = fallback
            default: break
            }
        }
    }

    // MARK: - Parameters

    func declareParameter(_ p: ParameterDecl) {
        guard declareSymbol(p.name, .parameter(rules.parameters.count)) else { return }
        if p.cite == nil {
            warning("parameter '\(p.name.text)' has no citation", p.name.range, hint: "add a line: cite \"<regulation, manual section or URL>\"")
        }
        var key: ParameterKeyKind = .scalar
        switch p.key {
        case .scalar: key = .scalar
        case .householdSize: key = .householdSize
        case .text: key = .text
        case .enumeration(let n):
            if let i = enumIndex[n.text] { key = .enumeration(i) } else {
                error(unknownMessage("enum", n.text, rules.enums.map(\.name) + ["county", "state", "household size"]), n.range,
                      hint: "a parameter is keyed 'by household size', 'by county', 'by state' or by an enum")
            }
        }
        var valueType: ValueType?
        var versions: [ParameterInfo.Version] = []
        var previous: (Day, SourceRange)?
        if p.versions.isEmpty {
            error("parameter '\(p.name.text)' has no values", p.name.range, hint: "add a row: from YYYY-MM-DD: <value>")
        }
        for v in p.versions {
            guard let day = Day(iso: v.from.text) else {
                invalidDate(v.from.text, v.from.range, hint: "write dates as YYYY-MM-DD")
                continue
            }
            if let (prevDay, prevRange) = previous {
                if day == prevDay {
                    error("two values of '\(p.name.text)' take effect on \(day)", v.from.range, hint: "each 'from' date may appear once; remove or change one of them",
                          notes: [.init("the other value taking effect on \(day)", at: prevRange)])
                } else if day < prevDay {
                    error("effective dates of '\(p.name.text)' are out of order: \(day) comes after \(prevDay)", v.from.range,
                          hint: "list 'from' rows from the oldest to the newest")
                }
            }
            previous = (day, v.from.range)
            func literal(_ e: Expr) -> Value {
                let (c, t) = check(e, CheckContext())
                guard case .constant(let value) = c else {
                    if t != .error { error("a parameter value must be a literal such as $1,200.00, 130% or 12", e.range) }
                    return .unknown
                }
                if let vt = valueType {
                    if !compatible(t, vt) && t != .error { error("values of '\(p.name.text)' mix \(typeName(vt)) and \(typeName(t))", e.range, hint: "write every value of a parameter the same way, for example all as money") }
                    else if vt == .integer && t == .decimal { valueType = .decimal }
                } else if t != .error { valueType = t }
                return value
            }
            var values: [Value] = [], keys: [Value] = []
            for entry in v.entries {
                switch key {
                case .scalar, .householdSize:
                    if let k = entry.key { error("this parameter is not keyed by name; remove '\(describe(k))'", k.range) }
                case .text:
                    if let k = entry.key, case .text(let s) = k.kind { keys.append(.text(rules.intern(TextKey.normalize(s)))) }
                    else { error("expected a quoted name such as \"Los Angeles\" before the value", entry.key?.range ?? entry.value.range) }
                case .enumeration(let e):
                    if let k = entry.key {
                        let name: String? = { if case .name(let n) = k.kind { return n }; if case .text(let s) = k.kind { return s }; return nil }()
                        if let name, let idx = rules.enums[e].index(of: name) { keys.append(.enumeration(idx)) }
                        else { error(unknownMessage("value of enum '\(rules.enums[e].name)'", name ?? describe(k), rules.enums[e].values), k.range); keys.append(.unknown) }
                    } else { error("expected a value of enum '\(rules.enums[e].name)' before the value", entry.value.range) }
                }
                values.append(literal(entry.value))
            }
            if case .scalar = key, values.count != 1 {
                error("a scalar parameter has one value per 'from' row, found \(values.count)", v.range, hint: "to key values by household size, add 'by household size' after the title")
            }
            var step: Exact?
            if let each = v.eachAdditional {
                if key != .householdSize { error("'each additional' applies only to parameters by household size", each.range) }
                step = literal(each).number
            }
            let otherwise = v.otherwise.map(literal)
            if v.otherwise != nil, key == .householdSize || key == .scalar {
                error("'otherwise' applies only to parameters keyed by county, state or an enum", v.otherwise!.range)
            }
            versions.append(.init(from: day, values: values, keys: keys, eachAdditional: step, otherwise: otherwise))
        }
        versions.sort { $0.from < $1.from }
        if let asOf, let first = versions.first, first.from > asOf {
            error("parameter '\(p.name.text)' has no value in force on \(asOf)", p.name.range,
                  hint: "its first value takes effect on \(first.from); add a 'from' row on or before \(asOf), or screen with a later --as-of")
        }
        rules.parameters.append(ParameterInfo(name: p.name.text, title: p.title, cite: p.cite, key: key, type: valueType ?? .error, versions: versions, range: p.name.range))
    }

    func describe(_ e: Expr) -> String {
        switch e.kind {
        case .name(let n): n
        case .text(let s): "\"\(s)\""
        default: "value"
        }
    }

    // MARK: - Programs

    func declareProgram(_ p: ProgramDecl) -> Bool {
        if let first = programIndex[p.id.text] {
            error("duplicate program '\(p.id.text)'", p.id.range, hint: "rename one of them; ids must be unique", notes: [.init("'\(p.id.text)' first declared here", at: rules.programs[first].range)])
            return false
        }
        let index = rules.programs.count
        programIndex[p.id.text] = index
        if let k = p.kind { kinds.insert(k.text) }
        rules.programs.append(ProgramInfo(id: p.id.text, name: p.title ?? p.id.text, kind: p.kind?.text, applies: nil, enrolledWhen: nil,
                                          cite: p.cite, requirements: [], benefit: nil, benefitExplain: nil, range: p.id.range))
        var locals: [String: Int] = [:]
        var seen: [String: SourceRange] = [:]
        for l in p.lets {
            guard noteDuplicate(l.name.text, l.name.range, in: &seen, what: "value in program '\(p.id.text)':") else { continue }
            if let global = symbolRanges[l.name.text] {
                error("'\(l.name.text)' is already declared outside this program", l.name.range, hint: "give the program's value its own name",
                      notes: [.init("'\(l.name.text)' declared here", at: global)])
                continue
            }
            locals[l.name.text] = rules.householdLets.count
            householdLetSyntax.append(l)
            rules.householdLets.append(LetInfo(scope: .household, name: "\(p.id.text).\(l.name.text)", program: index, value: .constant(.unknown), type: .error, range: l.name.range))
        }
        programLocals.append(locals)
        return true
    }

    func checkProgram(_ p: ProgramDecl, index: Int) {
        let ctx = CheckContext(program: index)
        currentDependencies = []
        for (_, slot) in programLocals[index] { _ = letType(.householdLet(slot)); currentDependencies.insert(.householdLet(slot)) }
        if p.cite == nil {
            warning("program '\(p.id.text)' has no citation", p.id.range, hint: "add a line: cite \"<regulation, manual section or URL>\"")
        }
        var program = rules.programs[index]
        program.applies = p.applies.map { expect(.boolean, check($0, ctx), at: $0.range, what: "'applies when'") }
        program.enrolledWhen = p.enrolledWhen.map { expect(.boolean, check($0, ctx), at: $0.range, what: "'enrolled when'") }
        var seen: [String: SourceRange] = [:]
        for r in p.requirements {
            guard noteDuplicate(r.id.text, r.id.range, in: &seen, what: "requirement in program '\(p.id.text)':") else { continue }
            let (cond, type) = check(r.condition, ctx)
            if type != .boolean && type != .error {
                error("requirement '\(r.id.text)' must be yes/no, but its expression is \(typeName(type))", r.condition.range,
                      hint: "a requirement is a condition, such as 'countable_income < limit'")
            }
            var margin: RequirementInfo.Margin?
            if case .binary(let op, let l, let rhs) = r.condition.kind, [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op),
               case .compare(_, let lc, let rc) = cond, check(l, ctx, quiet: true).1 == .money {
                _ = rhs
                // The family's amount is usually on the left (income < limit); a fixed amount or parameter on the
                // left is the limit written first ($2,500 >= resources): swap the sides so the margin is about the family.
                if isFixedAmount(lc) && !isFixedAmount(rc) {
                    let flipped: [BinaryOperator: BinaryOperator] = [.less: .greater, .lessOrEqual: .greaterOrEqual, .greater: .less, .greaterOrEqual: .lessOrEqual]
                    margin = .init(op: flipped[op]!, amount: rc, limit: lc)
                } else {
                    margin = .init(op: op, amount: lc, limit: rc)
                }
            }
            if r.cite == nil && p.cite == nil {
                warning("requirement '\(r.id.text)' has no citation", r.id.range, hint: "add 'cite \"...\"' to the requirement or to its program")
            }
            program.requirements.append(RequirementInfo(id: r.id.text, title: r.title, condition: cond, explain: r.explain.map { checkTemplate($0, ctx) },
                                                        cite: r.cite ?? p.cite, margin: margin, range: r.id.range))
        }
        if p.requirements.isEmpty {
            error("program '\(p.id.text)' has no requirements", p.id.range, hint: "add at least one 'requirement id \"title\" <condition>'")
        }
        if let b = p.benefit {
            program.benefit = expect(.money, check(b, ctx), at: b.range, what: "'benefit'")
            program.benefitExplain = p.benefitExplain.map { checkTemplate($0, ctx) }
        }
        rules.programs[index] = program
        dependencies[.program(index)] = currentDependencies
        currentDependencies = []
    }

    /// A literal, a parameter, or arithmetic on them: the same for every family.
    func isFixedAmount(_ c: Checked) -> Bool {
        switch c {
        case .constant, .parameter, .table: true
        case .arithmetic(_, let a, let b): isFixedAmount(a) && isFixedAmount(b)
        default: false
        }
    }

    // MARK: - Referrals, tiers, tests

    func checkReferral(_ r: ReferralDecl) {
        var ctx = CheckContext()
        var target: ReferralInfo.Target = .none
        switch r.target {
        case .none: break
        case .program(let n):
            if let i = programIndex[n.text] { target = .program(i) } else { error(unknownMessage("program", n.text, rules.programs.map(\.id)), n.range) }
        case .programsOfKind(let k):
            if kinds.contains(k.text) { target = .kind(k.text); ctx.currentProgram = true }
            else { error(unknownMessage("program kind", k.text, kinds.sorted()), k.range, hint: "a kind is declared in a program with 'kind <name>'") }
        }
        currentDependencies = []
        let when = expect(.boolean, check(r.when, ctx), at: r.when.range, what: "'when'")
        var priorities: [PriorityInfo] = []
        for p in r.priorities {
            if !["urgent", "high", "routine"].contains(p.level.text) {
                error(unknownMessage("priority", p.level.text, ["urgent", "high", "routine"]), p.level.range, hint: "a priority is urgent, high or routine")
            }
            priorities.append(PriorityInfo(level: p.level.text, when: p.when.map { expect(.boolean, check($0, ctx), at: $0.range, what: "'priority ... when'") }))
        }
        if priorities.isEmpty || priorities.last?.when != nil {
            error("referral '\(r.id.text)' needs a priority that applies when no other does", r.id.range, hint: "end the priorities with one without 'when', such as 'priority routine'")
        }
        currentDependencies = []
        rules.referrals.append(ReferralInfo(id: r.id.text, title: r.title ?? r.id.text, to: r.to, target: target, when: when, priorities: priorities,
                                            because: r.because.map { checkTemplate($0, ctx) }, needsConsent: r.needsConsent, cite: r.cite, range: r.id.range))
    }

    func checkTier(_ t: TierDecl) {
        let ctx = CheckContext()
        let conditions = t.conditions.map { c in
            TierCondition(condition: c.condition.map { expect(.boolean, check($0, ctx), at: $0.range, what: "'when'") }, because: checkTemplate(c.because, ctx))
        }
        if conditions.isEmpty { error("tier '\(t.id.text)' has no conditions", t.id.range, hint: "add 'when <condition> because \"<reason>\"' or 'otherwise because \"<reason>\"'") }
        currentDependencies = []
        rules.tiers.append(TierInfo(id: t.id.text, title: t.title ?? t.id.text, cite: t.cite, conditions: conditions, range: t.id.range))
    }

    func checkTest(_ t: TestDecl) {
        for line in t.expectations {
            switch line.expectation {
            case .status(let p, let s):
                checkProgramName(p)
                if !["eligible", "ineligible", "needs_info"].contains(s.text) { error(unknownMessage("status", s.text, ["eligible", "ineligible", "needs_info"]), s.range) }
            case .benefit(let p, let amount):
                checkProgramName(p)
                _ = expect(.money, check(amount, CheckContext()), at: amount.range, what: "an expected benefit")
            case .requirement(let p, let req, let result):
                if let i = checkProgramName(p), !rules.programs[i].requirements.contains(where: { $0.id == req.text }) {
                    error(unknownMessage("requirement of '\(p.text)'", req.text, rules.programs[i].requirements.map(\.id)), req.range)
                }
                if !["met", "not_met", "unknown"].contains(result.text) { error(unknownMessage("result", result.text, ["met", "not_met", "unknown"]), result.range) }
            case .referral(let id, _, let priority):
                if !rules.referrals.contains(where: { $0.id == id.text }) { error(unknownMessage("referral", id.text, rules.referrals.map(\.id)), id.range) }
                if let p = priority, !["urgent", "high", "routine"].contains(p.text) { error(unknownMessage("priority", p.text, ["urgent", "high", "routine"]), p.range) }
            case .tier(let id):
                if !rules.tiers.contains(where: { $0.id == id.text }) { error(unknownMessage("tier", id.text, rules.tiers.map(\.id)), id.range) }
            case .unclaimed(let p, _), .notListed(let p):
                checkProgramName(p)
            }
        }
        rules.tests.append(TestInfo(name: t.name, given: t.given, givenRange: t.givenRange, expectations: t.expectations, range: t.nameRange))
    }

    @discardableResult
    func checkProgramName(_ n: Name) -> Int? {
        if let i = programIndex[n.text] { return i }
        error(unknownMessage("program", n.text, rules.programs.map(\.id)), n.range)
        return nil
    }

    // MARK: - Whole-rule-set checks

    func findProgramCycles() {
        // Cycles among derived values alone were reported while inferring types; here we look for ones through programs.
        var state: [Dependency: Int] = [:]  // 1 visiting, 2 done
        var stack: [Dependency] = []
        var reported = false
        func visit(_ node: Dependency) {
            if reported { return }
            if state[node] == 2 { return }
            if state[node] == 1 {
                let start = stack.firstIndex(of: node)!
                let cycle = stack[start...]
                if cycle.contains(where: { if case .program = $0 { true } else { false } }) {
                    let names = cycle.map(letName) + [letName(node)]
                    error("cycle among programs and derived values: \(names.joined(separator: " -> "))", letRange(node),
                          hint: "a program cannot depend on its own result; check the eligible(...) and benefit(...) calls")
                    reported = true
                }
                return
            }
            state[node] = 1
            stack.append(node)
            for next in (dependencies[node] ?? []).sorted(by: { letName($0) < letName($1) }) { visit(next) }
            stack.removeLast()
            state[node] = 2
        }
        for i in rules.programs.indices { visit(.program(i)) }
    }

    /// Evaluation follows chains of derived values and programs recursively, so their length is bounded.
    /// Longest chains are found without recursion (an explicit stack), whatever the rules hold.
    func limitChainLength() {
        var length: [Dependency: Int] = [:]
        var reported = false
        for start in dependencies.keys.sorted(by: { letName($0) < letName($1) }) where length[start] == nil {
            var stack: [(node: Dependency, expanded: Bool)] = [(start, false)]
            var onPath: Set<Dependency> = []
            while let (node, expanded) = stack.popLast() {
                if expanded {
                    onPath.remove(node)
                    let longest = (dependencies[node] ?? []).compactMap { length[$0] }.max() ?? 0
                    length[node] = longest + 1
                    if longest + 1 > CheckerState.maximumDerivedDepth && !reported {
                        reported = true
                        error("'\(letName(node))' is at the end of a chain of more than \(CheckerState.maximumDerivedDepth) derived values and programs",
                              letRange(node), hint: "compute it more directly from facts; chains this long are not supported")
                    }
                    continue
                }
                if length[node] != nil || onPath.contains(node) { continue }  // done, or a cycle reported elsewhere
                onPath.insert(node)
                stack.append((node, true))
                for next in dependencies[node] ?? [] where length[next] == nil && !onPath.contains(next) { stack.append((next, false)) }
            }
        }
    }

    func warnUnused() {
        // The screener itself reads this one to decide which benefits are "unclaimed".
        if case .householdLet(let i)? = symbols["involved_with_child_welfare"] { used.insert(.householdLet(i)) }
        for (i, l) in rules.householdLets.enumerated() where l.program == nil && !used.contains(.householdLet(i)) {
            warning("derived value '\(l.name)' is never used", l.range, hint: "remove it, or use it in a requirement, referral or tier")
        }
        for (i, l) in rules.memberLets.enumerated() where !used.contains(.memberLet(i)) {
            warning("derived value '\(l.name)' is never used", l.range, hint: "remove it, or use it in a requirement, referral or tier")
        }
        for (i, l) in rules.householdLets.enumerated() where l.program != nil && !used.contains(.householdLet(i)) {
            warning("derived value '\(l.name.split(separator: ".").last!)' is never used in program '\(rules.programs[l.program!].id)'", l.range, hint: "remove it, or use it in a requirement or the benefit")
        }
        for (i, p) in rules.parameters.enumerated() where !used.contains(.parameter(i)) {
            warning("parameter '\(p.name)' is never used", p.range, hint: "remove it, or use it in a derived value or requirement")
        }
    }

    // MARK: - Helpers

    /// Reports a date `Day` cannot hold, unless the lexer already did: it reports impossible months and days,
    /// so only what it lets through (year 0000) is reported here, and one mistake gives one error.
    func invalidDate(_ text: String, _ range: SourceRange, hint: String) {
        let parts = text.split(separator: "-").map { Int($0) }
        if parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2],
           !(1...12).contains(m) || !(1...Day.daysIn(month: m, year: y)).contains(d) { return }
        error("invalid date '\(text)'", range, hint: hint)
    }

    func unknownMessage(_ what: String, _ name: String, _ candidates: [String]) -> String {
        if let s = Suggestions.closest(to: name, in: candidates) { return "unknown \(what) '\(name)'; did you mean '\(s)'?" }
        return "unknown \(what) '\(name)'"
    }

    func typeName(_ t: ValueType) -> String {
        switch t {
        case .boolean: "yes/no"
        case .integer: "integer"
        case .decimal: "decimal"
        case .percent: "percent"
        case .money: "money"
        case .date: "date"
        case .text: "text"
        case .enumeration(let i): "'\(rules.enums[i].name)'"
        case .set(let i): "set of '\(rules.enums[i].name)'"
        case .duration: "a duration"
        case .error: "<error>"
        }
    }

    func compatible(_ a: ValueType, _ b: ValueType) -> Bool {
        if a == .error || b == .error { return true }
        if a == b { return true }
        return a.isPlainNumber && b.isPlainNumber
    }

    func expect(_ type: ValueType, _ checked: (Checked, ValueType), at range: SourceRange, what: String) -> Checked {
        if !compatible(checked.1, type) {
            error("\(what) must be \(typeName(type)), but this expression is \(typeName(checked.1))", range,
                  hint: type == .money && checked.1.isPlainNumber ? "write money with a dollar sign, like $0 or $1,200.00" : nil)
        }
        return checked.0
    }

    func checkTemplate(_ t: Template, _ ctx: CheckContext) -> CheckedTemplate {
        CheckedTemplate(parts: t.parts.map { part in
            switch part {
            case .text(let s): return .text(s)
            case .expr(let e):
                let (c, type) = check(e, ctx)
                return .value(c, type)
            }
        })
    }
}
