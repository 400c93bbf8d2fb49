/// What `Screener.screen(_:detail: .brief)` decides for a family, as indices and flags read from an evaluator.
struct BriefOutcomes: ~Copyable {
    // One value is reused from family to family (its lists keep their storage), so reading a family allocates
    // nothing here; `BriefJSON`, `BriefCSV` and `OutcomeTally` read it instead of a `Screening` of strings.
    /// A program that applies to the family.
    struct Program {
        var index: Int32
        var status: ProgramStatus
        var enrolled: Bool
        var unclaimed: Bool
        /// Where this program's requirements end in `requirements`.
        var requirementsEnd: Int32
        /// Never negative, as `screen` reports it.
        var benefit: Exact?

        /// Status, enrolled and unclaimed as one number: the index of their combination in `flagCombinations`,
        /// which renderers encode once per run.
        var flagsCode: Int {
            let status = switch self.status { case .eligible: 0; case .ineligible: 1; case .needsInfo: 2 }
            return 4 * status + (enrolled ? 2 : 0) + (unclaimed ? 1 : 0)
        }

        /// Every combination of status, enrolled and unclaimed, in the order of `flagsCode`.
        static let flagCombinations: [(status: ProgramStatus, enrolled: Bool, unclaimed: Bool)] =
            [ProgramStatus.eligible, .ineligible, .needsInfo].flatMap { s in [false, true].flatMap { e in [false, true].map { u in (s, e, u) } } }
    }

    /// A referral made.
    struct Referral {
        var referral: Int32
        /// -1: the referral is about no program.
        var program: Int32
        /// `ReferralPriority.rank`: 0 urgent, 1 high, 2 routine.
        var rank: UInt8
        var requiresConsent: Bool
    }

    /// Programs that apply, in declaration order (the order `screen` lists them in).
    var programs: UnsafeBufferPointer<Program> { programList.items }
    /// The requirements of the programs listed, program after program, each as
    /// `3 * (its index among all requirements of the rules) + result`, result 0 met, 1 not met, 2 unknown.
    var requirements: UnsafeBufferPointer<Int32> { requirementList.items }
    /// Referrals made, most urgent first, declaration order within a priority (the order `screen` sorts them in).
    var referrals: UnsafeBufferPointer<Referral> { referralList.items }
    private var programList: List<Program>
    private var requirementList: List<Int32>
    private var referralList: List<Referral>
    /// The prevention tier's index, if any holds.
    private(set) var tier: Int?
    private(set) var involved = false
    private(set) var anyUnclaimed = false

    /// One evaluator for every family this value reads, reset per family: its memory is allocated once.
    private var evaluator: Evaluator?

    init(rules: RuleSet) {
        programList = List(capacity: rules.programs.count)
        requirementList = List(capacity: rules.requirementCount)
        // A referral is made at most once per program it names, or once.
        referralList = List(capacity: rules.referralCode.reduce(0) { $0 + max(1, Int($1.targets.count)) })
    }

    /// Evaluates one family and keeps its decisions, replacing the previous family's.
    mutating func read(_ profile: Profile, _ screener: Screener) {
        let evaluator: Evaluator
        if let reused = self.evaluator { reused.reset(facts: profile.facts); evaluator = reused } else {
            evaluator = Evaluator(rules: screener.rules, facts: profile.facts)
            self.evaluator = evaluator
        }
        read(Evaluator.Family(evaluator: evaluator, screener: screener), screener.rules)
    }

    /// Keeps family f's decisions from a block evaluated together: the same as `read` of that family alone.
    mutating func read(block: BlockEvaluator, family f: Int) {
        read(BlockEvaluator.Family(block: block, index: f), block.rules)
    }

    /// Keeps an evaluated family's decisions, replacing the previous family's.
    /// Mirrors `Screener.screen` with brief detail, in the same order of evaluation: programs, referrals, tier.
    private mutating func read(_ family: some EvaluatedFamily, _ rules: RuleSet) {
        programList.removeAll()
        requirementList.removeAll()
        referralList.removeAll()
        anyUnclaimed = false
        for p in 0..<rules.programs.count {
            let o = family.outcome(p)
            if o.applies == false { continue }
            // The requirement count and offset come from the rule set's plain tables: no program declaration is copied.
            let first = Int(rules.requirementOffsetTable[p])
            for k in 0..<Int(rules.programCode[p].requirements) {
                let result: Int32 = switch family.requirementResult(p, k) { case true?: 0; case false?: 1; case nil: 2 }
                requirementList.append(3 * Int32(first + k) + result)
            }
            let unclaimed = family.unclaimed(p) == true
            anyUnclaimed = anyUnclaimed || unclaimed
            programList.append(Program(index: Int32(p), status: o.status, enrolled: o.enrolled == true, unclaimed: unclaimed,
                                       requirementsEnd: Int32(requirementList.count), benefit: o.benefit.map { max($0, .zero) }))
        }
        let consent = rules.consentSlot.map { family.householdFact($0).truth } ?? nil
        family.eachReferral { r, program, priority in
            referralList.append(Referral(referral: Int32(r), program: Int32(program ?? -1), rank: UInt8(priority.rank),
                                         requiresConsent: rules.referralCode[r].needsConsent && consent != true))
        }
        sortReferralsByRank()
        tier = family.tier
        involved = family.involved == true
    }

    /// A stable insertion sort by rank: the same order as `screen`'s sort by (priority, declaration order), without a closure.
    private mutating func sortReferralsByRank() {
        let referrals = referralList.storage
        guard referralList.count > 1 else { return }
        for i in 1..<referralList.count {
            let x = referrals[i]
            var j = i
            while j > 0, referrals[j - 1].rank > x.rank { referrals[j] = referrals[j - 1]; j -= 1 }
            referrals[j] = x
        }
    }

    /// A list in memory of its own, at most `capacity` long: appending is a store and a count (an array's append
    /// checks that its storage is its own first, a call per item).
    struct List<Element>: ~Copyable {
        let storage: UnsafeMutablePointer<Element>
        private let capacity: Int
        private(set) var count = 0

        init(capacity: Int) {
            self.capacity = max(1, capacity)
            storage = .allocate(capacity: self.capacity)
        }

        deinit {
            storage.deinitialize(count: count)
            storage.deallocate()
        }

        var items: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: storage, count: count) }

        @inline(__always)
        mutating func append(_ x: Element) {
            precondition(count < capacity, "more items than the rules allow")
            (storage + count).initialize(to: x)
            count += 1
        }

        mutating func removeAll() {
            storage.deinitialize(count: count)
            count = 0
        }
    }
}
