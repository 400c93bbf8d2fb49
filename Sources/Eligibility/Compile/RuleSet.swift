import Foundation

/// A loaded, checked and compiled rule set: immutable, shared by every screening and thread.
public final class RuleSet: Sendable {
    /// The declarations as checked (names, types, titles, citations).
    public let declarations: CheckedRules
    public let files: [SourceFile]
    /// Text constants, referred to by `Value.text(i)` with i >= 0.
    public let texts: [String]
    /// Text constants by content: a profile text equal to a constant is stored as the constant's reference,
    /// so comparing it with the rules' texts is comparing two integers.
    public let textIndex: [String: Int32]
    let normalizedText: [Int32]
    /// Each program's display name as a text reference (for `program.name`).
    let programNames: [Int32]
    /// `sha256:<hex>` over the rule files in path order: names the exact rules a result came from.
    public let fingerprint: String

    let householdLets: [Code]
    let memberLets: [Code]
    /// How each fact is filled in when a profile leaves it out (nil: it stays unknown).
    let householdDefaults: [FactDefault?]
    let memberDefaults: [FactDefault?]
    nonisolated(unsafe) let householdDefaultTable: UnsafeMutableBufferPointer<FactDefault?>
    nonisolated(unsafe) let memberDefaultTable: UnsafeMutableBufferPointer<FactDefault?>
    /// All compiled code: nodes and the child lists of variable-arity nodes.
    /// Kept in manually managed memory that lives as long as the rule set: the evaluator reads it through
    /// plain pointers, which costs no reference counting per node.
    nonisolated(unsafe) let nodes: UnsafeMutableBufferPointer<Node>
    nonisolated(unsafe) let lists: UnsafeMutableBufferPointer<Int32>
    /// Each program's code in plain data, and each derived value's code, for the evaluator's pointer reads.
    nonisolated(unsafe) let programCode: UnsafeMutableBufferPointer<ProgramCode>
    nonisolated(unsafe) let householdLetCode: UnsafeMutableBufferPointer<Code>
    nonisolated(unsafe) let memberLetCode: UnsafeMutableBufferPointer<Code>
    /// Where each program's requirement results start in an evaluator's flat results buffer.
    nonisolated(unsafe) let requirementOffsetTable: UnsafeMutableBufferPointer<Int32>
    let requirementCount: Int
    /// Every requirement's condition, program after program (indexed like the results).
    nonisolated(unsafe) let requirementConditions: UnsafeMutableBufferPointer<Code>
    /// Referrals and tiers as plain data, so deciding them per family copies no declarations.
    nonisolated(unsafe) let referralCode: UnsafeMutableBufferPointer<ReferralCode>
    nonisolated(unsafe) let referralTargets: UnsafeMutableBufferPointer<Int32>
    nonisolated(unsafe) let referralPriorities: UnsafeMutableBufferPointer<PriorityCode>
    /// Each tier's conditions, tier after tier (`tierConditionRanges[t]` says where tier t's lie).
    nonisolated(unsafe) let tierConditionRanges: UnsafeMutableBufferPointer<CodeList>
    nonisolated(unsafe) let tierConditions: UnsafeMutableBufferPointer<Code?>
    public let programs: [CompiledProgram]
    public let referrals: [CompiledReferral]
    public let tiers: [CompiledTier]
    public let parameters: [CompiledParameter]

    /// Slots of the facts a screening always has.
    public let caseIdSlot: Int
    public let stateSlot: Int
    public let screeningDateSlot: Int
    /// The household value `involved_with_child_welfare`: unclaimed benefits are reported only for these families.
    public let involvedSlot: Int
    /// The household fact `consent_to_share`, if declared.
    public let consentSlot: Int?
    /// The earliest date any parameter has a value: a screening before it has no rules at all.
    /// (A parameter with no value yet on a later date is reported per screening, where it is used.)
    public let earliestParameterDate: Day?

    public let householdFactIndex: [String: Int]
    public let memberFactIndex: [String: Int]

    init(declarations: CheckedRules, texts: [String], programNames: [Int32], files: [SourceFile], fingerprint: String, householdLets: [Code], memberLets: [Code],
         householdDefaults: [FactDefault?], memberDefaults: [FactDefault?], nodes: ContiguousArray<Node>, lists: ContiguousArray<Int32>, programs: [CompiledProgram], referrals: [CompiledReferral],
         tiers: [CompiledTier], parameters: [CompiledParameter], caseIdSlot: Int, stateSlot: Int, screeningDateSlot: Int,
         involvedSlot: Int, consentSlot: Int?) {
        self.declarations = declarations
        self.texts = texts
        var index: [String: Int32] = [:]
        for (i, t) in texts.enumerated() where index[t] == nil { index[t] = Int32(i) }
        textIndex = index
        // Each text's normalized form as a reference (-1 when no rule has it), for county and state tables.
        normalizedText = texts.map { index[TextKey.normalize($0)] ?? -1 }
        self.programNames = programNames
        self.files = files
        self.fingerprint = fingerprint
        self.householdLets = householdLets
        self.memberLets = memberLets
        self.householdDefaults = householdDefaults
        self.memberDefaults = memberDefaults
        householdDefaultTable = RuleSet.pinned(householdDefaults)
        memberDefaultTable = RuleSet.pinned(memberDefaults)
        self.nodes = RuleSet.pinned(nodes)
        self.lists = RuleSet.pinned(lists)
        var offsets: [Int] = []
        var total = 0
        for p in programs { offsets.append(total); total += p.requirements.count }
        programCode = RuleSet.pinned(programs.map {
            ProgramCode(applies: $0.applies, enrolledWhen: $0.enrolledWhen, benefit: $0.benefit, requirements: Int32($0.requirements.count))
        })
        householdLetCode = RuleSet.pinned(householdLets)
        memberLetCode = RuleSet.pinned(memberLets)
        requirementConditions = RuleSet.pinned(programs.flatMap { $0.requirements.map(\.condition) })
        requirementOffsetTable = RuleSet.pinned(offsets.map(Int32.init))
        requirementCount = total
        var targets: [Int32] = [], priorities: [PriorityCode] = [], referralCode: [ReferralCode] = []
        for r in referrals {
            referralCode.append(ReferralCode(when: r.when, needsConsent: r.info.needsConsent, targets: CodeList(start: Int32(targets.count), count: Int32(r.programs.count)),
                                             priorities: CodeList(start: Int32(priorities.count), count: Int32(r.priorities.count))))
            targets += r.programs.map(Int32.init)
            priorities += r.priorities.map { PriorityCode(level: ReferralPriority(rawValue: $0.level) ?? .routine, when: $0.when) }
        }
        self.referralCode = RuleSet.pinned(referralCode)
        referralTargets = RuleSet.pinned(targets)
        referralPriorities = RuleSet.pinned(priorities)
        var ranges: [CodeList] = [], conditions: [Code?] = []
        for t in tiers {
            ranges.append(CodeList(start: Int32(conditions.count), count: Int32(t.conditions.count)))
            conditions += t.conditions.map(\.condition)
        }
        tierConditionRanges = RuleSet.pinned(ranges)
        tierConditions = RuleSet.pinned(conditions)
        self.programs = programs
        self.referrals = referrals
        self.tiers = tiers
        self.parameters = parameters
        self.caseIdSlot = caseIdSlot
        self.stateSlot = stateSlot
        self.screeningDateSlot = screeningDateSlot
        self.involvedSlot = involvedSlot
        self.consentSlot = consentSlot
        earliestParameterDate = parameters.compactMap { $0.versions.first?.from }.min()
        householdFactIndex = Dictionary(uniqueKeysWithValues: declarations.householdFacts.enumerated().map { ($1.name, $0) })
        memberFactIndex = Dictionary(uniqueKeysWithValues: declarations.memberFacts.enumerated().map { ($1.name, $0) })
    }

    /// A copy of plain data in memory of its own, freed in deinit, that the evaluator reads through a pointer.
    /// Its `count` is the number of items; an empty one still has an address (one slot allocated, none initialized).
    static func pinned<T>(_ items: some Collection<T>) -> UnsafeMutableBufferPointer<T> {
        let start = UnsafeMutablePointer<T>.allocate(capacity: max(1, items.count))
        let buffer = UnsafeMutableBufferPointer(start: start, count: items.count)
        _ = buffer.initialize(from: items)
        return buffer
    }

    deinit {
        nodes.deallocate()
        lists.deallocate()
        programCode.deallocate()
        householdDefaultTable.deallocate()
        memberDefaultTable.deallocate()
        householdLetCode.deallocate()
        memberLetCode.deallocate()
        requirementConditions.deallocate()
        requirementOffsetTable.deallocate()
        referralCode.deallocate()
        referralTargets.deallocate()
        referralPriorities.deallocate()
        tierConditionRanges.deallocate()
        tierConditions.deallocate()
    }

    private let datedLock = NSLock()
    nonisolated(unsafe) private var dated: [Day: DatedParameters] = [:]

    /// The parameter versions in force on a date, resolved once per date and shared by every family and thread.
    func parameterVersions(on date: Day) -> DatedParameters {
        datedLock.lock()
        defer { datedLock.unlock() }
        if let d = dated[date] { return d }
        // A caseload has a handful of screening dates; the bound only keeps a pathological input from growing it.
        if dated.count >= 1024 { dated.removeAll() }
        let d = DatedParameters(parameters, on: date)
        dated[date] = d
        return d
    }

    /// The content of a text value: a rules constant (`ref >= 0`) or one of the family's own texts.
    func text(_ ref: Int32, familyTexts: [String]) -> String {
        ref >= 0 ? texts[Int(ref)] : familyTexts[Int(-ref - 1)]
    }

    public var householdFacts: [FactInfo] { declarations.householdFacts }
    public var memberFacts: [FactInfo] { declarations.memberFacts }
    public var enums: [EnumInfo] { declarations.enums }
}

/// A table's rows keyed by text reference, sorted for a binary search: cheaper than hashing for a few dozen rows.
struct TextKeyedValues: Sendable {
    private let keys: [Int32]
    private let values: [Value]
    init(_ rows: [Int32: Value]) {
        let sorted = rows.sorted { $0.key < $1.key }
        keys = sorted.map(\.key)
        values = sorted.map(\.value)
    }
    subscript(key: Int32) -> Value? {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key ? values[low] : nil
    }
}

/// Every parameter's version in force on one date, and each scalar's value, read by the evaluator without a search.
final class DatedParameters: @unchecked Sendable {
    /// nil: the parameter has no value in force on the date.
    private let versions: UnsafeMutableBufferPointer<CompiledParameter.Version?>
    /// A scalar's value (unknown for a parameter with no values); nil when no version is in force.
    private let scalars: UnsafeMutableBufferPointer<Value?>

    init(_ parameters: [CompiledParameter], on date: Day) {
        let found = parameters.map { p in p.versions.last { $0.from <= date } }
        versions = RuleSet.pinned(found)
        scalars = RuleSet.pinned(found.map { v in v.map { $0.values.first ?? .unknown } })
    }

    deinit {
        versions.deinitialize()
        versions.deallocate()
        scalars.deallocate()
    }

    @inline(__always) func version(_ i: Int) -> CompiledParameter.Version? { versions[i] }
    @inline(__always) func scalar(_ i: Int) -> Value? { scalars[i] }
}

/// A program ready to evaluate.
public struct CompiledProgram: Sendable {
    public let info: ProgramInfo
    let applies: Code?
    let enrolledWhen: Code?
    public let requirements: [CompiledRequirement]
    let benefit: Code?
    let benefitExplain: CompiledTemplate?
}

/// What the evaluator needs of a program, as plain data.
struct ProgramCode: Sendable {
    let applies: Code?
    let enrolledWhen: Code?
    let benefit: Code?
    let requirements: Int32
}

/// What deciding a referral needs, as plain data: its condition, the programs it is about, its priorities.
struct ReferralCode: Sendable {
    let when: Code
    /// Whether sharing the referral needs the family's consent.
    let needsConsent: Bool
    /// Program indices in `referralTargets`.
    let targets: CodeList
    /// Entries of `referralPriorities`, first match wins.
    let priorities: CodeList
}

/// `priority LEVEL [when EXPR]` of a referral, as plain data.
struct PriorityCode: Sendable {
    let level: ReferralPriority
    let when: Code?
}

/// A requirement ready to evaluate.
public struct CompiledRequirement: Sendable {
    public let info: RequirementInfo
    let condition: Code
    let explain: CompiledTemplate?
    /// The two sides of a money comparison, to say how far the family is from the line.
    let margin: (op: BinaryOperator, amount: Code, limit: Code)?
}

/// A referral ready to evaluate.
public struct CompiledReferral: Sendable {
    public let info: ReferralInfo
    /// The programs it is about: one, all of a kind (in declaration order), or none.
    public let programs: [Int]
    let when: Code
    let priorities: [(level: String, when: Code?)]
    let because: CompiledTemplate?
}

/// A prevention tier ready to evaluate.
public struct CompiledTier: Sendable {
    public let info: TierInfo
    let conditions: [(condition: Code?, because: CompiledTemplate)]
}

/// A parameter's dated versions with lookup structures.
public struct CompiledParameter: Sendable {
    /// One dated row. A class, so that handing a row to a lookup is one reference, not a copy of its tables.
    public final class Version: Sendable {
        public let from: Day
        let values: [Value]
        let eachAdditional: Exact?
        /// Keyed by the text reference of the normalized name (`TextKey`): lookups compare integers.
        let byText: TextKeyedValues
        /// Indexed by enumeration value; nil where the table has no row.
        let byEnum: [Value?]
        let otherwise: Value?
        init(from: Day, values: [Value], eachAdditional: Exact?, byText: [Int32: Value], byEnum: [Int: Value], otherwise: Value?) {
            self.from = from; self.values = values; self.eachAdditional = eachAdditional
            var dense = [Value?](repeating: nil, count: (byEnum.keys.max() ?? -1) + 1)
            for (k, v) in byEnum { dense[k] = v }
            self.byText = TextKeyedValues(byText); self.byEnum = dense; self.otherwise = otherwise
        }
    }
    public let name: String
    let key: ParameterKeyKind
    public let versions: [Version]
}
