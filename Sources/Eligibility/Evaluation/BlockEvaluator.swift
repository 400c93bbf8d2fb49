/// The evaluator pass over a block of families at once, for brief batch results: each node runs over every family of
/// the block that needs it, in one loop, instead of once per family.
///
/// A tree walk pays for reaching a node (loading it, a mispredicted jump on its kind, a call) once per family; here it is
/// paid once per block, and the loop over the block's families does only the node's own work. The values are the tree
/// walk's exactly: the same code, the same three-valued logic, the same memoization per family. Evaluation narrows the
/// families it carries as `and`, `or`, conditionals and fact defaults decide, so a family evaluates the nodes its own
/// tree walk would. Where the tree walk stops early across operands that are pure (a `max` of known members, a list
/// after a match) this may compute a value the family does not need, which changes no result. No tracing: results with
/// explanations take `Evaluator`.
public final class BlockEvaluator {
    /// Families per block: enough to spread a node's cost thin, few enough that the block's memos stay in cache.
    public static let capacity = 256

    public let rules: RuleSet
    private let nodes: UnsafePointer<Node>
    private let lists: UnsafePointer<Int32>
    private let householdDefaults: UnsafePointer<FactDefault?>
    private let memberDefaults: UnsafePointer<FactDefault?>
    private let householdLetCode: UnsafePointer<Code>
    private let memberLetCode: UnsafePointer<Code>
    private let householdFactCount, memberFactCount, householdLetCount, memberLetCount, programCount: Int
    /// The rules' `involved_with_child_welfare`, asked of every family for every program's unclaimed benefit.
    private let involvedSlot: Int

    /// Families in the block now.
    private(set) var count = 0
    private var rowCount = 0

    // Per family, slot-major: household fact i of family f is at `i * capacity + f`, and so on.
    private let household: UnsafeMutablePointer<Value>
    private let householdFilledDone: UnsafeMutablePointer<UInt8>
    private let householdFilled: UnsafeMutablePointer<Value>
    private let householdLetDone: UnsafeMutablePointer<UInt8>
    private let householdLetMemo: UnsafeMutablePointer<Value>
    private let outcomeDone: UnsafeMutablePointer<UInt8>
    private let outcomes: UnsafeMutablePointer<ProgramOutcome>
    /// Requirement r (among all of the rules) of family f at `r * capacity + f`: 0 unknown, 1 not met, 2 met.
    private let results: UnsafeMutablePointer<UInt8>
    private let familyMark: UnsafeMutablePointer<UInt32>
    /// Where each family's members lie among the rows: family f's are `firstRow[f] ..< firstRow[f + 1]`.
    private let firstRow: UnsafeMutablePointer<Int32>
    /// The parameter versions of one screening date when the whole block has it (nearly always), else nil.
    private var sharedVersions: DatedParameters?
    /// The parameter versions of the block's screening dates, and which of them is each family's.
    private var versionsSeen: [DatedParameters?] = []
    private var familyVersion: [Int32] = []
    /// The last family's date while loading, and its versions' index in `versionsSeen` (-1: none yet).
    private var loadedDate: Day?
    private var loadedVersions: Int32 = -1
    private var familyTexts: [[String]] = []
    /// Each family text's normalized form as a rules text reference (-2: not yet worked out), family after family:
    /// family f's texts start at `textKeyStart[f]`.
    private var textKeys: [Int32] = []
    private var textKeyStart: [Int] = []

    // Per member row, fact-major: member fact i of row r is at `i * rowCapacity + r`, so that a node reads one column.
    private var rowCapacity = 0
    private var rowFamily: UnsafeMutablePointer<Int32>
    /// The facts as given; a fact with a default has it filled in, in place, for every row of the block once any row
    /// needs it (filling is pure, few facts are missing, and compiled code reads such a fact only with its default).
    private var memberValues: UnsafeMutablePointer<Value>
    private let memberFilledReady: UnsafeMutablePointer<Bool>
    private var memberLetDone: UnsafeMutablePointer<UInt8>
    private var memberLetMemo: UnsafeMutablePointer<Value>
    private var mark: UInt32 = 0

    private var currentProgram = -1
    private var inProgress: [Bool]
    private var scratch = Scratch()

    // What brief results read besides program outcomes and involvement, per family.
    /// Referrals made, family by family: family f's are `referralsMade[f]` (program -1: about no program).
    private var referralsMade: [[(referral: Int32, program: Int32, priority: ReferralPriority)]]
    private var tiers: [Int?]

    public init(rules: RuleSet) {
        self.rules = rules
        nodes = UnsafePointer(rules.nodes.baseAddress!)
        lists = UnsafePointer(rules.lists.baseAddress!)
        householdDefaults = UnsafePointer(rules.householdDefaultTable.baseAddress!)
        memberDefaults = UnsafePointer(rules.memberDefaultTable.baseAddress!)
        householdLetCode = UnsafePointer(rules.householdLetCode.baseAddress!)
        memberLetCode = UnsafePointer(rules.memberLetCode.baseAddress!)
        householdFactCount = rules.householdFacts.count
        memberFactCount = rules.memberFacts.count
        householdLetCount = rules.householdLets.count
        memberLetCount = rules.memberLets.count
        programCount = rules.programs.count
        involvedSlot = rules.involvedSlot
        let c = BlockEvaluator.capacity
        household = .allocate(capacity: max(1, householdFactCount * c))
        householdFilledDone = .allocate(capacity: max(1, householdFactCount * c))
        householdFilled = .allocate(capacity: max(1, householdFactCount * c))
        householdLetDone = .allocate(capacity: max(1, householdLetCount * c))
        householdLetMemo = .allocate(capacity: max(1, householdLetCount * c))
        outcomeDone = .allocate(capacity: max(1, programCount * c))
        outcomes = .allocate(capacity: max(1, programCount * c))
        results = .allocate(capacity: max(1, rules.requirementCount * c))
        familyMark = .allocate(capacity: c)
        familyMark.initialize(repeating: 0, count: c)
        firstRow = .allocate(capacity: c + 1)
        rowFamily = .allocate(capacity: 1)
        memberValues = .allocate(capacity: 1)
        memberFilledReady = .allocate(capacity: max(1, memberFactCount))
        memberLetDone = .allocate(capacity: 1)
        memberLetMemo = .allocate(capacity: 1)
        inProgress = Array(repeating: false, count: programCount)
        referralsMade = Array(repeating: [], count: c)
        tiers = Array(repeating: nil, count: c)
    }

    deinit {
        for p in [household, householdFilled, householdLetMemo, memberValues, memberLetMemo] as [UnsafeMutablePointer<Value>] { p.deallocate() }
        for p in [householdFilledDone, householdLetDone, outcomeDone, results, memberLetDone] { p.deallocate() }
        memberFilledReady.deallocate()
        outcomes.deallocate()
        familyMark.deallocate()
        firstRow.deallocate()
        rowFamily.deallocate()
        scratch.free()
    }

    // MARK: - A block

    /// Evaluates everything brief results say about up to `capacity` families: program outcomes and requirement
    /// results, whether the family is involved with child welfare, referrals made and the prevention tier.
    public func evaluate(_ families: ArraySlice<Facts>) {
        families.withUnsafeBufferPointer { buffer in load(buffer.count) { buffer.baseAddress! + $0 } }
        run()
    }

    /// `evaluate` for the facts of profiles, read where they lie: copying a family's facts out of its profile
    /// would count a reference to each of its arrays.
    func evaluate(_ profiles: ArraySlice<Profile>) {
        let offset = MemoryLayout<Profile>.offset(of: \Profile.facts)!
        profiles.withUnsafeBufferPointer { buffer in
            load(buffer.count) { UnsafeRawPointer(buffer.baseAddress! + $0).advanced(by: offset).assumingMemoryBound(to: Facts.self) }
        }
        run()
    }

    /// Loads `n` families, family f's facts at `facts(f)`.
    @inline(__always)
    private func load(_ n: Int, _ facts: (Int) -> UnsafePointer<Facts>) {
        startLoading(n) { facts($0).pointee.memberCount }
        for f in 0..<n { load(f, facts(f)) }
        finishLoading()
    }

    /// Lets go of the families' texts, which the block holds until the next block otherwise.
    func forgetTexts() { familyTexts.removeAll(keepingCapacity: true) }

    private func run() {
        let all = scratch.take(count, Int32.self)
        for f in 0..<count { all[f] = Int32(f) }
        for p in 0..<programCount { ensureOutcomes(p, all, count) }
        // Involvement for every family at once: brief results ask it of each family in turn.
        householdLet(involvedSlot, all, count, rows: false, into: scratch.take(count, Value.self))
        decideReferrals(all)
        decideTiers(all)
        scratch.reset()
    }

    /// Makes room for `n` families with the given numbers of members, and forgets the last block.
    @inline(__always)
    private func startLoading(_ n: Int, memberCount: (Int) -> Int) {
        precondition(n <= BlockEvaluator.capacity)
        count = n
        let c = BlockEvaluator.capacity
        var rows = 0
        for f in 0..<n {
            firstRow[f] = Int32(rows)
            rows += memberCount(f)
        }
        firstRow[count] = Int32(rows)
        rowCount = rows
        if rows > rowCapacity { growRows(to: rows) }
        householdFilledDone.update(repeating: 0, count: householdFactCount * c)
        householdLetDone.update(repeating: 0, count: householdLetCount * c)
        outcomeDone.update(repeating: 0, count: programCount * c)
        memberFilledReady.update(repeating: false, count: memberFactCount)
        for i in 0..<memberLetCount { (memberLetDone + i * rowCapacity).update(repeating: 0, count: rows) }
        versionsSeen.removeAll(keepingCapacity: true)
        familyVersion.removeAll(keepingCapacity: true)
        loadedVersions = -1
        familyTexts.removeAll(keepingCapacity: true)
        textKeys.removeAll(keepingCapacity: true)
        textKeyStart.removeAll(keepingCapacity: true)
    }

    /// Copies family f's facts into the block's columns.
    @inline(__always)
    private func load(_ f: Int, _ facts: UnsafePointer<Facts>) {
        let c = BlockEvaluator.capacity
        facts.pointee.household.withUnsafeBufferPointer { h in
            for i in 0..<householdFactCount { household[i * c + f] = h[i] }
        }
        let start = Int(firstRow[f]), members = facts.pointee.memberCount
        for m in 0..<members { rowFamily[start + m] = Int32(f) }
        if members > 0 && memberFactCount > 0 {
            facts.pointee.members.withUnsafeBufferPointer { given in
                for i in 0..<memberFactCount {
                    let column = memberValues + i * rowCapacity + start
                    for m in 0..<members { column[m] = given[m * memberFactCount + i] }
                }
            }
        }
        // A caseload is mostly screened for one date: its versions are looked up when the date changes, not per family.
        let date: Day? = if case .date(let d) = household[rules.screeningDateSlot * c + f] { d } else { nil }
        if loadedVersions < 0 || date != loadedDate {
            loadedDate = date
            let versions = date.map { rules.parameterVersions(on: $0) }
            // The rule set keeps one versions object per date: a new object is a new date.
            loadedVersions = Int32(versionsSeen.firstIndex { $0 === versions } ?? versionsSeen.count)
            if Int(loadedVersions) == versionsSeen.count { versionsSeen.append(versions) }
        }
        familyVersion.append(loadedVersions)
        familyTexts.append(facts.pointee.texts)
        textKeyStart.append(textKeys.count)
        textKeys.append(contentsOf: repeatElement(-2, count: facts.pointee.texts.count))
        referralsMade[f].removeAll(keepingCapacity: true)
        tiers[f] = nil
    }

    private func finishLoading() {
        sharedVersions = versionsSeen.count == 1 ? versionsSeen[0] : nil
    }

    private func growRows(to rows: Int) {
        rowFamily.deallocate(); memberValues.deallocate()
        memberLetDone.deallocate(); memberLetMemo.deallocate()
        rowCapacity = max(rows, rowCapacity * 2, 8 * BlockEvaluator.capacity)
        rowFamily = .allocate(capacity: rowCapacity)
        memberValues = .allocate(capacity: max(1, rowCapacity * memberFactCount))
        memberLetDone = .allocate(capacity: max(1, rowCapacity * memberLetCount))
        memberLetMemo = .allocate(capacity: max(1, rowCapacity * memberLetCount))
        mark = 0
        familyMark.update(repeating: 0, count: BlockEvaluator.capacity)
    }

    // MARK: - What brief results read

    /// Program p's result for family f.
    @inline(__always)
    func outcome(_ p: Int, family f: Int) -> ProgramOutcome { outcomes[p * BlockEvaluator.capacity + f] }

    /// Requirement k of program p for family f: met (true), not met (false) or unknown (nil).
    @inline(__always)
    func requirementResult(_ p: Int, _ k: Int, family f: Int) -> Bool? {
        switch results[(Int(rules.requirementOffsetTable[p]) + k) * BlockEvaluator.capacity + f] {
        case 2: return true
        case 1: return false
        default: return nil
        }
    }

    /// Eligible, not enrolled, and involved with child welfare: three-valued, as `Evaluator.unclaimed`.
    @inline(__always)
    func unclaimed(_ p: Int, family f: Int) -> Bool? {
        outcome(p, family: f).unclaimed { involved(family: f) }
    }

    /// Whether family f is involved with child welfare (the rules' `involved_with_child_welfare`).
    @inline(__always)
    func involved(family f: Int) -> Bool? {
        let slot = involvedSlot * BlockEvaluator.capacity + f
        if householdLetDone[slot] == 0 { askInvolved(family: f) }
        return householdLetMemo[slot].truth
    }

    @inline(never)
    private func askInvolved(family f: Int) {
        // Asked by the rules (`unclaimed(...)`) before `evaluate` worked it out for every family.
        let mark = scratch.mark
        defer { scratch.release(to: mark) }
        let one = scratch.take(1, Int32.self)
        one[0] = Int32(f)
        householdLet(involvedSlot, one, 1, rows: false, into: scratch.take(1, Value.self))
    }

    /// Family f of the block, as brief results and `Screener.decide` read it.
    struct Family: EvaluatedFamily {
        let block: BlockEvaluator
        let index: Int
        func outcome(_ p: Int) -> ProgramOutcome { block.outcome(p, family: index) }
        func requirementResult(_ p: Int, _ k: Int) -> Bool? { block.requirementResult(p, k, family: index) }
        func unclaimed(_ p: Int) -> Bool? { block.unclaimed(p, family: index) }
        func householdFact(_ slot: Int) -> Value { block.household[slot * BlockEvaluator.capacity + index] }
        func eachReferral(_ made: (Int, Int?, ReferralPriority) -> Void) {
            for r in block.referralsMade[index] { made(Int(r.referral), r.program < 0 ? nil : Int(r.program), r.priority) }
        }
        var tier: Int? { block.tiers[index] }
        var involved: Bool? { block.involved(family: index) }
    }

    // MARK: - Programs, referrals, tiers

    /// Works out program p for the families of `sel` that have no outcome for it yet.
    private func ensureOutcomes(_ p: Int, _ sel: UnsafePointer<Int32>, _ n: Int) {
        let c = BlockEvaluator.capacity
        let mark = scratch.mark
        defer { scratch.release(to: mark) }
        let todo = scratch.take(n, Int32.self)
        var m = 0
        let stamp = nextMark()
        for k in 0..<n {
            let f = Int(sel[k])
            if outcomeDone[p * c + f] == 0 && familyMark[f] != stamp { familyMark[f] = stamp; todo[m] = Int32(f); m += 1 }
        }
        guard m > 0 else { return }
        if inProgress[p] {
            // Unreachable for checked rules (cycles are load errors); unknown keeps evaluation total, as the tree walk's.
            for j in 0..<m { outcomes[p * c + Int(todo[j])] = ProgramOutcome(applies: nil, status: .needsInfo, enrolled: nil, benefit: nil) }
            return
        }
        inProgress[p] = true
        defer { inProgress[p] = false }
        let program = rules.programCode[p]
        let values = scratch.take(m, Value.self)
        let applies = scratch.take(m, UInt8.self)  // 0 false, 1 true, 2 unknown
        if let a = program.applies {
            eval(a, todo, m, rows: false, into: values)
            for j in 0..<m { applies[j] = truthCode(values[j]) }
        } else {
            applies.update(repeating: 1, count: m)
        }
        // Families the program applies to (or may) go on; the others are done.
        // `applies` is compacted with them: `applies[j]` is then live family j's.
        let live = scratch.take(m, Int32.self)
        var l = 0
        for j in 0..<m {
            let f = Int(todo[j])
            if applies[j] == 0 {
                outcomes[p * c + f] = ProgramOutcome(applies: false, status: .ineligible, enrolled: nil, benefit: nil)
                outcomeDone[p * c + f] = 1
            } else {
                live[l] = todo[j]; applies[l] = applies[j]; l += 1
            }
        }
        guard l > 0 else { return }
        let anyFalse = scratch.take(l, Bool.self), anyUnknown = scratch.take(l, Bool.self)
        anyFalse.update(repeating: false, count: l)
        anyUnknown.update(repeating: false, count: l)
        let offset = Int(rules.requirementOffsetTable[p])
        for k in 0..<Int(program.requirements) {
            eval(rules.requirementConditions[offset + k], live, l, rows: false, into: values)
            for j in 0..<l {
                let t = values[j].truth
                results[(offset + k) * c + Int(live[j])] = t == true ? 2 : t == false ? 1 : 0
                if t == false { anyFalse[j] = true } else if t == nil { anyUnknown[j] = true }
            }
        }
        let statuses = scratch.take(l, ProgramStatus.self)
        for j in 0..<l {
            statuses[j] = anyFalse[j] ? .ineligible : (anyUnknown[j] || applies[j] == 2) ? .needsInfo : .eligible
        }
        let enrolled = scratch.take(l, Value.self)
        if let e = program.enrolledWhen { eval(e, live, l, rows: false, into: enrolled) } else { enrolled.update(repeating: .bool(false), count: l) }
        let benefits = scratch.take(l, Value.self)
        benefits.update(repeating: .unknown, count: l)
        if let b = program.benefit {
            let eligible = scratch.take(l, Int32.self), eligibleAt = scratch.take(l, Int32.self)
            var e = 0
            for j in 0..<l where statuses[j] == .eligible { eligible[e] = live[j]; eligibleAt[e] = Int32(j); e += 1 }
            if e > 0 {
                let got = scratch.take(e, Value.self)
                eval(b, eligible, e, rows: false, into: got)
                for i in 0..<e { benefits[Int(eligibleAt[i])] = got[i] }
            }
        }
        for j in 0..<l {
            let f = Int(live[j])
            outcomes[p * c + f] = ProgramOutcome(applies: applies[j] == 1 ? true : nil, status: statuses[j], enrolled: enrolled[j].truth,
                                                 benefit: statuses[j] == .eligible ? benefits[j].number : nil)
            outcomeDone[p * c + f] = 1
        }
    }

    /// Referrals in declaration order (and program order within one), each at its first priority level that holds:
    /// `Screener.eachReferral` for the whole block.
    private func decideReferrals(_ all: UnsafePointer<Int32>) {
        let c = BlockEvaluator.capacity
        for i in 0..<rules.referralCode.count {
            let r = rules.referralCode[i]
            if r.targets.count == 0 {
                decideReferral(i, r, program: -1, all, count)
            } else {
                for k in 0..<Int(r.targets.count) {
                    let p = Int(rules.referralTargets[Int(r.targets.start) + k])
                    let mark = scratch.mark
                    let sel = scratch.take(count, Int32.self)
                    var n = 0
                    for f in 0..<count where outcomes[p * c + f].applies != false { sel[n] = Int32(f); n += 1 }
                    if n > 0 {
                        currentProgram = p
                        decideReferral(i, r, program: p, sel, n)
                        currentProgram = -1
                    }
                    scratch.release(to: mark)
                }
            }
        }
    }

    private func decideReferral(_ i: Int, _ r: ReferralCode, program: Int, _ sel: UnsafePointer<Int32>, _ n: Int) {
        let mark = scratch.mark
        defer { scratch.release(to: mark) }
        let values = scratch.take(n, Value.self)
        eval(r.when, sel, n, rows: false, into: values)
        let made = scratch.take(n, Int32.self)
        var m = 0
        for k in 0..<n where values[k].truth == true { made[m] = sel[k]; m += 1 }
        guard m > 0 else { return }
        let priorities = scratch.take(m, ReferralPriority.self)
        priorities.initialize(repeating: .routine, count: m)
        // Families whose priority is not decided yet, and where they are in `made`.
        let open = scratch.take(m, Int32.self), openAt = scratch.take(m, Int32.self)
        for j in 0..<m { open[j] = made[j]; openAt[j] = Int32(j) }
        var o = m
        for l in 0..<Int(r.priorities.count) where o > 0 {
            let level = rules.referralPriorities[Int(r.priorities.start) + l]
            guard let when = level.when else {
                for j in 0..<o { priorities[Int(openAt[j])] = level.level }
                o = 0
                break
            }
            eval(when, open, o, rows: false, into: values)
            var w = 0
            for j in 0..<o {
                if values[j].truth == true { priorities[Int(openAt[j])] = level.level } else { open[w] = open[j]; openAt[w] = openAt[j]; w += 1 }
            }
            o = w
        }
        for j in 0..<m { referralsMade[Int(made[j])].append((Int32(i), Int32(program), priorities[j])) }
    }

    /// The first tier with a condition that holds: `Screener.tierIndex` for the whole block.
    private func decideTiers(_ all: UnsafePointer<Int32>) {
        let open = scratch.take(count, Int32.self)
        open.update(from: all, count: count)
        var o = count
        let values = scratch.take(count, Value.self)
        for t in 0..<rules.tierConditionRanges.count {
            let range = rules.tierConditionRanges[t]
            for k in 0..<Int(range.count) where o > 0 {
                guard let condition = rules.tierConditions[Int(range.start) + k] else {
                    for j in 0..<o { tiers[Int(open[j])] = t }
                    o = 0
                    break
                }
                eval(condition, open, o, rows: false, into: values)
                var w = 0
                for j in 0..<o {
                    if values[j].truth == true { tiers[Int(open[j])] = t } else { open[w] = open[j]; w += 1 }
                }
                o = w
            }
        }
    }

    // MARK: - Nodes

    /// 0 false, 1 true, 2 unknown.
    @inline(__always)
    private func truthCode(_ v: Value) -> UInt8 {
        if case .bool(let b) = v { return b ? 1 : 0 }
        return 2
    }

    private func nextMark() -> UInt32 {
        mark &+= 1
        if mark == 0 {
            familyMark.update(repeating: 0, count: BlockEvaluator.capacity)
            mark = 1
        }
        return mark
    }

    /// The family of each element of a selection: the selection itself for families, each row's family for rows.
    @inline(__always)
    private func families(_ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool) -> UnsafePointer<Int32> {
        guard rows else { return sel }
        let out = scratch.take(n, Int32.self)
        for k in 0..<n { out[k] = rowFamily[Int(sel[k])] }
        return UnsafePointer(out)
    }

    /// Evaluates `code` for each element of `sel` (families, or member rows when `rows`), writing `out[k]` for `sel[k]`.
    func eval(_ code: Code, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let c = BlockEvaluator.capacity
        let mark = scratch.mark
        defer { scratch.release(to: mark) }
        switch nodes[Int(code.index)] {
        case .constant(let v):
            out.update(repeating: v, count: n)
        case .householdFact(let i):
            let fams = families(sel, n, rows: rows)
            let column = household + Int(i) * c
            for k in 0..<n { out[k] = column[Int(fams[k])] }
        case .memberFact(let i):
            guard rows else { out.update(repeating: .unknown, count: n); return }
            let column = memberValues + Int(i) * rowCapacity
            for k in 0..<n { out[k] = column[Int(sel[k])] }
        case .householdFactOr(let i):
            householdFactOr(Int(i), sel, n, rows: rows, into: out)
        case .memberFactOr(let i):
            guard rows else { out.update(repeating: .unknown, count: n); return }
            memberFactOr(Int(i), sel, n, into: out)
        case .householdLet(let i):
            householdLet(Int(i), sel, n, rows: rows, into: out)
        case .memberLet(let i):
            guard rows else { out.update(repeating: .unknown, count: n); return }
            memberLet(Int(i), sel, n, into: out)
        case .parameter(let i):
            if let shared = sharedVersions {
                out.update(repeating: shared.scalar(Int(i)) ?? .unknown, count: n)
            } else {
                let fams = families(sel, n, rows: rows)
                for k in 0..<n { out[k] = versionsSeen[Int(familyVersion[Int(fams[k])])]?.scalar(Int(i)) ?? .unknown }
            }
        case .table(let i, let key):
            eval(key, sel, n, rows: rows, into: out)
            let fams = families(sel, n, rows: rows)
            if let shared = sharedVersions {
                // One date for the block: its row is fetched once, not retained again for every family.
                guard let version = shared.version(Int(i)) else { out.update(repeating: .unknown, count: n); break }
                for k in 0..<n { out[k] = lookUp(Int(i), out[k], version, family: Int(fams[k])) }
            } else {
                for k in 0..<n {
                    let f = Int(fams[k])
                    out[k] = versionsSeen[Int(familyVersion[f])]?.version(Int(i)).map { lookUp(Int(i), out[k], $0, family: f) } ?? .unknown
                }
            }
        case .not(let a):
            eval(a, sel, n, rows: rows, into: out)
            for k in 0..<n { out[k] = out[k].truth.map { .bool(!$0) } ?? .unknown }
        case .negate(let a):
            eval(a, sel, n, rows: rows, into: out)
            for k in 0..<n { if case .number(let x) = out[k] { out[k] = .number(x.negated()) } else { out[k] = .unknown } }
        case .arithmetic(let op, let a, let b):
            eval(a, sel, n, rows: rows, into: out)
            if case .constant(let v) = nodes[Int(b.index)] {
                // `x / 12`, `x * 1.3`: the right-hand side is read once, not copied for every element.
                arithmetic(op, n, into: out) { _ in v }
            } else {
                let y = scratch.take(n, Value.self)
                eval(b, sel, n, rows: rows, into: y)
                arithmetic(op, n, into: out) { y[$0] }
            }
        case .compare(let op, let a, let b):
            if case .constant(let v) = nodes[Int(b.index)], !v.isNumber {
                // A text or an enumeration value written in the rules (`state = "AL"`, `relationship = child`): not
                // copied for every element, and equality is one comparison of integers (a rule's text is stored
                // once, and a family's text equal to it is read as it: see `Evaluator.compare`).
                eval(a, sel, n, rows: rows, into: out)
                let equality = op == .equal || op == .notEqual, equal = op == .equal
                switch v {
                case .enumeration(let e) where equality:
                    for k in 0..<n { if case .enumeration(let x) = out[k] { out[k] = .bool((x == e) == equal) } else { out[k] = .unknown } }
                case .text(let t) where equality && t >= 0:
                    for k in 0..<n { if case .text(let x) = out[k] { out[k] = .bool((x == t) == equal) } else { out[k] = .unknown } }
                default:
                    for k in 0..<n { out[k] = compare(op, out[k], v, element: sel[k], rows: rows).map(Value.bool) ?? .unknown }
                }
                return
            }
            if case .constant(.number(let limit)) = nodes[Int(b.index)] {
                // A fact or amount against a number written in the rules (an age limit, a count): most comparisons.
                // A fact is compared where it is kept, without copying its column first.
                switch nodes[Int(a.index)] {
                case .householdFact(let i):
                    let fams = families(sel, n, rows: rows), column = household + Int(i) * c
                    compare(op, limit, n, into: out) { column[Int(fams[$0])] }
                case .memberFact(let i) where rows:
                    let column = memberValues + Int(i) * rowCapacity
                    compare(op, limit, n, into: out) { column[Int(sel[$0])] }
                case .memberFactOr(let i) where rows:
                    if !memberFilledReady[Int(i)] { fillMemberColumn(Int(i)) }
                    let column = memberValues + Int(i) * rowCapacity
                    compare(op, limit, n, into: out) { column[Int(sel[$0])] }
                default:
                    eval(a, sel, n, rows: rows, into: out)
                    compare(op, limit, n, into: out) { out[$0] }
                }
                return
            }
            let y = scratch.take(n, Value.self)
            eval(a, sel, n, rows: rows, into: out)
            eval(b, sel, n, rows: rows, into: y)
            compare(op, out, y, n, sel, rows: rows)
        case .and(let terms): connective(terms, deciding: false, sel, n, rows: rows, into: out)
        case .or(let terms): connective(terms, deciding: true, sel, n, rows: rows, into: out)
        case .sum(let terms):
            let y = scratch.take(n, Value.self)
            out.update(repeating: .number(.zero), count: n)
            for t in 0..<Int(terms.count) {
                eval(Code(index: lists[Int(terms.start) + t]), sel, n, rows: rows, into: y)
                for k in 0..<n {
                    if case .number(let total) = out[k], case .number(let x) = y[k], let s = total.adding(x) { out[k] = .number(s) } else { out[k] = .unknown }
                }
            }
        case .inMask(let a, let mask, let negated):
            eval(a, sel, n, rows: rows, into: out)
            for k in 0..<n {
                if case .enumeration(let i) = out[k] { out[k] = .bool((mask & (1 << UInt64(i)) != 0) != negated) } else { out[k] = .unknown }
            }
        case .inValues(let a, let items, let negated):
            inValues(a, items, negated: negated, sel, n, rows: rows, into: out)
        case .inSet(let a, let s, let negated):
            let y = scratch.take(n, Value.self)
            eval(a, sel, n, rows: rows, into: out)
            eval(s, sel, n, rows: rows, into: y)
            for k in 0..<n {
                if case .enumeration(let i) = out[k], case .set(let bits) = y[k] { out[k] = .bool((bits & (1 << UInt64(i)) != 0) != negated) } else { out[k] = .unknown }
            }
        case .conditional(let cond, let a, let b):
            conditional(cond, a, b, sel, n, rows: rows, into: out)
        case .known(let a):
            eval(a, sel, n, rows: rows, into: out)
            for k in 0..<n { out[k] = .bool(out[k].isKnown) }
        case .otherwise(let a, let b):
            eval(a, sel, n, rows: rows, into: out)
            let missing = scratch.take(n, Int32.self), at = scratch.take(n, Int32.self)
            var m = 0
            for k in 0..<n where !out[k].isKnown { missing[m] = sel[k]; at[m] = Int32(k); m += 1 }
            if m > 0 {
                let y = scratch.take(m, Value.self)
                eval(b, missing, m, rows: rows, into: y)
                for j in 0..<m { out[Int(at[j])] = y[j] }
            }
        case .aggregate(let agg, let body, let filter):
            aggregate(agg, body, filter, sel, n, rows: rows, into: out)
        case .builtin(let b, let args):
            builtin(b, args, sel, n, rows: rows, into: out)
        case .program(let q, let programs):
            let fams = families(sel, n, rows: rows)
            for j in 0..<Int(programs.count) { ensureOutcomes(Int(lists[Int(programs.start) + j]), fams, n) }
            for k in 0..<n { out[k] = query(q, programs, family: Int(fams[k])) }
        case .currentProgram(let q):
            guard currentProgram >= 0 else { out.update(repeating: .unknown, count: n); return }
            let fams = families(sel, n, rows: rows)
            ensureOutcomes(currentProgram, fams, n)
            for k in 0..<n { out[k] = query(q, currentProgram, family: Int(fams[k])) }
        case .currentProgramName:
            out.update(repeating: currentProgram >= 0 ? .text(rules.programNames[currentProgram]) : .unknown, count: n)
        case .shiftDate(let d, let by, let unit, let negated):
            let y = scratch.take(n, Value.self)
            eval(d, sel, n, rows: rows, into: out)
            eval(by, sel, n, rows: rows, into: y)
            for k in 0..<n { out[k] = Evaluator.shift(out[k], by: y[k], unit, negated: negated) }
        }
    }

    // MARK: - Facts and memoized values

    private func householdFactOr(_ i: Int, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let c = BlockEvaluator.capacity
        let fams = families(sel, n, rows: rows)
        let column = household + i * c
        let stamp = nextMark()
        let todo = scratch.take(n, Int32.self)
        var m = 0
        for k in 0..<n {
            let f = Int(fams[k])
            if !column[f].isKnown && householdFilledDone[i * c + f] == 0 && familyMark[f] != stamp { familyMark[f] = stamp; todo[m] = Int32(f); m += 1 }
        }
        if m > 0 {
            let filled = scratch.take(m, Value.self)
            fill(householdDefaults[i]!, todo, m, rows: false, into: filled)
            for j in 0..<m { householdFilled[i * c + Int(todo[j])] = filled[j]; householdFilledDone[i * c + Int(todo[j])] = 1 }
        }
        for k in 0..<n {
            let f = Int(fams[k])
            out[k] = column[f].isKnown ? column[f] : householdFilled[i * c + f]
        }
    }

    private func memberFactOr(_ i: Int, _ sel: UnsafePointer<Int32>, _ n: Int, into out: UnsafeMutablePointer<Value>) {
        if !memberFilledReady[i] { fillMemberColumn(i) }
        let column = memberValues + i * rowCapacity
        for k in 0..<n { out[k] = column[Int(sel[k])] }
    }

    /// Fills in member fact i's default for every row of the block that is missing the fact.
    private func fillMemberColumn(_ i: Int) {
        let mark = scratch.mark
        defer { scratch.release(to: mark) }
        let column = memberValues + i * rowCapacity
        let missing = scratch.take(rowCount, Int32.self)
        var m = 0
        for r in 0..<rowCount where !column[r].isKnown { missing[m] = Int32(r); m += 1 }
        if m > 0 {
            let values = scratch.take(m, Value.self)
            fill(memberDefaults[i]!, missing, m, rows: true, into: values)
            for j in 0..<m { column[Int(missing[j])] = values[j] }
        }
        memberFilledReady[i] = true
    }

    /// A fact the profile left out: its fallback if that is known, "does not apply" if its ask condition is false,
    /// else unknown. `Evaluator.fill` for a selection (without tracing, the fact read is just unknown).
    private func fill(_ d: FactDefault, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let open = scratch.take(n, Int32.self), at = scratch.take(n, Int32.self)
        var o = 0
        if let fb = d.fallback {
            eval(fb, sel, n, rows: rows, into: out)
            for k in 0..<n where !out[k].isKnown { open[o] = sel[k]; at[o] = Int32(k); o += 1 }
        } else {
            for k in 0..<n { open[k] = sel[k]; at[k] = Int32(k) }
            o = n
        }
        guard o > 0 else { return }
        let asked = scratch.take(o, Value.self)
        if let ask = d.askWhen { eval(ask, open, o, rows: rows, into: asked) } else { asked.update(repeating: .unknown, count: o) }
        for j in 0..<o {
            out[Int(at[j])] = d.askWhen != nil && asked[j].truth == false ? d.notApplicable : .unknown
        }
    }

    private func householdLet(_ i: Int, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let c = BlockEvaluator.capacity
        let done = householdLetDone + i * c, memo = householdLetMemo + i * c
        if !rows {
            // A selection of families names each family once: the ones not yet done are evaluated and written back.
            let todo = scratch.take(n, Int32.self), at = scratch.take(n, Int32.self)
            var m = 0
            for k in 0..<n {
                let f = Int(sel[k])
                if done[f] != 0 { out[k] = memo[f] } else { todo[m] = sel[k]; at[m] = Int32(k); m += 1 }
            }
            guard m > 0 else { return }
            let values = scratch.take(m, Value.self)
            eval(householdLetCode[i], todo, m, rows: false, into: values)
            for j in 0..<m {
                let f = Int(todo[j])
                assert(done[f] == 0, "a family twice in a selection of families")
                memo[f] = values[j]; done[f] = 1; out[Int(at[j])] = values[j]
            }
            return
        }
        // Rows of one family share its value: one pass reads the values worked out already and lists each family
        // still to do once; a second fills in the rest.
        let stamp = nextMark()
        let todo = scratch.take(n, Int32.self), pending = scratch.take(n, Int32.self)
        var m = 0, p = 0
        for k in 0..<n {
            let f = rows ? Int(rowFamily[Int(sel[k])]) : Int(sel[k])
            if done[f] != 0 { out[k] = memo[f]; continue }
            pending[p] = Int32(k); p += 1
            if familyMark[f] != stamp { familyMark[f] = stamp; todo[m] = Int32(f); m += 1 }
        }
        guard m > 0 else { return }
        let values = scratch.take(m, Value.self)
        eval(householdLetCode[i], todo, m, rows: false, into: values)
        for j in 0..<m { memo[Int(todo[j])] = values[j]; done[Int(todo[j])] = 1 }
        for j in 0..<p {
            let k = Int(pending[j])
            out[k] = memo[rows ? Int(rowFamily[Int(sel[k])]) : Int(sel[k])]
        }
    }

    private func memberLet(_ i: Int, _ sel: UnsafePointer<Int32>, _ n: Int, into out: UnsafeMutablePointer<Value>) {
        let done = memberLetDone + i * rowCapacity, memo = memberLetMemo + i * rowCapacity
        // A selection of rows names each row once (no aggregate stands inside a member's expression, so none lists a
        // family's rows twice): the rows not yet done are evaluated and written back, with no marks.
        let todo = scratch.take(n, Int32.self), at = scratch.take(n, Int32.self)
        var m = 0
        for k in 0..<n {
            let r = Int(sel[k])
            if done[r] != 0 { out[k] = memo[r] } else { todo[m] = sel[k]; at[m] = Int32(k); m += 1 }
        }
        guard m > 0 else { return }
        let values = scratch.take(m, Value.self)
        eval(memberLetCode[i], todo, m, rows: true, into: values)
        for j in 0..<m {
            let r = Int(todo[j])
            assert(done[r] == 0, "a row twice in a selection of rows")
            memo[r] = values[j]; done[r] = 1; out[Int(at[j])] = values[j]
        }
    }

    // MARK: - Operators

    private func compare(_ op: BinaryOperator, _ x: UnsafeMutablePointer<Value>, _ y: UnsafePointer<Value>, _ n: Int, _ sel: UnsafePointer<Int32>, rows: Bool) {
        for k in 0..<n {
            // Numbers, most comparisons, without the texts' closure.
            if case .number(let a) = x[k], case .number(let b) = y[k] { x[k] = Arithmetic.order(op, a, b).map(Value.bool) ?? .unknown; continue }
            x[k] = compare(op, x[k], y[k], element: sel[k], rows: rows).map(Value.bool) ?? .unknown
        }
    }

    /// `compare` with a number for every right-hand side: one loop per operator, over numbers.
    /// `Arithmetic.apply` with the operator chosen once for all elements; `right(k)` is element k's right-hand side.
    @inline(__always)
    private func arithmetic(_ op: BinaryOperator, _ n: Int, into x: UnsafeMutablePointer<Value>, _ right: (Int) -> Value) {
        @inline(__always) func each(_ apply: (Exact, Exact) -> Exact?) {
            for k in 0..<n {
                if case .number(let a) = x[k], case .number(let b) = right(k), let r = apply(a, b) { x[k] = .number(r) } else { x[k] = .unknown }
            }
        }
        switch op {
        case .add: each { $0.adding($1) }
        case .subtract: each { $0.subtracting($1) }
        case .multiply: each { $0.multiplied(by: $1) }
        case .divide: each { $0.divided(by: $1) }
        default: x.update(repeating: .unknown, count: n)
        }
    }

    /// `value(k)` is element k's left-hand side.
    @inline(__always)
    private func compare(_ op: BinaryOperator, _ limit: Exact, _ n: Int, into x: UnsafeMutablePointer<Value>, _ value: (Int) -> Value) {
        @inline(__always) func each(_ holds: (Exact) -> Bool) {
            for k in 0..<n {
                // Anything but a number (unknown, or another type, as `Arithmetic.compare`) is unknown.
                if case .number(let a) = value(k) { x[k] = .bool(holds(a)) } else { x[k] = .unknown }
            }
        }
        switch op {
        case .equal: each { $0 == limit }
        case .notEqual: each { $0 != limit }
        case .less: each { $0 < limit }
        case .lessOrEqual: each { $0 <= limit }
        case .greater: each { $0 > limit }
        case .greaterOrEqual: each { $0 >= limit }
        default: x.update(repeating: .unknown, count: n)
        }
    }

    /// `Evaluator.compare` with the texts of the family of a selection's element (a family, or a member row's family).
    @inline(__always)
    private func compare(_ op: BinaryOperator, _ x: Value, _ y: Value, element: Int32, rows: Bool) -> Bool? {
        Evaluator.compare(op, x, y) { self.string($0, family: rows ? Int(self.rowFamily[Int(element)]) : Int(element)) }
    }

    private func string(_ ref: Int32, family f: Int) -> String {
        rules.text(ref, familyTexts: familyTexts[f])
    }

    /// `and` (deciding value false) and `or` (deciding value true): each operand is evaluated for the elements no
    /// earlier operand decided.
    private func connective(_ terms: CodeList, deciding: Bool, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        guard terms.count > 0 else { out.update(repeating: .bool(!deciding), count: n); return }
        // `out[k]` holds each element's value so far: the deciding value once an operand has it (and the element
        // is left out of later operands), else unknown if an operand was unknown, else the other value.
        eval(Code(index: lists[Int(terms.start)]), sel, n, rows: rows, into: out)
        let open = scratch.take(n, Int32.self), at = scratch.take(n, Int32.self)
        var o = 0
        for k in 0..<n {
            switch out[k].truth {
            case deciding?: continue
            case nil: out[k] = .unknown
            default: break
            }
            open[o] = sel[k]; at[o] = Int32(k); o += 1
        }
        let values = scratch.take(o, Value.self)
        for t in 1..<Int(terms.count) where o > 0 {
            eval(Code(index: lists[Int(terms.start) + t]), open, o, rows: rows, into: values)
            var w = 0
            for j in 0..<o {
                let v = values[j].truth
                let k = Int(at[j])
                if v == deciding { out[k] = .bool(deciding); continue }
                if v == nil { out[k] = .unknown }
                open[w] = open[j]; at[w] = at[j]; w += 1
            }
            o = w
        }
    }

    private func conditional(_ cond: Code, _ a: Code, _ b: Code, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let truths = scratch.take(n, Value.self)
        eval(cond, sel, n, rows: rows, into: truths)
        // Then-branch: true or unknown; else-branch: false or unknown (an unknown condition needs both to agree).
        let thenSel = scratch.take(n, Int32.self), thenAt = scratch.take(n, Int32.self)
        let elseSel = scratch.take(n, Int32.self), elseAt = scratch.take(n, Int32.self)
        var t = 0, e = 0
        for k in 0..<n {
            let v = truths[k].truth
            if v != false { thenSel[t] = sel[k]; thenAt[t] = Int32(k); t += 1 }
            if v != true { elseSel[e] = sel[k]; elseAt[e] = Int32(k); e += 1 }
        }
        let thenValues = scratch.take(t, Value.self), elseValues = scratch.take(e, Value.self)
        if t > 0 { eval(a, thenSel, t, rows: rows, into: thenValues) }
        if e > 0 { eval(b, elseSel, e, rows: rows, into: elseValues) }
        for j in 0..<t { out[Int(thenAt[j])] = thenValues[j] }
        for j in 0..<e {
            let k = Int(elseAt[j])
            if truths[k].truth == nil {
                out[k] = out[k] == elseValues[j] ? out[k] : .unknown
            } else {
                out[k] = elseValues[j]
            }
        }
    }

    private func inValues(_ a: Code, _ items: CodeList, negated: Bool, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let x = scratch.take(n, Value.self)
        eval(a, sel, n, rows: rows, into: x)
        let open = scratch.take(n, Int32.self), at = scratch.take(n, Int32.self)
        let sawUnknown = scratch.take(n, Bool.self)
        sawUnknown.update(repeating: false, count: n)
        var o = 0
        for k in 0..<n {
            if x[k].isKnown { open[o] = sel[k]; at[o] = Int32(k); o += 1 } else { out[k] = .unknown }
        }
        let v = scratch.take(n, Value.self)
        for item in 0..<Int(items.count) where o > 0 {
            eval(Code(index: lists[Int(items.start) + item]), open, o, rows: rows, into: v)
            var w = 0
            for j in 0..<o {
                let k = Int(at[j])
                if !v[j].isKnown { sawUnknown[k] = true } else {
                    if compare(.equal, x[k], v[j], element: open[j], rows: rows) == true { out[k] = .bool(!negated); continue }
                }
                open[w] = open[j]; at[w] = at[j]; w += 1
            }
            o = w
        }
        for j in 0..<o { let k = Int(at[j]); out[k] = sawUnknown[k] ? .unknown : .bool(negated) }
    }

    /// Aggregates over each element's family members: the members of all elements are evaluated together, then
    /// folded element by element with the rules of `Evaluator.aggregate`'s loops, one loop per kind of aggregate.
    private func aggregate(_ agg: Aggregate, _ body: Code?, _ filter: Code?, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        if body == nil && agg != .any && agg != .all && agg != .count { out.update(repeating: .unknown, count: n); return }
        let fams = families(sel, n, rows: rows)
        var total = 0
        for k in 0..<n { let f = Int(fams[k]); total += Int(firstRow[f + 1] - firstRow[f]) }
        // Every element's members, element after element: element k's are `ends[k - 1] ..< ends[k]`.
        // Households of up to eight are listed with one store of eight rows (the extra ones are overwritten or
        // left unused): a loop as long as each household would end in a mispredicted branch for every element.
        // `elementOf[j]` is the element member j belongs to.
        let members = scratch.take(total + 8, Int32.self), elementOf = scratch.take(total + 8, Int32.self)
        let ends = scratch.take(n, Int32.self)
        let eight = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        var t = 0
        for k in 0..<n {
            let f = Int(fams[k])
            let first = firstRow[f], size = Int(firstRow[f + 1] - first)
            if size <= 8 {
                UnsafeMutableRawPointer(members + t).storeBytes(of: SIMD8(repeating: first) &+ eight, as: SIMD8<Int32>.self)
                UnsafeMutableRawPointer(elementOf + t).storeBytes(of: SIMD8(repeating: Int32(k)), as: SIMD8<Int32>.self)
            } else {
                for j in 0..<size { members[t + j] = first + Int32(j); elementOf[t + j] = Int32(k) }
            }
            t += size
            ends[k] = Int32(t)
        }
        // Each member's filter as a truth code (0 false, 1 true, 2 unknown).
        let filters = scratch.take(total, UInt8.self)
        if let filter {
            let values = scratch.take(total, Value.self)
            eval(filter, members, total, rows: true, into: values)
            for j in 0..<total { filters[j] = truthCode(values[j]) }
        } else {
            filters.update(repeating: 1, count: total)
        }
        // Bodies of the members the filter does not rule out, as the tree walk asks for them, in member order:
        // the folds below take them in turn.
        let body = agg == .count ? nil : body
        let bodies = scratch.take(total, Value.self)
        if let body, filter == nil {
            if total > 0 { eval(body, members, total, rows: true, into: bodies) }
        } else if let body {
            let open = scratch.take(total, Int32.self)
            var o = 0
            for j in 0..<total where filters[j] != 0 { open[o] = members[j]; o += 1 }
            if o > 0 { eval(body, open, o, rows: true, into: bodies) }
        }
        var start = 0, next = 0
        switch agg {
        // Counts and any/all fold every member in one pass into its element's tally: a loop per element would end
        // in a mispredicted branch for every element (households differ in size).
        case .count:
            // Per element: how many members the filter includes, and whether it is unknown for any.
            let counts = scratch.take(n, Int64.self), unknown = scratch.take(n, Bool.self)
            counts.update(repeating: 0, count: n)
            unknown.update(repeating: false, count: n)
            for j in 0..<total {
                let k = Int(elementOf[j])
                counts[k] &+= filters[j] == 1 ? 1 : 0
                unknown[k] = unknown[k] || filters[j] == 2
            }
            for k in 0..<n { out[k] = unknown[k] ? .unknown : .number(Exact(counts[k])) }
        case .any, .all:
            // any: true if some included member satisfies; all: false if some included member fails. A member that
            // decides it decides it whatever the others' unknowns. Per element: 2 when decided, 1 when a member
            // was unknown, as an index into `results`.
            let isAny = agg == .any, decidingCode: UInt8 = isAny ? 1 : 0
            let state = scratch.take(n, UInt8.self), results = scratch.take(4, Value.self)
            state.update(repeating: 0, count: n)
            results[0] = .bool(!isAny); results[1] = .unknown; results[2] = .bool(isAny); results[3] = .bool(isAny)
            for j in 0..<total where filters[j] != 0 {
                let b = body == nil ? 1 : truthCode(bodies[next])
                if body != nil { next += 1 }
                // The filter is true (1) or unknown (2) here. any: filter and body; all: not filter, or body.
                let t: UInt8 = isAny ? (b == 0 ? 0 : filters[j] == 1 && b == 1 ? 1 : 2) : (b == 1 ? 1 : filters[j] == 1 && b == 0 ? 0 : 2)
                state[Int(elementOf[j])] |= (t == decidingCode ? 2 : 0) | (t == 2 ? 1 : 0)
            }
            for k in 0..<n { out[k] = results[Int(state[k])] }
        case .sum:
            // Amounts are added as numbers, without wrapping each partial sum in a value.
            for k in 0..<n {
                var sum = Exact.zero, unknown = false
                for j in start..<Int(ends[k]) where filters[j] != 0 {
                    let v = bodies[next]
                    next += 1
                    if unknown { continue }
                    guard filters[j] == 1, case .number(let x) = v, let s = sum.adding(x) else { unknown = true; continue }
                    sum = s
                }
                out[k] = unknown ? .unknown : .number(sum)
                start = Int(ends[k])
            }
        case .min, .max:
            let better: BinaryOperator = agg == .min ? .less : .greater
            for k in 0..<n {
                var best: Value?, unknown = false
                for j in start..<Int(ends[k]) where filters[j] != 0 {
                    let v = bodies[next]
                    next += 1
                    if unknown { continue }
                    if filters[j] == 2 || !v.isKnown { unknown = true; continue }
                    if best == nil || Arithmetic.compare(better, v, best!) == true { best = v }
                }
                out[k] = unknown ? .unknown : best ?? .unknown
                start = Int(ends[k])
            }
        }
    }

    private func builtin(_ b: Builtin, _ list: CodeList, _ sel: UnsafePointer<Int32>, _ n: Int, rows: Bool, into out: UnsafeMutablePointer<Value>) {
        let count = Int(list.count)
        let args = scratch.take(n * count, Value.self)
        for a in 0..<count { eval(Code(index: lists[Int(list.start) + a]), sel, n, rows: rows, into: args + a * n) }
        for k in 0..<n {
            out[k] = Evaluator.builtin(b, count: count) { args[$0 * n + k] }
        }
    }

    @inline(__always)
    private func query(_ q: ProgramQuery, _ programs: CodeList, family f: Int) -> Value {
        if programs.count == 1 { return query(q, Int(lists[Int(programs.start)]), family: f) }
        return Evaluator.answerAny(q, count: Int(programs.count), program: { Int(lists[Int(programs.start) + $0]) },
                                   applies: { outcome($0, family: f).applies }, answer: { query(q, $0, family: f) })
    }

    @inline(__always)
    private func query(_ q: ProgramQuery, _ p: Int, family f: Int) -> Value {
        Evaluator.answer(q, outcome(p, family: f)) { unclaimed(p, family: f) }
    }

    @inline(__always)
    private func lookUp(_ i: Int, _ key: Value, _ version: CompiledParameter.Version, family f: Int) -> Value {
        Evaluator.lookUp(rules, i, version, key) { ref in self.familyTextKey(ref, family: f) }
    }

    private func familyTextKey(_ ref: Int32, family f: Int) -> Int32 {
        let k = Int(-ref - 1)
        let at = textKeyStart[f] + k
        if textKeys[at] == -2 { textKeys[at] = rules.textIndex[TextKey.normalize(familyTexts[f][k])] ?? -1 }
        return textKeys[at]
    }
}

/// Scratch memory taken and given back in stack order while a block is evaluated: selections and values of nodes.
/// Memory is never moved, so pointers taken stay valid until released.
struct Scratch {
    private var chunks: [UnsafeMutableRawPointer] = []
    private var sizes: [Int] = []
    private var chunk = -1
    private var used = 0

    typealias Mark = (chunk: Int, used: Int)
    var mark: Mark { (chunk, used) }

    @inline(__always)
    mutating func take<T>(_ n: Int, _: T.Type) -> UnsafeMutablePointer<T> {
        let bytes = max(1, n) * MemoryLayout<T>.stride
        let rounded = (bytes + 15) & ~15
        if chunk >= 0 && used + rounded <= sizes[chunk] {
            let p = chunks[chunk] + used
            used += rounded
            return p.bindMemory(to: T.self, capacity: max(1, n))
        }
        return takeFromNextChunk(n, T.self)
    }

    @inline(never)
    private mutating func takeFromNextChunk<T>(_ n: Int, _: T.Type) -> UnsafeMutablePointer<T> {
        let bytes = max(1, n) * MemoryLayout<T>.stride
        let rounded = (bytes + 15) & ~15
        if chunk < 0 || used + rounded > sizes[chunk] {
            chunk += 1
            used = 0
            if chunk == chunks.count || sizes[chunk] < rounded {
                let size = max(1 << 20, rounded)
                if chunk < chunks.count { chunks[chunk].deallocate(); chunks[chunk] = .allocate(byteCount: size, alignment: 16); sizes[chunk] = size } else {
                    chunks.append(.allocate(byteCount: size, alignment: 16)); sizes.append(size)
                }
            }
        }
        let p = chunks[chunk] + used
        used += rounded
        return p.bindMemory(to: T.self, capacity: max(1, n))
    }

    mutating func release(to mark: Mark) { chunk = mark.chunk; used = mark.used }
    mutating func reset() { chunk = -1; used = 0 }
    func free() { for c in chunks { c.deallocate() } }
}
