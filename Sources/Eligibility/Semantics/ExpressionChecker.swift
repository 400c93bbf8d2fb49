/// Checking expressions: name resolution, literal values and the typing rules of docs/grammar.md.
extension CheckerState {
    /// Checks an expression; `expected` lets a bare name or string be read as a value of an enum.
    /// `quiet` re-checks without reporting (used to learn a type a second time).
    func check(_ e: Expr, _ ctx: CheckContext, expected: ValueType? = nil, quiet: Bool = false) -> (Checked, ValueType) {
        if quiet {
            let count = diagnostics.count, deps = currentDependencies
            defer { diagnostics.removeSubrange(count...); currentDependencies = deps }
            return check(e, ctx, expected: expected)
        }
        switch e.kind {
        case .boolean(let b): return (.constant(.bool(b)), .boolean)
        case .number(let text):
            guard let v = Exact(decimal: text) else { error("number '\(text)' is too large", e.range); return (.constant(.unknown), .error) }
            return (.constant(.number(v)), text.contains(".") ? .decimal : .integer)
        case .money(let text):
            guard let v = Exact(decimal: text) else { error("amount '$\(text)' is too large", e.range); return (.constant(.unknown), .error) }
            return (.constant(.number(v)), .money)
        case .percent(let text):
            guard let v = Exact(decimal: text), let p = v.divided(by: Exact(100)) else { error("percentage '\(text)%' is too large", e.range); return (.constant(.unknown), .error) }
            return (.constant(.number(p)), .percent)
        case .date(let text):
            guard let d = Day(iso: text) else { invalidDate(text, e.range, hint: "write dates as YYYY-MM-DD with a real month and day"); return (.constant(.unknown), .error) }
            return (.constant(.date(d)), .date)
        case .text(let s):
            if case .enumeration(let i)? = expected { return enumConstant(s, i, e.range) }
            return (.constant(.text(rules.intern(s))), .text)
        case .name(let n): return checkName(n, e.range, ctx, expected: expected)
        case .duration(let inner, let unit):
            let (c, t) = check(inner, ctx)
            if t != .integer && t != .error { error("a duration needs a whole number of \(unit.rawValue), but this is \(typeName(t))", inner.range) }
            return (c, .duration)
        case .list(let items):
            error("a list [...] can only follow 'in' or 'not in'", e.range, hint: "write 'x in [a, b]'")
            for item in items { _ = check(item, ctx) }
            return (.constant(.unknown), .error)
        case .unary(.not, let inner):
            return (.not(expect(.boolean, check(inner, ctx), at: inner.range, what: "the operand of 'not'")), .boolean)
        case .unary(.negate, let inner):
            let (c, t) = check(inner, ctx)
            if !t.isNumeric && t != .error { error("cannot negate \(typeName(t))", e.range) }
            if case .constant(.number(let n)) = c { return (.constant(.number(n.negated())), t) }
            return (.negate(c), t)
        case .binary(let op, let l, let r): return checkBinary(op, l, r, e.range, ctx)
        case .conditional(let c, let a, let b):
            let cond = expect(.boolean, check(c, ctx), at: c.range, what: "the condition of 'if'")
            let (ac, at) = check(a, ctx, expected: expected)
            let (bc, bt) = check(b, ctx, expected: expected ?? at)
            if !compatible(at, bt) {
                error("the branches of 'if' have different types: \(typeName(at)) and \(typeName(bt))", e.range, hint: at == .money || bt == .money ? "write money with a dollar sign, like $0" : nil)
            }
            return (.conditional(cond, ac, bc), unify(at, bt))
        case .known(let inner):
            return (.known(check(inner, ctx).0), .boolean)
        case .otherwise(let a, let b):
            let (ac, at) = check(a, ctx, expected: expected)
            let (bc, bt) = check(b, ctx, expected: expected ?? at)
            if !compatible(at, bt) {
                error("'otherwise' joins \(typeName(at)) and \(typeName(bt)); both sides must have the same type", e.range, hint: at == .money ? "write money with a dollar sign, like $0" : nil)
            }
            return (.otherwise(ac, bc), unify(at, bt))
        case .aggregate(let agg, let body, let filter): return checkAggregate(agg, body, filter, e.range, ctx)
        case .call(let name, let args): return checkCall(name, args, e.range, ctx)
        case .programKind(let k):
            error("'kind \(k)' can only be the argument of eligible(), needs_info(), enrolled(), unclaimed() or benefit()", e.range)
            return (.constant(.unknown), .error)
        }
    }

    func unify(_ a: ValueType, _ b: ValueType) -> ValueType {
        if a == .error { return b }
        if b == .error || a == b { return a }
        if a.isPlainNumber && b.isPlainNumber { return (a == .integer && b == .integer) ? .integer : .decimal }
        return a
    }

    func enumConstant(_ value: String, _ e: Int, _ range: SourceRange) -> (Checked, ValueType) {
        if let i = rules.enums[e].index(of: value) { return (.constant(.enumeration(i)), .enumeration(e)) }
        error(enumValueMessage(value, e), range,
              hint: "the values of '\(rules.enums[e].name)' are: \(rules.enums[e].values.joined(separator: ", "))")
        return (.constant(.unknown), .error)
    }

    func enumValueMessage(_ value: String, _ e: Int) -> String {
        let base = "unknown value '\(value)' for enum '\(rules.enums[e].name)'"
        if let s = Suggestions.closest(to: value, in: rules.enums[e].values) { return "\(base); did you mean '\(s)'?" }
        return base
    }

    func checkName(_ n: String, _ range: SourceRange, _ ctx: CheckContext, expected: ValueType?) -> (Checked, ValueType) {
        if let p = ctx.program, let slot = programLocals[p][n] {
            if ctx.factsOnly { return factsOnlyError(n, range) }
            let t = letType(.householdLet(slot))
            currentDependencies.insert(.householdLet(slot))
            used.insert(.householdLet(slot))
            return (.householdLet(slot), t)
        }
        if let symbol = symbols[n] {
            switch symbol {
            case .householdFact(let i): return (.householdFact(i), rules.householdFacts[i].type)
            case .memberFact(let i):
                guard ctx.member else { return memberInHousehold(n, range) }
                return (.memberFact(i), rules.memberFacts[i].type)
            case .householdLet(let i):
                if ctx.factsOnly { return factsOnlyError(n, range) }
                let t = letType(.householdLet(i))
                currentDependencies.insert(.householdLet(i))
                used.insert(symbol)
                return (.householdLet(i), t)
            case .memberLet(let i):
                if ctx.factsOnly { return factsOnlyError(n, range) }
                guard ctx.member else { return memberInHousehold(n, range) }
                let t = letType(.memberLet(i))
                currentDependencies.insert(.memberLet(i))
                used.insert(symbol)
                return (.memberLet(i), t)
            case .parameter(let i):
                used.insert(symbol)
                let p = rules.parameters[i]
                if p.key != .scalar {
                    error("parameter '\(n)' is a table; give the key in parentheses", range, hint: "write \(n)(\(keyExample(p.key)))")
                    return (.constant(.unknown), .error)
                }
                return (.parameter(i), p.type)
            }
        }
        if ctx.currentProgram && n == "program.name" { return (.currentProgramName, .text) }
        if case .enumeration(let e)? = expected {
            if rules.enums[e].index(of: n) != nil { return enumConstant(n, e, range) }
            error(enumValueMessage(n, e), range, hint: "the values of '\(rules.enums[e].name)' are: \(rules.enums[e].values.joined(separator: ", "))")
            return (.constant(.unknown), .error)
        }
        var candidates = Array(symbols.keys)
        if let p = ctx.program { candidates += programLocals[p].keys }
        if let s = Suggestions.closest(to: n, in: candidates) {
            error("unknown name '\(n)'; did you mean '\(s)'?", range)
        } else if programIndex[n] != nil {
            error("'\(n)' is a program, not a value", range, hint: "ask about a program with eligible(\(n)), enrolled(\(n)), unclaimed(\(n)) or benefit(\(n))")
        } else {
            error("unknown name '\(n)'", range, hint: "declare it with 'fact' or 'let', or check the spelling")
        }
        return (.constant(.unknown), .error)
    }

    func keyExample(_ k: ParameterKeyKind) -> String {
        switch k {
        case .householdSize: "household_size"
        case .text: "county"
        case .enumeration(let e): "<\(rules.enums[e].name) value>"
        case .scalar: ""
        }
    }

    func memberInHousehold(_ n: String, _ range: SourceRange) -> (Checked, ValueType) {
        error("'\(n)' describes each member, not the household", range,
              hint: "use it inside 'any member where ...', 'count members where ...' or 'sum ... over members'")
        return (.constant(.unknown), .error)
    }

    func factsOnlyError(_ n: String, _ range: SourceRange) -> (Checked, ValueType) {
        error("a fact's fallback may use only facts and parameters, but '\(n)' is a derived value", range)
        return (.constant(.unknown), .error)
    }

    /// A bare name that is neither a declared value nor `program`: it may be an enum value once the other side's type is known.
    func isUnresolvedBareName(_ e: Expr, _ ctx: CheckContext) -> Bool {
        switch e.kind {
        case .name(let n):
            if let p = ctx.program, programLocals[p][n] != nil { return false }
            return symbols[n] == nil && !(ctx.currentProgram && n == "program.name")
        case .text: return true
        default: return false
        }
    }

    func checkBinary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ range: SourceRange, _ ctx: CheckContext) -> (Checked, ValueType) {
        switch op {
        case .and, .or:
            let lc = expect(.boolean, check(l, ctx), at: l.range, what: "the left side of '\(op.rawValue)'")
            let rc = expect(.boolean, check(r, ctx), at: r.range, what: "the right side of '\(op.rawValue)'")
            return (op == .and ? .and(lc, rc) : .or(lc, rc), .boolean)
        case .in, .notIn:
            let negated = op == .notIn
            if case .list(let items) = r.kind {
                let (lc, lt) = check(l, ctx)
                var values: [Checked] = []
                for item in items {
                    let (ic, it) = check(item, ctx, expected: lt)
                    if !compatible(it, lt) { error("cannot look for \(typeName(lt)) among \(typeName(it)) values", item.range) }
                    values.append(ic)
                }
                if case .set = lt { error("the left side of 'in' must be a single value, but this is \(typeName(lt))", l.range) }
                return (.inList(lc, values, negated: negated), .boolean)
            }
            let (rc, rt) = check(r, ctx)
            guard case .set(let e) = rt else {
                if rt != .error { error("the right side of 'in' must be a list [...] or a set, but this is \(typeName(rt))", r.range) }
                _ = check(l, ctx)
                return (.constant(.unknown), .error)
            }
            let (lc, lt) = check(l, ctx, expected: .enumeration(e))
            if !compatible(lt, .enumeration(e)) { error("cannot look for \(typeName(lt)) in \(typeName(rt))", l.range) }
            return (.inSet(lc, rc, negated: negated), .boolean)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let lc: Checked, lt: ValueType, rc: Checked, rt: ValueType
            if isUnresolvedBareName(l, ctx) && !isUnresolvedBareName(r, ctx) {
                (rc, rt) = check(r, ctx)
                (lc, lt) = check(l, ctx, expected: rt)
            } else {
                (lc, lt) = check(l, ctx)
                (rc, rt) = check(r, ctx, expected: lt)
            }
            let ordered = op != .equal && op != .notEqual
            if lt == .error || rt == .error { return (.compare(op, lc, rc), .boolean) }
            let comparable: Bool
            switch (lt, rt) {
            case _ where lt.isPlainNumber && rt.isPlainNumber: comparable = true
            case (.money, .money), (.date, .date): comparable = true
            case (.text, .text), (.boolean, .boolean): comparable = !ordered
            case (.enumeration(let a), .enumeration(let b)): comparable = a == b && !ordered
            default: comparable = false
            }
            if !comparable {
                if ordered && lt == rt {
                    error("'\(op.rawValue)' cannot order \(typeName(lt)) values", range, hint: "use '=' or '!=' instead")
                } else {
                    let hint: String? = (lt == .money && rt.isPlainNumber) || (rt == .money && lt.isPlainNumber)
                        ? "write money with a dollar sign, like $0 or $1,200.00" : nil
                    error("cannot compare \(typeName(lt)) with \(typeName(rt))", range, hint: hint)
                }
            }
            return (.compare(op, lc, rc), .boolean)
        case .add, .subtract, .multiply, .divide:
            let (lc, lt) = check(l, ctx)
            let (rc, rt) = check(r, ctx)
            if lt == .error || rt == .error { return (.arithmetic(op, lc, rc), .error) }
            if lt == .date && rt == .duration, op == .add || op == .subtract, case .duration(_, let unit) = r.kind {
                return (.shiftDate(lc, by: rc, unit, negated: op == .subtract), .date)
            }
            let result: ValueType?
            switch op {
            case .add, .subtract:
                if lt == .money && rt == .money { result = .money }
                else if lt.isPlainNumber && rt.isPlainNumber { result = (lt == rt) ? lt : .decimal }
                else { result = nil }
            case .multiply:
                if lt == .money && rt.isPlainNumber || lt.isPlainNumber && rt == .money { result = .money }
                else if lt.isPlainNumber && rt.isPlainNumber { result = (lt == .integer && rt == .integer) ? .integer : .decimal }
                else { result = nil }
            default:
                if lt == .money && rt.isPlainNumber { result = .money }
                else if lt == .money && rt == .money { result = .decimal }
                else if lt.isPlainNumber && rt.isPlainNumber { result = .decimal }
                else { result = nil }
            }
            guard let type = result else {
                let verb = ["+": "add", "-": "subtract", "*": "multiply", "/": "divide"][op.rawValue]!
                let hint: String? = (lt == .money && rt.isPlainNumber) || (rt == .money && lt.isPlainNumber)
                    ? "write money with a dollar sign, like $0 or $1,200.00" : (lt == .date ? "add a duration to a date, like 'birth_date + 18 years'" : nil)
                error("cannot \(verb) \(typeName(lt)) and \(typeName(rt))", range, hint: hint)
                return (.arithmetic(op, lc, rc), .error)
            }
            return (.arithmetic(op, lc, rc), type)
        }
    }

    func checkAggregate(_ agg: Aggregate, _ body: Expr?, _ filter: Expr?, _ range: SourceRange, _ ctx: CheckContext) -> (Checked, ValueType) {
        if ctx.member {
            error("'\(agg.rawValue)' over members cannot be used inside a member value", range, hint: "compute the aggregate in a household 'let' and use that")
        }
        var mctx = ctx
        mctx.member = true
        let f = filter.map { expect(.boolean, check($0, mctx), at: $0.range, what: "the 'where' filter") }
        switch agg {
        case .count:
            return (.aggregate(.count, body: nil, filter: f), .integer)
        case .any, .all:
            guard let body else { return (.aggregate(agg, body: nil, filter: f), .boolean) }
            let b = expect(.boolean, check(body, mctx), at: body.range, what: "the condition of '\(agg.rawValue)'")
            return (.aggregate(agg, body: b, filter: f), .boolean)
        case .sum, .min, .max:
            guard let body else { error("'\(agg.rawValue)' needs a value to add up", range); return (.constant(.unknown), .error) }
            let (b, t) = check(body, mctx)
            let ok = t.isNumeric || (agg != .sum && t == .date) || t == .error
            if !ok { error("'\(agg.rawValue)' over members needs numbers\(agg == .sum ? "" : " or dates"), but this is \(typeName(t))", body.range) }
            return (.aggregate(agg, body: b, filter: f), t)
        }
    }

    func checkCall(_ name: Name, _ args: [Expr], _ range: SourceRange, _ ctx: CheckContext) -> (Checked, ValueType) {
        if let query = ProgramQuery(rawValue: name.text) {
            guard args.count == 1 else {
                error("\(name.text)() takes one program, found \(args.count) arguments", range, hint: "write \(name.text)(snap) or \(name.text)(kind cash_assistance)")
                return (.constant(.unknown), .error)
            }
            let type: ValueType = query == .benefit ? .money : .boolean
            switch args[0].kind {
            case .programKind(let k):
                if !kinds.contains(k) { error(unknownMessage("program kind", k, kinds.sorted()), args[0].range); return (.constant(.unknown), .error) }
                for (i, p) in rules.programs.enumerated() where p.kind == k { currentDependencies.insert(.program(i)) }
                return (.program(query, .kind(k)), type)
            case .name("program") where ctx.currentProgram:
                return (.program(query, .current), type)
            case .name(let id):
                if let i = programIndex[id] {
                    currentDependencies.insert(.program(i))
                    return (.program(query, .program(i)), type)
                }
                error(unknownMessage("program", id, rules.programs.map(\.id)), args[0].range)
                return (.constant(.unknown), .error)
            default:
                error("\(name.text)() takes a program id, 'program' or 'kind <name>'", args[0].range)
                return (.constant(.unknown), .error)
            }
        }
        if let builtin = Builtin(rawValue: name.text) {
            let checked = args.map { check($0, ctx) }
            let types = checked.map(\.1)
            let codes = checked.map(\.0)
            switch builtin {
            case .max, .min:
                guard args.count >= 2 else { error("\(name.text)() needs at least two values", range); return (.constant(.unknown), .error) }
                var t = types[0]
                for (i, u) in types.enumerated().dropFirst() {
                    if !compatible(t, u) || !(u.isNumeric || u == .date || u == .error) {
                        error("\(name.text)() needs values of one type: \(typeName(t)) and \(typeName(u))", args[i].range,
                              hint: t == .money || u == .money ? "write money with a dollar sign, like $0" : nil)
                    }
                    t = unify(t, u)
                }
                return (.builtin(builtin, codes), t)
            case .round, .floor, .ceil:
                guard args.count == 1 || args.count == 2 else { error("\(name.text)() takes a value and an optional step", range); return (.constant(.unknown), .error) }
                if !types[0].isNumeric && types[0] != .error { error("\(name.text)() needs a number or money, but this is \(typeName(types[0]))", args[0].range) }
                if args.count == 2, !compatible(types[1], types[0]) { error("the step of \(name.text)() must be \(typeName(types[0])), like \(types[0] == .money ? "$1" : "1")", args[1].range) }
                // Money rounds to whole cents unless a step is given; values carry no unit at run time, so the step is added here.
                let step: [Checked] = args.count == 1 && types[0] == .money ? [.constant(.number(Exact(numerator: 1, denominator: 100)!))] : []
                return (.builtin(builtin, codes + step), types[0])
            case .yearsBetween, .monthsBetween, .daysBetween:
                guard args.count == 2 else { error("\(name.text)() takes two dates", range); return (.constant(.unknown), .error) }
                for (i, t) in types.enumerated() where t != .date && t != .error { error("\(name.text)() needs dates, but this is \(typeName(t))", args[i].range) }
                return (.builtin(builtin, codes), .integer)
            }
        }
        if case .parameter(let i)? = symbols[name.text] {
            used.insert(.parameter(i))
            let p = rules.parameters[i]
            guard args.count == 1 else {
                if p.key == .scalar { error("parameter '\(name.text)' is a single value; use it without parentheses", range) }
                else { error("parameter '\(name.text)' takes one key, found \(args.count)", range) }
                return (.constant(.unknown), .error)
            }
            let keyType: ValueType
            switch p.key {
            case .scalar:
                error("parameter '\(name.text)' is a single value; use it without parentheses", range)
                return (.constant(.unknown), .error)
            case .householdSize: keyType = .integer
            case .text: keyType = .text
            case .enumeration(let e): keyType = .enumeration(e)
            }
            let (kc, kt) = check(args[0], ctx, expected: keyType)
            if !compatible(kt, keyType) { error("parameter '\(name.text)' is keyed by \(typeName(keyType)), but this key is \(typeName(kt))", args[0].range) }
            return (.table(i, key: kc), p.type)
        }
        let candidates = Builtin.allCases.map(\.rawValue) + ProgramQuery.allCases.map(\.rawValue) + rules.parameters.filter { $0.key != .scalar }.map(\.name)
        error(unknownMessage("function", name.text, candidates), name.range,
              hint: "functions are max, min, round, floor, ceil, years_between, months_between, days_between, eligible, needs_info, enrolled, unclaimed, benefit, or a table parameter")
        for a in args { _ = check(a, ctx) }
        return (.constant(.unknown), .error)
    }
}
