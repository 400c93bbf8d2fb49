/// The evaluator pass: runs compiled rules over one family's facts with three-valued logic.
///
/// One evaluator serves one screening: it memoizes derived values and program outcomes, so each is
/// computed at most once. With `tracing` on it records every unknown fact it reads, which is how the
/// screener learns which facts could change an undecided result.
public final class Evaluator {
    public let rules: RuleSet
    /// The family being evaluated; `reset(facts:)` moves the evaluator on to the next one.
    public private(set) var facts: Facts
    public private(set) var date: Day?
    let tracing: Bool
    public private(set) var unknownReads: Set<FactRef> = []

    // The hot state lives in manually managed memory (freed in deinit): reading and writing it costs
    // no reference counting, which otherwise dominates evaluation time.
    let nodes: UnsafePointer<Node>
    let lists: UnsafePointer<Int32>
    let conditions: UnsafePointer<Code>
    let requirementOffsets: UnsafePointer<Int32>
    let householdLetCode: UnsafePointer<Code>
    let memberLetCode: UnsafePointer<Code>
    let householdDefaults: UnsafePointer<FactDefault?>
    let memberDefaults: UnsafePointer<FactDefault?>
    /// Which version of each parameter is in force on the screening date, shared by families of that date.
    private(set) var versions: DatedParameters?
    private let memberFactCount: Int
    private let memberLetCount: Int
    private var state: FamilyState
    private var member = -1
    private var currentProgram = -1
    private var suppressTrace = 0
    /// Parameters read that have no value in force on the screening date: whatever used them is unknown.
    public private(set) var parametersWithoutValue: Set<Int> = []
    private var householdLetReads: [Int: Set<FactRef>] = [:]
    private var programReads: [Int: Set<FactRef>] = [:]
    private var memberLetReads: [Int: Set<FactRef>] = [:]

    public init(rules: RuleSet, facts: Facts, tracing: Bool = false) {
        self.rules = rules
        self.facts = facts
        self.tracing = tracing
        nodes = UnsafePointer(rules.nodes.baseAddress!)
        lists = UnsafePointer(rules.lists.baseAddress!)
        conditions = UnsafePointer(rules.requirementConditions.baseAddress!)
        requirementOffsets = UnsafePointer(rules.requirementOffsetTable.baseAddress!)
        householdLetCode = UnsafePointer(rules.householdLetCode.baseAddress!)
        memberLetCode = UnsafePointer(rules.memberLetCode.baseAddress!)
        householdDefaults = UnsafePointer(rules.householdDefaultTable.baseAddress!)
        memberDefaults = UnsafePointer(rules.memberDefaultTable.baseAddress!)
        if case .date(let d) = facts.household[rules.screeningDateSlot] { date = d } else { date = nil }
        versions = date.map(rules.parameterVersions(on:))
        memberFactCount = facts.memberFactCount
        memberLetCount = rules.memberLets.count
        state = FamilyState(rules: rules, facts: facts, reusing: nil)
    }

    /// Starts over with another family of the same rules, reusing this evaluator's memory: a batch worker keeps one
    /// evaluator instead of allocating one per family. Everything remembered about the previous family is forgotten.
    public func reset(facts: Facts) {
        self.facts = facts
        let previousDate = date
        if case .date(let d) = facts.household[rules.screeningDateSlot] { date = d } else { date = nil }
        if date != previousDate { versions = date.map(rules.parameterVersions(on:)) }
        state = FamilyState(rules: rules, facts: facts, reusing: state)
        member = -1
        currentProgram = -1
        suppressTrace = 0
        unknownReads = []
        if !parametersWithoutValue.isEmpty { parametersWithoutValue = [] }
        if tracing { householdLetReads = [:]; programReads = [:]; memberLetReads = [:] }
    }

    deinit {
        state.storage.deallocate()
    }

    /// One family's evaluation state, in one block of memory. Each memo has a byte flag per slot (0: not yet computed);
    /// the flags lie together so that one `memset` starts a family, and the values beside them are read only once
    /// their flag is set.
    private struct FamilyState {
        let storage: UnsafeMutableRawPointer
        let capacity: Int
        let household: UnsafeMutablePointer<Value>
        let memberValues: UnsafeMutablePointer<Value>
        let memberCount: Int
        let householdMemoDone: UnsafeMutablePointer<UInt8>
        let householdMemo: UnsafeMutablePointer<Value>
        /// Facts the profile left out, once filled in from their fallback or "does not apply" value.
        let householdFilledDone: UnsafeMutablePointer<UInt8>
        let householdFilled: UnsafeMutablePointer<Value>
        let memberFilledDone: UnsafeMutablePointer<UInt8>
        let memberFilled: UnsafeMutablePointer<Value>
        let memberMemoDone: UnsafeMutablePointer<UInt8>
        let memberMemo: UnsafeMutablePointer<Value>
        let outcomeDone: UnsafeMutablePointer<UInt8>
        let outcomes: UnsafeMutablePointer<ProgramOutcome>
        let inProgress: UnsafeMutablePointer<UInt8>
        /// Table lookups remembered per parameter: how many were stored (see `tableLookup`), and its `tableWays` slots.
        let tableStored: UnsafeMutablePointer<UInt8>
        let tableCache: UnsafeMutablePointer<(key: Value, value: Value)>
        /// Requirement results of all programs, flat: 0 unknown, 1 not met, 2 met.
        let results: UnsafeMutablePointer<UInt8>
        /// The family's own texts as rule text references, normalized for table keys (`TextKey`); computed on first use.
        let familyTextKeyDone: UnsafeMutablePointer<UInt8>
        let familyTextKeys: UnsafeMutablePointer<Int32>

        /// Lays out the state for `facts` in the previous state's memory when it is large enough (freeing it otherwise).
        init(rules: RuleSet, facts: Facts, reusing previous: FamilyState?) {
            let householdLets = rules.householdLets.count, householdFacts = facts.household.count
            let memberSlots = facts.members.count, memberLets = rules.memberLets.count * facts.memberCount
            let programs = rules.programs.count, parameters = rules.parameters.count, texts = facts.texts.count
            var layout = Layout()
            let householdMemoDoneAt = layout.reserve(UInt8.self, householdLets)
            let householdFilledDoneAt = layout.reserve(UInt8.self, householdFacts)
            let memberFilledDoneAt = layout.reserve(UInt8.self, memberSlots)
            let memberMemoDoneAt = layout.reserve(UInt8.self, memberLets)
            let outcomeDoneAt = layout.reserve(UInt8.self, programs)
            let inProgressAt = layout.reserve(UInt8.self, programs)
            let tableStoredAt = layout.reserve(UInt8.self, parameters)
            let resultsAt = layout.reserve(UInt8.self, rules.requirementCount)
            let familyTextKeyDoneAt = layout.reserve(UInt8.self, texts)
            let flagBytes = layout.size
            let householdMemoAt = layout.reserve(Value.self, householdLets)
            let householdFilledAt = layout.reserve(Value.self, householdFacts)
            let memberFilledAt = layout.reserve(Value.self, memberSlots)
            let memberMemoAt = layout.reserve(Value.self, memberLets)
            let outcomesAt = layout.reserve(ProgramOutcome.self, programs)
            let tableCacheAt = layout.reserve((key: Value, value: Value).self, parameters * Evaluator.tableWays)
            let familyTextKeysAt = layout.reserve(Int32.self, texts)
            let householdAt = layout.reserve(Value.self, householdFacts)
            let memberValuesAt = layout.reserve(Value.self, memberSlots)
            let block: UnsafeMutableRawPointer
            if let previous, previous.capacity >= layout.size {
                block = previous.storage
                capacity = previous.capacity
            } else {
                previous?.storage.deallocate()
                // Room for a larger household than this one, so a caseload settles on one block quickly.
                capacity = max(1, layout.size + layout.size / 2)
                block = .allocate(byteCount: capacity, alignment: layout.alignment)
            }
            storage = block
            block.initializeMemory(as: UInt8.self, repeating: 0, count: flagBytes)
            func region<T>(_ offset: Int, _: T.Type) -> UnsafeMutablePointer<T> { (block + offset).assumingMemoryBound(to: T.self) }
            householdMemoDone = region(householdMemoDoneAt, UInt8.self)
            householdFilledDone = region(householdFilledDoneAt, UInt8.self)
            memberFilledDone = region(memberFilledDoneAt, UInt8.self)
            memberMemoDone = region(memberMemoDoneAt, UInt8.self)
            outcomeDone = region(outcomeDoneAt, UInt8.self)
            inProgress = region(inProgressAt, UInt8.self)
            tableStored = region(tableStoredAt, UInt8.self)
            results = region(resultsAt, UInt8.self)
            familyTextKeyDone = region(familyTextKeyDoneAt, UInt8.self)
            // Plain data only: the memory is bound to each type and written before it is read.
            householdMemo = (block + householdMemoAt).bindMemory(to: Value.self, capacity: householdLets)
            householdFilled = (block + householdFilledAt).bindMemory(to: Value.self, capacity: householdFacts)
            memberFilled = (block + memberFilledAt).bindMemory(to: Value.self, capacity: memberSlots)
            memberMemo = (block + memberMemoAt).bindMemory(to: Value.self, capacity: memberLets)
            outcomes = (block + outcomesAt).bindMemory(to: ProgramOutcome.self, capacity: programs)
            tableCache = (block + tableCacheAt).bindMemory(to: (key: Value, value: Value).self, capacity: parameters * Evaluator.tableWays)
            familyTextKeys = (block + familyTextKeysAt).bindMemory(to: Int32.self, capacity: texts)
            let householdBase = (block + householdAt).bindMemory(to: Value.self, capacity: householdFacts)
            if householdFacts > 0 { facts.household.withUnsafeBufferPointer { householdBase.update(from: $0.baseAddress!, count: householdFacts) } }
            household = householdBase
            let memberBase = (block + memberValuesAt).bindMemory(to: Value.self, capacity: memberSlots)
            if memberSlots > 0 { facts.members.withUnsafeBufferPointer { memberBase.update(from: $0.baseAddress!, count: memberSlots) } }
            memberValues = memberBase
            memberCount = facts.memberCount
        }
    }

    /// Offsets of typed regions within one block of memory.
    private struct Layout {
        var size = 0
        var alignment = 1
        mutating func reserve<T>(_: T.Type, _ count: Int) -> Int {
            let align = MemoryLayout<T>.alignment
            size = (size + align - 1) / align * align
            alignment = max(alignment, align)
            defer { size += MemoryLayout<T>.stride * count }
            return size
        }
    }

    // MARK: - Programs

    /// Requirement r of program p: met (true), not met (false) or unknown (nil). Evaluates the program if needed.
    @inline(__always)
    public func requirementResult(_ p: Int, _ r: Int) -> Bool? {
        _ = outcome(p)
        switch state.results[Int(requirementOffsets[p]) + r] {
        case 2: return true
        case 1: return false
        default: return nil
        }
    }

    /// A program's result for this family, computed once.
    @inline(__always)
    public func outcome(_ p: Int) -> ProgramOutcome {
        if state.outcomeDone[p] != 0 && !tracing { return state.outcomes[p] }
        return evaluateProgram(p)
    }

    /// Evaluates program p (or, when tracing, reports the facts behind its memoized result).
    @inline(never)
    func evaluateProgram(_ p: Int) -> ProgramOutcome {
        if state.outcomeDone[p] != 0 {
            if tracing, let reads = programReads[p] { unknownReads.formUnion(reads) }
            return state.outcomes[p]
        }
        if state.inProgress[p] != 0 {
            // Unreachable for checked rules (cycles are load errors); unknown keeps evaluation total.
            return ProgramOutcome(applies: nil, status: .needsInfo, enrolled: nil, benefit: nil)
        }
        state.inProgress[p] = 1
        defer { state.inProgress[p] = 0 }
        let program = rules.programCode[p]
        let savedMember = member
        member = -1
        defer { member = savedMember }
        let applies = program.applies.map { eval($0).truth } ?? true
        if applies == false {
            let o = ProgramOutcome(applies: false, status: .ineligible, enrolled: nil, benefit: nil)
            state.outcomes[p] = o
            state.outcomeDone[p] = 1
            return o
        }
        let offset = Int(requirementOffsets[p])
        var anyFalse = false, anyUnknown = false
        if tracing {
            // A program used by another (eligible(...)) contributes the facts behind its undecided requirements.
            let outer = unknownReads
            var undecidedReads: Set<FactRef> = []
            for k in 0..<Int(program.requirements) {
                unknownReads = []
                let t = eval(conditions[offset + k]).truth
                state.results[offset + k] = t == true ? 2 : t == false ? 1 : 0
                if t == false { anyFalse = true } else if t == nil { anyUnknown = true; undecidedReads.formUnion(unknownReads) }
            }
            programReads[p] = anyFalse ? [] : undecidedReads
            unknownReads = outer.union(programReads[p]!)
        } else {
            for k in 0..<Int(program.requirements) {
                let t = eval(conditions[offset + k]).truth
                state.results[offset + k] = t == true ? 2 : t == false ? 1 : 0
                if t == false { anyFalse = true } else if t == nil { anyUnknown = true }
            }
        }
        let status: ProgramStatus = anyFalse ? .ineligible : (anyUnknown || applies == nil) ? .needsInfo : .eligible
        let enrolled = program.enrolledWhen.map { eval($0).truth } ?? false
        var benefit: Exact?
        if status == .eligible, let b = program.benefit { benefit = eval(b).number }
        let o = ProgramOutcome(applies: applies, status: status, enrolled: enrolled, benefit: benefit)
        state.outcomes[p] = o
        state.outcomeDone[p] = 1
        return o
    }

    /// Whether the family is involved with child welfare (the rules' `involved_with_child_welfare`).
    public var involved: Bool? { householdLet(rules.involvedSlot).truth }

    /// Eligible, not enrolled, and involved with child welfare: three-valued.
    public func unclaimed(_ p: Int) -> Bool? {
        outcome(p).unclaimed { involved }
    }

    func query(_ q: ProgramQuery, _ p: Int) -> Value {
        Evaluator.answer(q, outcome(p)) { unclaimed(p) }
    }

    /// The answer to a question about a program with this outcome (`unclaimed` is asked only for that question).
    @inline(__always)
    static func answer(_ q: ProgramQuery, _ o: ProgramOutcome, unclaimed: () -> Bool?) -> Value {
        switch q {
        case .eligible:
            if o.applies == false { return .bool(false) }
            return o.status == .eligible ? .bool(true) : o.status == .ineligible ? .bool(false) : .unknown
        case .needsInfo: return .bool(o.applies != false && o.status == .needsInfo)
        case .enrolled: return o.enrolled.map(Value.bool) ?? .unknown
        case .unclaimed: return unclaimed().map(Value.bool) ?? .unknown
        case .benefit: return o.benefit.map(Value.number) ?? .unknown
        }
    }

    /// Runs `body` with `program` naming program p (referrals for programs of a kind).
    public func with<T>(program p: Int, _ body: () -> T) -> T {
        let saved = currentProgram
        currentProgram = p
        defer { currentProgram = saved }
        return body()
    }

    // MARK: - Values

    func householdLet(_ i: Int) -> Value {
        if state.householdMemoDone[i] != 0 {
            if tracing, let reads = householdLetReads[i] { unknownReads.formUnion(reads) }
            return state.householdMemo[i]
        }
        let saved = member
        member = -1
        let v = tracked({ eval(householdLetCode[i]) }, store: { householdLetReads[i] = $0 })
        member = saved
        state.householdMemo[i] = v
        state.householdMemoDone[i] = 1
        return v
    }

    func memberLet(_ i: Int) -> Value {
        let key = member * memberLetCount + i
        if state.memberMemoDone[key] != 0 {
            if tracing, let reads = memberLetReads[key] { unknownReads.formUnion(reads) }
            return state.memberMemo[key]
        }
        let v = tracked({ eval(memberLetCode[i]) }, store: { memberLetReads[key] = $0 })
        state.memberMemo[key] = v
        state.memberMemoDone[key] = 1
        return v
    }

    /// Evaluates a memoized value; when tracing, remembers the unknown facts it read so a later use reports them too.
    @inline(__always)
    func tracked(_ body: () -> Value, store: (Set<FactRef>) -> Void) -> Value {
        guard tracing else { return body() }
        let outer = unknownReads
        unknownReads = []
        let v = body()
        store(unknownReads)
        unknownReads.formUnion(outer)
        return v
    }

    /// The unknown facts an undecided condition read (on a tracing evaluator), optionally about a program of a referral.
    public func unknownFacts(of code: Code, program: Int? = nil) -> Set<FactRef> {
        let saved = unknownReads
        unknownReads = []
        if let program { _ = with(program: program) { evaluate(code) } } else { _ = evaluate(code) }
        let found = unknownReads
        unknownReads = saved
        return found
    }

    /// The unknown facts that could change program p's undecided requirements (and whether it applies).
    /// Meaningful on a tracing evaluator.
    public func missingFacts(program p: Int) -> Set<FactRef> {
        let o = outcome(p)
        let program = rules.programs[p]
        var missing: Set<FactRef> = []
        let saved = unknownReads
        if o.applies == nil, let applies = program.applies {
            unknownReads = []
            _ = evaluate(applies)
            missing.formUnion(unknownReads)
        }
        for (k, r) in program.requirements.enumerated() where requirementResult(p, k) == nil {
            unknownReads = []
            _ = evaluate(r.condition)
            missing.formUnion(unknownReads)
        }
        unknownReads = saved
        return missing
    }

    /// The version of parameter i in force on the screening date; nil (and remembered for the report) when none is.
    func parameterVersion(_ i: Int) -> CompiledParameter.Version? {
        if let versions, let version = versions.version(i) { return version }
        parametersWithoutValue.insert(i)
        return nil
    }

    /// A table lookup, remembered per parameter: a family looks up the same size or state again and again.
    func tableLookup(_ i: Int, _ key: Value) -> Value {
        // A few keys per parameter (state.household size, assistance-unit size, ...), replaced in turn once all are used.
        let base = i * Evaluator.tableWays
        // `stored` counts lookups stored this family, wrapping from 2 * tableWays back to tableWays: the first
        // min(stored, tableWays) slots are filled, and the next is overwritten at stored % tableWays.
        let ways = Evaluator.tableWays
        let stored = Int(state.tableStored[i])
        for w in 0..<min(stored, ways) where state.tableCache[base + w].key == key { return state.tableCache[base + w].value }
        let v = lookUp(i, key)
        state.tableCache[base + stored % ways] = (key, v)
        state.tableStored[i] = UInt8(stored + 1 == 2 * ways ? ways : stored + 1)
        return v
    }

    static let tableWays = 4

    func lookUp(_ i: Int, _ key: Value) -> Value {
        guard let version = parameterVersion(i) else { return .unknown }
        return Evaluator.lookUp(rules, i, version, key) { familyTextKey($0) }
    }

    /// Parameter i's value for a key in one version; `familyTextKey` gives a family text's normalized reference.
    static func lookUp(_ rules: RuleSet, _ i: Int, _ version: CompiledParameter.Version, _ key: Value, familyTextKey: (Int32) -> Int32) -> Value {
        switch (rules.parameters[i].key, key) {
        case (.householdSize, .number(let n)):
            guard n.isInteger, n.numerator >= 1, !version.values.isEmpty else { return .unknown }
            let size = Int(n.numerator)
            if size <= version.values.count { return version.values[size - 1] }
            guard let step = version.eachAdditional, case .number(let last) = version.values[version.values.count - 1] else { return version.values[version.values.count - 1] }
            let extra = Exact(Int64(size - version.values.count))
            guard let add = step.multiplied(by: extra), let total = last.adding(add) else { return .unknown }
            return .number(total)
        case (.text, .text(let s)):
            // A family's text equal to a rule constant already has a reference; others are normalized here.
            let key = s >= 0 ? rules.normalizedText[Int(s)] : familyTextKey(s)
            return version.byText[key] ?? version.otherwise ?? .unknown
        case (.enumeration, .enumeration(let e)):
            return (e < version.byEnum.count ? version.byEnum[e] : nil) ?? version.otherwise ?? .unknown
        default:
            return .unknown
        }
    }

    /// A family text's normalized form as a rule text reference (-1 when no rule has it), computed once per family.
    func familyTextKey(_ ref: Int32) -> Int32 {
        let k = Int(-ref - 1)
        if state.familyTextKeyDone[k] == 0 {
            state.familyTextKeys[k] = rules.textIndex[TextKey.normalize(facts.texts[k])] ?? -1
            state.familyTextKeyDone[k] = 1
        }
        return state.familyTextKeys[k]
    }

    @inline(__always)
    func readHousehold(_ i: Int) -> Value {
        let v = state.household[i]
        if tracing, suppressTrace == 0, !v.isKnown { unknownReads.insert(.household(i)) }
        return v
    }

    @inline(__always)
    func readMember(_ i: Int) -> Value {
        guard member >= 0 else { return .unknown }
        let v = state.memberValues[member * memberFactCount + i]
        if tracing, suppressTrace == 0, !v.isKnown { unknownReads.insert(.member(member, i)) }
        return v
    }

    /// Evaluates code in the state.household context.
    public func evaluate(_ code: Code) -> Value {
        let saved = member
        member = -1
        defer { member = saved }
        return eval(code)
    }

    /// A child's value: constants and plain fact reads, the most common children, without a call.
    @inline(__always)
    func operand(_ code: Code) -> Value {
        // The leaves and memo hits that make up most children are read here, saving a call each.
        guard !tracing else { return eval(code) }
        switch nodes[Int(code.index)] {
        case .constant(let v): return v
        case .householdFact(let i): return state.household[Int(i)]
        case .householdLet(let i):
            if state.householdMemoDone[Int(i)] != 0 { return state.householdMemo[Int(i)] }  // already computed for this family
            return eval(code)
        case .memberFactOr(let i) where member >= 0:
            let slot = member * memberFactCount + Int(i)
            let v = state.memberValues[slot]
            if v.isKnown { return v }
            if state.memberFilledDone[slot] != 0 { return state.memberFilled[slot] }
            return eval(code)
        case .memberFact(let i) where member >= 0: return state.memberValues[member * memberFactCount + Int(i)]
        case .memberLet(let i) where member >= 0:
            let key = member * memberLetCount + Int(i)
            if state.memberMemoDone[key] != 0 { return state.memberMemo[key] }
            return eval(code)
        case .householdFactOr(let i):
            let v = state.household[Int(i)]
            if v.isKnown { return v }
            if state.householdFilledDone[Int(i)] != 0 { return state.householdFilled[Int(i)] }
            return eval(code)
        case .parameter(let i):
            if let versions, let v = versions.scalar(Int(i)) { return v }
            return eval(code)
        default: return eval(code)
        }
    }

    func eval(_ code: Code) -> Value {
        switch nodes[Int(code.index)] {  // a plain pointer read: no reference counting
        case .constant(let v): return v
        case .householdFact(let i): return readHousehold(Int(i))
        case .memberFact(let i): return readMember(Int(i))
        case .householdFactOr(let i):
            let v = state.household[Int(i)]
            if v.isKnown { return v }
            if !tracing, state.householdFilledDone[Int(i)] != 0 { return state.householdFilled[Int(i)] }
            let f = fill(householdDefaults[Int(i)]!) { self.readHousehold(Int(i)) }
            if !tracing { state.householdFilled[Int(i)] = f; state.householdFilledDone[Int(i)] = 1 }
            return f
        case .memberFactOr(let i):
            guard member >= 0 else { return .unknown }
            let slot = member * memberFactCount + Int(i)
            let v = state.memberValues[slot]
            if v.isKnown { return v }
            // Filled in once per person: the ask condition or fallback is read many times otherwise.
            if !tracing, state.memberFilledDone[slot] != 0 { return state.memberFilled[slot] }
            let f = fill(memberDefaults[Int(i)]!) { self.readMember(Int(i)) }
            if !tracing { state.memberFilled[slot] = f; state.memberFilledDone[slot] = 1 }
            return f
        case .householdLet(let i): return householdLet(Int(i))
        case .memberLet(let i): return member >= 0 ? memberLet(Int(i)) : .unknown
        case .parameter(let i):
            if let versions, let v = versions.scalar(Int(i)) { return v }
            parametersWithoutValue.insert(Int(i))
            return .unknown
        case .table(let i, let key): return tableLookup(Int(i), operand(key))
        case .not(let a):
            guard let t = condition(a) else { return .unknown }
            return .bool(!t)
        case .negate(let a):
            guard case .number(let n) = eval(a) else { return .unknown }
            return .number(n.negated())
        case .arithmetic(let op, let a, let b):
            let x = operand(a)
            let y = operand(b)
            return Arithmetic.apply(op, x, y) ?? .unknown
        case .compare(let op, let a, let b):
            let x = operand(a), y = operand(b)
            return compare(op, x, y).map(Value.bool) ?? .unknown
        case .and(let terms): return connective(terms, deciding: false)
        case .or(let terms): return connective(terms, deciding: true)
        case .sum(let terms):
            // Every term is evaluated, as the nested additions would: tracing learns each unknown one.
            var total: Exact? = .zero
            for k in 0..<Int(terms.count) {
                let v = operand(Code(index: lists[Int(terms.start) + k]))
                if case .number(let x) = v { total = total?.adding(x) } else { total = nil }
            }
            return total.map(Value.number) ?? .unknown
        case .inMask(let a, let mask, let negated):
            guard case .enumeration(let i) = operand(a) else { return .unknown }
            let found = mask & (1 << UInt64(i)) != 0
            return .bool(found != negated)
        case .inValues(let a, let items, let negated):
            let x = operand(a)
            guard x.isKnown else { return .unknown }
            var sawUnknown = false
            for k in 0..<Int(items.count) {
                let v = eval(Code(index: lists[Int(items.start) + k]))
                if !v.isKnown { sawUnknown = true; continue }
                if compare(.equal, x, v) == true { return .bool(!negated) }
            }
            return sawUnknown ? .unknown : .bool(negated)
        case .inSet(let a, let s, let negated):
            guard case .enumeration(let i) = operand(a), case .set(let bits) = operand(s) else { return .unknown }
            return .bool((bits & (1 << UInt64(i)) != 0) != negated)
        case .conditional(let c, let a, let b):
            switch condition(c) {
            case true?: return operand(a)
            case false?: return operand(b)
            case nil:
                let x = operand(a), y = operand(b)
                return x == y ? x : .unknown
            }
        case .known(let a): return .bool(operand(a).isKnown)
        case .otherwise(let a, let b):
            let x = operand(a)
            return x.isKnown ? x : operand(b)
        case .aggregate(let agg, let body, let filter): return aggregate(agg, body, filter)
        case .builtin(let b, let args): return builtin(b, args)
        case .program(let q, let programs):
            if programs.count == 1 { return query(q, Int(lists[Int(programs.start)])) }
            return anyOf(q, programs)
        case .currentProgram(let q):
            return currentProgram >= 0 ? query(q, currentProgram) : .unknown
        case .currentProgramName:
            return currentProgram >= 0 ? .text(rules.programNames[currentProgram]) : .unknown
        case .shiftDate(let d, let n, let unit, let negated):
            return Evaluator.shift(eval(d), by: eval(n), unit, negated: negated)
        }
    }

    /// A date moved by a whole number of days, months or years (back when `negated`).
    static func shift(_ d: Value, by n: Value, _ unit: DurationUnit, negated: Bool) -> Value {
        guard case .date(let day) = d, case .number(let amount) = n, amount.isInteger else { return .unknown }
        let count = Int(negated ? -amount.numerator : amount.numerator)
        switch unit {
        case .days: return day.adding(days: count).map(Value.date) ?? .unknown
        case .months: return day.adding(months: count).map(Value.date) ?? .unknown
        case .years:
            let (months, overflow) = count.multipliedReportingOverflow(by: 12)
            return overflow ? .unknown : day.adding(months: months).map(Value.date) ?? .unknown
        }
    }

    /// A member's fact as rules see it: the profile's value, or its fallback or "does not apply" value.
    public func memberFact(_ f: Int, member m: Int) -> Value {
        let saved = member
        member = m
        defer { member = saved }
        let v = facts[member: m, fact: f]
        if v.isKnown { return v }
        guard let d = rules.memberDefaults[f] else { return v }
        return fill(d) { self.readMember(f) }
    }

    /// The text a text value refers to: a rules constant or one of the family's own.
    public func string(_ ref: Int32) -> String {
        rules.text(ref, familyTexts: facts.texts)
    }

    /// Three-valued comparison; text is compared by content, whichever table it lives in.
    @inline(__always)
    func compare(_ op: BinaryOperator, _ x: Value, _ y: Value) -> Bool? {
        Evaluator.compare(op, x, y) { string($0) }
    }

    /// Three-valued comparison, with the texts a text value may refer to.
    @inline(__always)
    static func compare(_ op: BinaryOperator, _ x: Value, _ y: Value, string: (Int32) -> String) -> Bool? {
        if case .number(let a) = x, case .number(let b) = y { return Arithmetic.order(op, a, b) }
        if case .text(let a) = x, case .text(let b) = y {
            // Rule constants are stored once each, and a family's text equal to one is read as its reference
            // (`Facts.text`): two different references differ unless both are the family's own texts.
            let equal = a == b || a < 0 && b < 0 && string(a) == string(b)
            return op == .equal ? equal : op == .notEqual ? !equal : nil
        }
        return Arithmetic.compare(op, x, y)
    }

    /// A fact the profile left out: its fallback if that is known, "does not apply" if its ask condition is false, else unknown.
    @inline(__always)
    func fill(_ d: FactDefault, read: () -> Value) -> Value {
        if let fb = d.fallback {
            // The fallback's own facts are not reported as missing: asking for the fact itself is the better question.
            suppressTrace += 1
            let f = eval(fb)
            suppressTrace -= 1
            if f.isKnown { return f }
        }
        if let ask = d.askWhen, eval(ask).truth == false { return d.notApplicable }
        return read()
    }

    /// `and` (deciding value false) and `or` (deciding value true) over a chain of operands, left to right:
    /// the first operand with the deciding value decides.
    func connective(_ terms: CodeList, deciding: Bool) -> Value {
        if tracing { return tracedConnective(terms, deciding: deciding) }
        var sawUnknown = false
        for k in 0..<Int(terms.count) {
            let t = condition(Code(index: lists[Int(terms.start) + k]))
            if t == deciding { return .bool(deciding) }
            if t == nil { sawUnknown = true }
        }
        return sawUnknown ? .unknown : .bool(!deciding)
    }

    /// A condition's truth; comparisons, the most common conditions, are evaluated here without a call.
    @inline(__always)
    func condition(_ code: Code) -> Bool? {
        if tracing { return eval(code).truth }
        if case .compare(let op, let a, let b) = nodes[Int(code.index)] { return compare(op, operand(a), operand(b)) }
        return operand(code).truth
    }

    /// When an operand after the first decides, unknown facts read by the operands before it could not have changed
    /// the result, so tracing forgets them (as it would for `(a and b) and c` taken two at a time).
    func tracedConnective(_ terms: CodeList, deciding: Bool) -> Value {
        let before = unknownReads
        var sawUnknown = false
        for k in 0..<Int(terms.count) {
            let afterPrevious = unknownReads
            let t = eval(Code(index: lists[Int(terms.start) + k])).truth
            if t == deciding {
                if k > 0 { unknownReads = before.union(unknownReads.subtracting(afterPrevious)) }
                return .bool(deciding)
            }
            if t == nil { sawUnknown = true }
        }
        return sawUnknown ? .unknown : .bool(!deciding)
    }

    /// A question about a kind: true if any applicable program of the kind answers true, unknown if any is undecided.
    func anyOf(_ q: ProgramQuery, _ programs: CodeList) -> Value {
        Evaluator.answerAny(q, count: Int(programs.count), program: { Int(lists[Int(programs.start) + $0]) },
                            applies: { outcome($0).applies }, answer: { query(q, $0) })
    }

    /// `anyOf` over programs `program(0) ..< program(count)`, each asked whether it applies before it is answered.
    @inline(__always)
    static func answerAny(_ q: ProgramQuery, count: Int, program: (Int) -> Int, applies: (Int) -> Bool?, answer: (Int) -> Value) -> Value {
        var sawUnknown = false
        for k in 0..<count {
            let p = program(k)
            if applies(p) == false { continue }
            let v = answer(p)
            if q == .benefit { if v.isKnown { return v } else { continue } }
            if v.truth == true { return .bool(true) }
            if !v.isKnown { sawUnknown = true }
        }
        if q == .benefit { return .unknown }
        return sawUnknown ? .unknown : .bool(false)
    }

    func aggregate(_ agg: Aggregate, _ body: Code?, _ filter: Code?) -> Value {
        let saved = member
        defer { member = saved }
        let n = state.memberCount
        switch agg {
        case .count:
            var count: Int64 = 0
            var unknown = false
            for m in 0..<n {
                member = m
                guard let f = filter else { count += 1; continue }
                switch condition(f) {
                case true?: count += 1
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? .unknown : .number(Exact(count))
        case .any, .all:
            // any: true if some included member satisfies; all: false if some included member fails.
            let isAny = agg == .any
            var before: Set<FactRef>?
            if tracing { before = unknownReads }
            var unknown = false
            for m in 0..<n {
                member = m
                let f: Bool? = filter.map { condition($0) } ?? true
                if f == false { continue }
                let b: Bool? = body.map { condition($0) } ?? true
                let t = isAny ? Truth.and(f, b) : Truth.or(f.map { !$0 }, b)
                if t == isAny {
                    // Decided by this member: other members' unknown facts could not change it.
                    if let before { unknownReads = before }
                    return .bool(isAny)
                }
                if t == nil { unknown = true }
            }
            return unknown ? .unknown : .bool(!isAny)
        case .sum:
            guard let body else { return .unknown }
            // Amounts are added as numbers, without wrapping each partial sum in a value.
            var total = Exact.zero
            var unknown = false
            for m in 0..<n {
                member = m
                let f: Bool? = filter.map { eval($0).truth } ?? true
                if f == false { continue }
                let v = operand(body)
                guard f == true, case .number(let x) = v else { unknown = true; continue }
                if unknown { continue }
                guard let t = total.adding(x) else { unknown = true; continue }
                total = t
            }
            return unknown ? .unknown : .number(total)
        case .min, .max:
            guard let body else { return .unknown }
            var best: Value?
            var unknown = false
            for m in 0..<n {
                member = m
                let f: Bool? = filter.map { eval($0).truth } ?? true
                if f == false { continue }
                let v = operand(body)
                if f == nil || !v.isKnown { unknown = true; continue }
                if unknown { continue }
                let better = Arithmetic.compare(agg == .min ? .less : .greater, v, best ?? v) == true
                if best == nil || better { best = v }
            }
            return unknown ? .unknown : (best ?? .unknown)
        }
    }

    func builtin(_ b: Builtin, _ list: CodeList) -> Value {
        // Arguments are read from the list in place: no array per call.
        Evaluator.builtin(b, count: Int(list.count)) { operand(Code(index: lists[Int(list.start) + $0])) }
    }

    /// A built-in function of arguments `arg(0) ..< arg(count)`, each asked for when needed.
    @inline(__always)
    static func builtin(_ b: Builtin, count: Int, arg: (Int) -> Value) -> Value {
        switch b {
        case .max, .min:
            var best: Value?
            var unknown = false
            for k in 0..<count {
                let v = arg(k)
                if !v.isKnown { unknown = true; continue }
                if let current = best {
                    if Arithmetic.compare(b == .max ? .greater : .less, v, current) == true { best = v }
                } else { best = v }
            }
            return unknown ? .unknown : (best ?? .unknown)
        case .round, .floor, .ceil:
            guard case .number(let x) = arg(0) else { return .unknown }
            var step = Exact.one
            if count == 2 {
                guard case .number(let s) = arg(1) else { return .unknown }
                step = s
            }
            let rule: FloatingPointRoundingRule = b == .floor ? .down : b == .ceil ? .up : .toNearestOrAwayFromZero
            return x.rounded(rule, step: step).map(Value.number) ?? .unknown
        case .yearsBetween, .monthsBetween, .daysBetween:
            guard case .date(let a) = arg(0), case .date(let c) = arg(1) else { return .unknown }
            let n: Int
            switch b {
            case .yearsBetween: n = a.years(to: c)
            case .monthsBetween: n = a.months(to: c)
            default: n = Int(c.ordinal - a.ordinal)
            }
            return .number(Exact(Int64(n)))
        }
    }
}

/// The status of a program for one family.
public enum ProgramStatus: String, Sendable, Hashable {
    case eligible, ineligible
    case needsInfo = "needs_info"
}

/// What evaluating a program gave, before any text is rendered.
public struct ProgramOutcome: Sendable, Hashable {
    /// False: the program does not apply to this family (another state); nil: unknown.
    public let applies: Bool?
    public let status: ProgramStatus
    public let enrolled: Bool?
    public let benefit: Exact?

    /// Eligible, not enrolled, and involved with child welfare: three-valued. Involvement is asked only for a program
    /// that applies (a tracing evaluator would otherwise report its facts as missing for programs of other states).
    @inline(__always)
    func unclaimed(involved: () -> Bool?) -> Bool? {
        guard applies != false else { return false }
        let eligible: Bool? = status == .eligible ? true : status == .ineligible ? false : nil
        return Truth.and(Truth.and(eligible, enrolled.map { !$0 }), involved())
    }
}

/// Three-valued logic (Kleene): unknown and false is false; unknown or true is true.
public enum Truth {
    @inline(__always)
    public static func and(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == false || b == false { return false }
        if a == true && b == true { return true }
        return nil
    }
    @inline(__always)
    public static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == true || b == true { return true }
        if a == false && b == false { return false }
        return nil
    }
    public static func not(_ a: Bool?) -> Bool? { a.map { !$0 } }
}

/// How county and state names are matched in parameter tables: without regard to case, spacing or a trailing "County".
enum TextKey {
    static func normalize(_ s: String) -> String {
        var s = s
        // Names are nearly always ASCII, which is normalized byte by byte, with no words made (families' county
        // names are normalized once a family in batches); anything else takes Unicode lower-casing.
        if let ascii = s.withUTF8({ asciiNormalized($0) }) { return ascii }
        return wordsNormalized(s)
    }

    /// `normalize` by words, for any text.
    static func wordsNormalized(_ s: String) -> String {
        var words = s.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count > 1, words.last == "county" { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// `normalize` for ASCII text; nil for any other.
    private static func asciiNormalized(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var n = 0, words = 0, lastWordStart = 0, inWord = false
            for b in bytes {
                if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { inWord = false; continue }
                if !inWord {
                    if words > 0 { out[n] = UInt8(ascii: " "); n += 1 }
                    inWord = true; words += 1; lastWordStart = n
                }
                out[n] = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
                n += 1
            }
            if words > 1 && out[lastWordStart..<n].elementsEqual("county".utf8) { n = lastWordStart - 1 }
            return n
        }
    }
}
