/// Reads an ordinary profile straight from its JSON bytes into facts, in one pass and without a JSON tree.
///
/// Batches read hundreds of thousands of profiles, nearly all of them well formed, and building a `JSONValue`
/// tree (strings for every key, hashing, duplicate checks) and then walking it cost several times more than
/// the facts themselves. This decoder takes the common case only: compact or spaced JSON whose keys are the
/// declared field names, whose values have the declared types and ranges, with no escapes, no unknown fields
/// and nothing wrong. Whenever it meets anything else it gives up (`decode` returns nil) and the tree path
/// (`ProfileReader.readTree`) reads the same bytes, so every message, warning and their order come from one
/// place. For every input it accepts, the profile it returns equals the tree path's in every field.
final class ProfileDecoder: Sendable {
    /// Where a key of an object leads: a fact, a nested group of facts, or the members list.
    enum Target: Sendable {
        case fact(Int)
        case group(Int)
        case members
    }

    /// One object level of the household: its field names and where each leads.
    struct Level: Sendable {
        let names: FieldNames
        let targets: [Target]
    }

    /// What reading one fact's value involves, from its declared type.
    enum FieldKind: Sendable {
        case boolean
        case integer(lower: Int64?, upper: Int64?)
        /// Decimals and percentages: any number.
        case number
        case money
        case date
        case text
        case enumeration(Int)
        case set(Int)
        /// Durations and error types: left to the tree path.
        case unsupported
    }

    let rules: RuleSet
    /// Level 0 is the household itself; groups such as `child_welfare` follow.
    let levels: [Level]
    let memberNames: FieldNames
    let memberSlots: [Int]
    let householdKinds: [FieldKind]
    let memberKinds: [FieldKind]
    /// Each enumeration's value names, entry k being value k.
    let enumNames: [FieldNames]
    /// The rules' text constants that are plain ASCII, and each one's reference.
    let constants: FieldNames
    let constantRefs: [Int32]
    /// Whether every text constant is ASCII: then an ASCII text missing from `constants` is no constant.
    let constantsAreASCII: Bool
    let caseIdSlot: Int?
    let birthDateSlot: Int?
    /// Per two upper-case letters (`(first - 65) * 26 + second - 65`): -2 when not a USPS code, else the rules'
    /// text constant for the code or -1 when there is none. Saves hashing the state twice per profile.
    let stateCodes: [Int32]
    /// False when the rules have more fields in one object than a 64-bit duplicate check holds, or a state,
    /// screening date or case id that is not the usual type; then every profile takes the tree path.
    let isUsable: Bool

    /// Tables from the reader's own: the same names lead to the same facts on both paths.
    init(rules: RuleSet, household: [String: ProfileReader.Field], member: [String: Int],
         householdSpecs: [ProfileReader.FieldSpec], memberSpecs: [ProfileReader.FieldSpec]) {
        self.rules = rules
        var levels: [Level] = []
        var usable = true
        // Builds a level and its groups depth first; returns its index.
        func addLevel(_ fields: [String: ProfileReader.Field], top: Bool) -> Int {
            let index = levels.count
            levels.append(Level(names: FieldNames([]), targets: []))
            // Sorted so that tables are the same from run to run (dictionary order is not).
            var names: [String] = []
            var targets: [Target] = []
            if top { names.append("members"); targets.append(.members) }
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) where !(top && key == "members") {
                names.append(key)
                switch field {
                case .fact(let slot): targets.append(.fact(slot))
                case .group(let sub): targets.append(.group(addLevel(sub, top: false)))
                }
            }
            if names.count > 64 { usable = false }
            levels[index] = Level(names: FieldNames(names), targets: targets)
            return index
        }
        _ = addLevel(household, top: true)
        self.levels = levels
        let members = member.sorted { $0.value < $1.value }
        memberNames = FieldNames(members.map(\.key))
        memberSlots = members.map(\.value)
        if members.count > 64 { usable = false }
        func kind(_ spec: ProfileReader.FieldSpec) -> FieldKind {
            switch spec.type {
            case .boolean: .boolean
            case .integer: .integer(lower: spec.lowerBound, upper: spec.upperBound)
            case .decimal, .percent: .number
            case .money: .money
            case .date: .date
            case .text: .text
            case .enumeration(let e): .enumeration(e)
            case .set(let e): .set(e)
            case .duration, .error: .unsupported
            }
        }
        householdKinds = householdSpecs.map(kind)
        memberKinds = memberSpecs.map(kind)
        enumNames = rules.enums.map { FieldNames($0.values) }
        let constantList = Array(rules.textIndex)
        constants = FieldNames(constantList.map(\.key))
        constantRefs = constantList.map(\.value)
        constantsAreASCII = constantList.allSatisfy { $0.key.utf8.allSatisfy { $0 < 0x80 } }
        caseIdSlot = rules.householdFactIndex["case_id"]
        birthDateSlot = rules.memberFactIndex["birth_date"]
        var codes = [Int32](repeating: -2, count: 26 * 26)
        for code in USPS.codes {
            let b = Array(code.utf8)
            guard b.count == 2, (65...90).contains(b[0]), (65...90).contains(b[1]) else { continue }
            codes[Int(b[0] - 65) * 26 + Int(b[1] - 65)] = rules.textIndex[code] ?? -1
        }
        stateCodes = codes
        if rules.householdFacts[rules.stateSlot].type != .text { usable = false }
        if rules.householdFacts[rules.screeningDateSlot].type != .date { usable = false }
        if let slot = caseIdSlot, rules.householdFacts[slot].type != .text { usable = false }
        isUsable = usable
    }

    /// The profile read from `bytes`, or nil when anything about them needs the tree path.
    func decode(_ bytes: [UInt8], asOf: Day) -> Profile? {
        var none: [Facts] = []
        return decode(bytes[...], asOf: asOf, spare: &none)
    }

    /// `decode`, into the storage of a family from `spare` when there is one; it goes back there on failure.
    func decode(_ bytes: ArraySlice<UInt8>, asOf: Day, spare: inout [Facts]) -> Profile? {
        guard isUsable else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Profile? in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
            var scan = ProfileScan(decoder: self, base: base, end: buffer.count, facts: spare.popLast())
            do { return try scan.profile(asOf: asOf) } catch {
                spare.append(scan.facts)
                return nil
            }
        }
    }
}

/// Names matched against input bytes without making strings or hashing them: the field names of one JSON
/// object, the values of one enumeration, or the rules' text constants. Entry k is the k-th name given.
///
/// A name is matched together with the quote that closes it, so one lookup both finds the name and proves
/// that the JSON string holds exactly it: no escape, no other byte. Only names of plain ASCII (no control
/// characters, quotes or backslashes) are entered: equal ASCII bytes are equal strings, while any other name
/// may equal different bytes (escapes, canonical equivalence), so input that could only match such a name
/// is left to the tree path.
final class FieldNames: Sendable {
    // Kept in memory of their own rather than arrays: a lookup is a few loads, with no array buffer or bounds to
    // check at each (every key and every enumeration or text value of every record is looked up here).
    /// Each entered name and its closing quote, zero-padded to whole 8-byte words.
    nonisolated(unsafe) let words: UnsafeMutableBufferPointer<UInt64>
    /// Per entry: its first word, how many words it has, which bytes of its last word count, and its length
    /// without the quote. Entries that were not entered have no words.
    nonisolated(unsafe) let firstWord: UnsafeMutableBufferPointer<Int32>
    nonisolated(unsafe) let wordCount: UnsafeMutableBufferPointer<Int32>
    nonisolated(unsafe) let lastMask: UnsafeMutableBufferPointer<UInt64>
    nonisolated(unsafe) let lengths: UnsafeMutableBufferPointer<Int32>
    /// Open addressing by the first two bytes; -1 is an empty bucket.
    nonisolated(unsafe) let buckets: UnsafeMutableBufferPointer<Int32>
    let mask: Int

    init(_ names: [String]) {
        var words: [UInt64] = []
        var firstWord: [Int32] = [], wordCount: [Int32] = [], lastMask: [UInt64] = [], lengths: [Int32] = []
        firstWord.reserveCapacity(names.count)
        wordCount.reserveCapacity(names.count)
        lastMask.reserveCapacity(names.count)
        lengths.reserveCapacity(names.count)
        var size = 16
        while size < names.count * 4 { size *= 2 }
        var buckets = [Int32](repeating: -1, count: size)
        for (k, name) in names.enumerated() {
            let utf8 = name.utf8
            firstWord.append(Int32(words.count))
            lengths.append(Int32(utf8.count))
            guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != 0x22 && $0 != 0x5C }) else {
                wordCount.append(0)
                lastMask.append(0)
                continue
            }
            // The bytes and the closing quote, packed into words in memory order (as input is loaded).
            var word: UInt64 = 0, filled = 0, count = 0
            func add(_ b: UInt8) {
                word |= UInt64(b) << (8 * filled)
                filled += 1
                if filled == 8 { words.append(UInt64(littleEndian: word)); count += 1; word = 0; filled = 0 }
            }
            for b in utf8 { add(b) }
            add(UInt8(ascii: "\""))
            let tail = filled == 0 ? 8 : filled
            if filled > 0 { words.append(UInt64(littleEndian: word)); count += 1 }
            wordCount.append(Int32(count))
            lastMask.append(UInt64(littleEndian: tail == 8 ? ~0 : (1 << (8 * tail)) - 1))
            var bytes = utf8.makeIterator()
            let first = bytes.next()!
            var h = FieldNames.hash(first, bytes.next() ?? UInt8(ascii: "\"")) & (size - 1)
            while buckets[h] >= 0 { h = (h + 1) & (size - 1) }
            buckets[h] = Int32(k)
        }
        self.words = RuleSet.pinned(words)
        self.firstWord = RuleSet.pinned(firstWord)
        self.wordCount = RuleSet.pinned(wordCount)
        self.lastMask = RuleSet.pinned(lastMask)
        self.lengths = RuleSet.pinned(lengths)
        self.buckets = RuleSet.pinned(buckets)
        mask = size - 1
    }

    deinit {
        words.deallocate(); firstWord.deallocate(); wordCount.deallocate()
        lastMask.deallocate(); lengths.deallocate(); buckets.deallocate()
    }

    @inline(__always) static func hash(_ first: UInt8, _ second: UInt8) -> Int {
        (Int(first) &* 0x9E37 ^ Int(second) &* 0x7F4B) >> 3
    }

    /// The entry whose name, followed by `"`, starts at `p`, or -1; `available` bytes may be read from `p`.
    @inline(__always) func find(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        guard available >= 2 else { return -1 }
        var h = FieldNames.hash(p[0], p[1]) & mask
        while true {
            let k = Int(buckets[h])
            if k < 0 { return -1 }
            if matches(k, p, available) { return k }
            h = (h + 1) & mask
        }
    }

    @inline(__always) func matches(_ k: Int, _ p: UnsafePointer<UInt8>, _ available: Int) -> Bool {
        let first = Int(firstWord[k]), count = Int(wordCount[k])
        let raw = UnsafeRawPointer(p)
        if available >= count * 8 {
            for w in 0..<count - 1 where raw.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self) != words[first + w] { return false }
            return raw.loadUnaligned(fromByteOffset: (count - 1) * 8, as: UInt64.self) & lastMask[k] == words[first + count - 1]
        }
        // Near the end of the input: byte by byte.
        let n = Int(lengths[k]) + 1
        guard available >= n else { return false }
        let name = UnsafeRawBufferPointer(words)
        for j in 0..<n where name[first * 8 + j] != p[j] { return false }
        return true
    }
}

/// The decoder gives up: the tree path will read the record.
struct DecodeBail: Error {}

/// The state of decoding one record: a cursor over its bytes and the facts read so far.
struct ProfileScan {
    let decoder: ProfileDecoder
    let base: UnsafePointer<UInt8>
    let end: Int
    var i = 0
    var facts: Facts
    var sawMembers = false
    /// Members' texts, stored once the household is read: the tree path adds the household's texts
    /// (and the state code) to `Facts.texts` before any member's, wherever `members` sits in the record.
    var memberTexts: [(member: Int, slot: Int, start: Int, count: Int, ascii: Bool)] = []

    init(decoder: ProfileDecoder, base: UnsafePointer<UInt8>, end: Int, facts spare: Facts? = nil) {
        self.decoder = decoder
        self.base = base
        self.end = end
        if var spare {
            spare.clear()
            facts = spare
        } else {
            facts = Facts(householdFactCount: decoder.householdKinds.count, memberFactCount: decoder.memberKinds.count, memberCount: 0)
            // Room for a household of eight and a few texts, so that the arrays are not regrown while reading.
            facts.members.reserveCapacity(decoder.memberKinds.count * 8)
            facts.texts.reserveCapacity(4)
        }
    }

    /// The byte at the cursor, or 0 (never valid where a token is expected) at the end.
    @inline(__always) func peek() -> UInt8 { i < end ? base[i] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while i < end {
            let b = base[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    @inline(__always) mutating func expect(_ b: UInt8) throws(DecodeBail) {
        guard peek() == b else { throw DecodeBail() }
        i += 1
    }

    /// Steps over `word` (`true`, `false`, `null`) at the cursor.
    @inline(__always) mutating func literal(_ word: StaticString) throws(DecodeBail) {
        let n = word.utf8CodeUnitCount
        guard end - i >= n else { throw DecodeBail() }
        let w = word.utf8Start
        for k in 0..<n where base[i + k] != w[k] { throw DecodeBail() }
        i += n
    }

    // MARK: The record

    mutating func profile(asOf: Day) throws(DecodeBail) -> Profile {
        let rules = decoder.rules
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        try object(level: 0)
        skipWhitespace()
        guard i == end, sawMembers else { throw DecodeBail() }

        // What the tree path checks after the household, in its order; any problem is its to report.
        var caseId = ""
        if let slot = decoder.caseIdSlot {
            guard case .text(let ref) = facts.household[slot] else { throw DecodeBail() }
            caseId = text(ref)
            if caseId.isEmpty { throw DecodeBail() }
        }
        guard case .text(let ref) = facts.household[rules.stateSlot] else { throw DecodeBail() }
        let state = try stateCode(ref)
        var date = asOf
        if case .date(let d) = facts.household[rules.screeningDateSlot] { date = d } else { facts.household[rules.screeningDateSlot] = .date(asOf) }
        if let earliest = rules.earliestParameterDate, date < earliest { throw DecodeBail() }
        for t in memberTexts {
            facts[member: t.member, fact: t.slot] = textValue(start: t.start, count: t.count, ascii: t.ascii)
        }
        if let b = decoder.birthDateSlot {
            for m in 0..<facts.memberCount {
                if case .date(let born) = facts[member: m, fact: b], born > date { throw DecodeBail() }
            }
        }
        return Profile(caseId: caseId, state: state, screeningDate: date, facts: facts.moveOut(), warnings: [])
    }

    /// The content of a text value, as `ProfileReader.text` gives it.
    func text(_ ref: Int32) -> String {
        decoder.rules.text(ref, familyTexts: facts.texts)
    }

    /// Checks the state and stores it as its upper-case USPS code, as the tree path does.
    mutating func stateCode(_ ref: Int32) throws(DecodeBail) -> String {
        let given = text(ref)
        // Anything but two ASCII letters is either no code or needs Unicode case mapping: the tree path decides.
        var utf8 = given.utf8.makeIterator()
        guard let a = utf8.next(), let b = utf8.next(), utf8.next() == nil else { throw DecodeBail() }
        let first = a & 0xDF, second = b & 0xDF
        guard (65...90).contains(first), (65...90).contains(second),
              a == first || a == first | 0x20, b == second || b == second | 0x20 else { throw DecodeBail() }
        let constant = decoder.stateCodes[Int(first - 65) * 26 + Int(second - 65)]
        guard constant != -2 else { throw DecodeBail() }
        let code = String(decoding: [first, second], as: UTF8.self)
        facts.household[decoder.rules.stateSlot] = constant >= 0 ? .text(constant) : facts.text(code)
        return code
    }

    // MARK: Objects

    /// Reads the members of a household object (level 0) or group after its `{`, through its `}`.
    mutating func object(level: Int) throws(DecodeBail) {
        let names = decoder.levels[level].names
        var seen: UInt64 = 0
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { i += 1; return }
        while true {
            let k = try key(names)
            // A repeated key is an error the tree path reports.
            guard seen & (1 << UInt64(k)) == 0 else { throw DecodeBail() }
            seen |= 1 << UInt64(k)
            switch decoder.levels[level].targets[k] {
            case .fact(let slot):
                facts.household[slot] = try value(decoder.householdKinds[slot], member: -1, slot: slot)
            case .group(let sub):
                // A null group is no facts; anything but an object is an error.
                if peek() == UInt8(ascii: "n") { try literal("null") } else {
                    try expect(UInt8(ascii: "{"))
                    try object(level: sub)
                }
            case .members:
                try membersList()
            }
            skipWhitespace()
            let b = peek()
            i += 1
            if b == UInt8(ascii: ",") { skipWhitespace(); continue }
            if b == UInt8(ascii: "}") { return }
            throw DecodeBail()
        }
    }

    /// Reads `"name"` and `:` at the cursor, leaving it at the value; the name must be one of `names`.
    @inline(__always) mutating func key(_ names: FieldNames) throws(DecodeBail) -> Int {
        try expect(UInt8(ascii: "\""))
        // Field names are plain ASCII; anything else (an escape, another name) is for the tree path.
        let k = names.find(base + i, available: end - i)
        guard k >= 0 else { throw DecodeBail() }
        i += Int(names.lengths[k]) + 1
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        return k
    }

    /// Reads the members list: one to `ProfileReader.maxMembers` objects.
    mutating func membersList() throws(DecodeBail) {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        sawMembers = true
        let names = decoder.memberNames
        while true {
            try expect(UInt8(ascii: "{"))
            let m = facts.memberCount
            guard m < ProfileReader.maxMembers else { throw DecodeBail() }
            facts.addMember()
            var seen: UInt64 = 0
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { i += 1 } else {
                while true {
                    let k = try key(names)
                    guard seen & (1 << UInt64(k)) == 0 else { throw DecodeBail() }
                    seen |= 1 << UInt64(k)
                    let slot = decoder.memberSlots[k]
                    let v = try value(decoder.memberKinds[slot], member: m, slot: slot)
                    if case .unknown = v {} else { facts[member: m, fact: slot] = v }
                    skipWhitespace()
                    let b = peek()
                    i += 1
                    if b == UInt8(ascii: ",") { skipWhitespace(); continue }
                    if b == UInt8(ascii: "}") { break }
                    throw DecodeBail()
                }
            }
            skipWhitespace()
            let b = peek()
            i += 1
            if b == UInt8(ascii: ",") { skipWhitespace(); continue }
            if b == UInt8(ascii: "]") { return }
            throw DecodeBail()
        }
    }

    // MARK: Values

    /// Reads one fact's value. A member's text (`member` >= 0) is noted and stored later (see `memberTexts`).
    mutating func value(_ kind: ProfileDecoder.FieldKind, member: Int, slot: Int) throws(DecodeBail) -> Value {
        let b = peek()
        if b == UInt8(ascii: "n") {
            try literal("null")
            return .unknown
        }
        switch kind {
        case .boolean:
            if b == UInt8(ascii: "t") { try literal("true"); return .bool(true) }
            try literal("false")
            return .bool(false)
        case .integer(let lower, let upper):
            let (n, _) = try number()
            guard n.isInteger else { throw DecodeBail() }
            if let lower, n.numerator < lower { throw DecodeBail() }
            if let upper, n.numerator > upper { throw DecodeBail() }
            return .number(n)
        case .number:
            return .number(try number().value)
        case .money:
            let (n, decimals) = try number()
            guard n < ProfileReader.largestAmount, !n.isNegative else { throw DecodeBail() }
            // Up to two decimals are whole cents for certain; more may still reduce to them (1.500).
            if decimals > 2, n.multiplied(by: Exact(100)).map({ !$0.isInteger }) ?? true { throw DecodeBail() }
            return .number(n)
        case .date:
            // `"YYYY-MM-DD"`: `day` checks that the ten bytes are digits and dashes.
            try expect(UInt8(ascii: "\""))
            guard end - i >= 11, base[i + 10] == UInt8(ascii: "\"") else { throw DecodeBail() }
            let d = try day(base + i)
            i += 11
            return .date(d)
        case .text:
            let (start, count, ascii) = try string()
            if member >= 0 {
                memberTexts.append((member, slot, start, count, ascii))
                return .unknown
            }
            return textValue(start: start, count: count, ascii: ascii)
        case .enumeration(let e):
            return .enumeration(try enumValue(decoder.enumNames[e]))
        case .set(let e):
            try expect(UInt8(ascii: "["))
            skipWhitespace()
            var bits: UInt64 = 0
            if peek() == UInt8(ascii: "]") { i += 1; return .set(0) }
            let names = decoder.enumNames[e]
            while true {
                bits |= 1 << UInt64(try enumValue(names))
                skipWhitespace()
                let b = peek()
                i += 1
                if b == UInt8(ascii: ",") { skipWhitespace(); continue }
                if b == UInt8(ascii: "]") { return .set(bits) }
                throw DecodeBail()
            }
        case .unsupported:
            throw DecodeBail()
        }
    }

    /// Reads `"value"` at the cursor, one of the enumeration's `names`; gives its index.
    @inline(__always) mutating func enumValue(_ names: FieldNames) throws(DecodeBail) -> Int {
        try expect(UInt8(ascii: "\""))
        let v = names.find(base + i, available: end - i)
        guard v >= 0 else { throw DecodeBail() }
        i += Int(names.lengths[v]) + 1
        return v
    }

    /// A text fact's value: the rules' constant when there is one, else the family's own text
    /// (as `ProfileReader.convert` does, mostly without hashing).
    mutating func textValue(start: Int, count: Int, ascii: Bool) -> Value {
        if ascii && count > 0 {
            let k = decoder.constants.find(base + start, available: end - start)
            if k >= 0 { return .text(decoder.constantRefs[k]) }
        }
        let s = String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        // An ASCII text that is no ASCII constant can only equal a non-ASCII one (or the empty text).
        if ascii && count > 0 && decoder.constantsAreASCII { return facts.text(s) }
        if let constant = decoder.rules.textIndex[s] { return .text(constant) }
        return facts.text(s)
    }

    /// Reads a string without escapes at the cursor: where its content starts, its length in bytes, and
    /// whether it is all ASCII. Its UTF-8 is checked as the JSON parser checks it.
    @inline(__always) mutating func string() throws(DecodeBail) -> (start: Int, count: Int, ascii: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = i
        var ascii = true
        while i < end {
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return (start, i - 1 - start, ascii)
            }
            guard b >= 0x20, b != UInt8(ascii: "\\") else { throw DecodeBail() }
            if b < 0x80 { i += 1; continue }
            let n = UTF8Check.sequenceLength(base, i, end)
            guard n > 0 else { throw DecodeBail() }
            ascii = false
            i += n
        }
        throw DecodeBail()
    }

    /// Reads a JSON number as `Exact(decimal:)` would: `-`, digits without leading zeros, and an optional
    /// fraction; exponents and anything out of range are left to the tree path. Also gives the number of decimals.
    @inline(__always) mutating func number() throws(DecodeBail) -> (value: Exact, decimals: Int) {
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; i += 1 }
        var n: Int64 = 0
        var d: Int64 = 1
        var decimals = 0
        let first = peek()
        if first == UInt8(ascii: "0") {
            i += 1
            if isDigit(peek()) { throw DecodeBail() }
        } else if isDigit(first) {
            while i < end, isDigit(base[i]) {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(base[i] &- 48))
                guard !o1, !o2 else { throw DecodeBail() }
                n = s
                i += 1
            }
        } else {
            throw DecodeBail()
        }
        if peek() == UInt8(ascii: ".") {
            i += 1
            guard isDigit(peek()) else { throw DecodeBail() }
            while i < end, isDigit(base[i]) {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(base[i] &- 48))
                let (dd, o3) = d.multipliedReportingOverflow(by: 10)
                guard !o1, !o2, !o3 else { throw DecodeBail() }
                n = s
                d = dd
                decimals += 1
                i += 1
            }
        }
        if peek() | 0x20 == UInt8(ascii: "e") { throw DecodeBail() }
        // The same constructor as `Exact(decimal:)`, so values are reduced alike (1598.00 is 1598/1).
        guard let value = Exact(numerator: negative ? -n : n, denominator: d) else { throw DecodeBail() }
        return (value, decimals)
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// `YYYY-MM-DD` at `p` (10 ASCII bytes), as `Day(iso:)` reads it.
    func day(_ p: UnsafePointer<UInt8>) throws(DecodeBail) -> Day {
        guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { throw DecodeBail() }
        func digits(_ from: Int, _ to: Int) throws(DecodeBail) -> Int {
            var v = 0
            for k in from..<to {
                guard isDigit(p[k]) else { throw DecodeBail() }
                v = v * 10 + Int(p[k] - 48)
            }
            return v
        }
        guard let d = Day(year: try digits(0, 4), month: try digits(5, 7), day: try digits(8, 10)) else { throw DecodeBail() }
        return d
    }
}
