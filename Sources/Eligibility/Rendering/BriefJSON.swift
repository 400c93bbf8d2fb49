/// Brief batch results as JSON Lines, byte for byte what `ScreeningJSON.write(_:to:brief: true)` writes, from `BriefOutcomes`.
final class BriefJSON: Sendable {
    // Everything the same for every family (keys, ids, `"status":"eligible","enrolled":true,...`, requirement
    // objects, referral openings, the rules fingerprint) is encoded once per run; per family only the case id
    // is escaped and the date and benefits formatted.
    private let fragments: Fragments
    // Piece numbers in `fragments`: single pieces, and the first piece of each table.
    private let head, date, afterDate, comma, benefitKey, noRequirements, tierKey, null, referralsKey, unclaimedKey, end: Int
    /// + `flagCount` * (2 * program + (1 unless it is the first listed)) + `BriefOutcomes.Program.flagsCode`: a program's
    /// opening with its status flags, `,{"id":"snap","status":"eligible","enrolled":false,"unclaimed":true`.
    private let programOpen: Int
    private let flagCount = BriefOutcomes.Program.flagCombinations.count
    /// + program: `"snap"`, for a referral's program and the unclaimed benefits.
    private let programID: Int
    /// + a `BriefOutcomes` requirement code: `{"id":"income","result":"met"}`, after `,"requirements":[` for its
    /// program's first requirement and a comma for the others, and followed by `]}` for its last.
    private let requirement: Int
    /// + tier: `{"tier":"prevention"}`.
    private let tier: Int
    /// + 3 * referral + rank: `{"id":"wic","priority":"urgent","program":`.
    private let referralOpen: Int
    /// + requires consent: `,"requires_consent":false}`.
    private let consent: Int

    init(rules: RuleSet) {
        var b = Fragments.Builder()
        func quoted(_ s: String) -> [UInt8] {
            var out: [UInt8] = []
            JSONWriter.appendQuoted(s, to: &out)
            return out
        }
        func text(_ s: String) -> [UInt8] { Array(s.utf8) }
        head = b.add(#"{"case_id":"#)
        date = b.add(#","screening_date":""#)
        afterDate = b.add(text(#"","rules":"#) + quoted(rules.fingerprint) + text(#","programs":["#))
        comma = b.add(",")
        benefitKey = b.add(#","estimated_monthly_benefit":"#)
        noRequirements = b.add(#","requirements":[]}"#)
        tierKey = b.add(#"],"prevention_tier":"#)
        null = b.add("null")
        referralsKey = b.add(#","referrals":["#)
        unclaimedKey = b.add(#"],"unclaimed_benefits":["#)
        end = b.add("]}\n")
        // A family's line is mostly these pieces, so a program's opening and status, and each requirement with the
        // punctuation around it, are one piece each: fewer and longer copies.
        let flags = BriefOutcomes.Program.flagCombinations.map { status, enrolled, unclaimed in
            text(status.rawValue) + text(#"","enrolled":"#) + text(String(enrolled)) + text(#","unclaimed":"#) + text(String(unclaimed))
        }
        programOpen = b.count
        for p in rules.programs {
            for separator in ["", ","] {
                for f in flags { b.add(text(separator) + text(#"{"id":"#) + quoted(p.info.id) + text(#","status":""#) + f) }
            }
        }
        programID = b.count
        for p in rules.programs { b.add(quoted(p.info.id)) }
        requirement = b.count
        for p in rules.programs {
            for (k, r) in p.requirements.enumerated() {
                for result in [RequirementStatus.met, .notMet, .unknown] {
                    b.add(text(k > 0 ? "," : #","requirements":["#) + text(#"{"id":"#) + quoted(r.info.id) + text(#","result":""#)
                          + text(result.rawValue) + text(#""}"#) + text(k == p.requirements.count - 1 ? "]}" : ""))
                }
            }
        }
        tier = b.count
        for t in rules.tiers { b.add(text(#"{"tier":"#) + quoted(t.info.id) + text("}")) }
        referralOpen = b.count
        for r in rules.referrals {
            for priority in [ReferralPriority.urgent, .high, .routine] {
                b.add(text(#"{"id":"#) + quoted(r.info.id) + text(#","priority":""#) + text(priority.rawValue) + text(#"","program":"#))
            }
        }
        consent = b.count
        b.add(#","requires_consent":false}"#)
        b.add(#","requires_consent":true}"#)
        fragments = Fragments(b)
    }

    /// What writing a family's line reuses from family to family.
    struct Scratch: ~Copyable {
        /// The line being written, appended to the output whole.
        var line = ByteBuffer(capacity: 4096)
        /// The last screening date written and its text: a caseload is mostly screened for one date.
        var date = DateText()
        init() {}
    }

    /// Appends one family's line.
    func append(_ o: borrowing BriefOutcomes, caseId: String, screeningDate: Day, scratch: inout Scratch, to out: inout [UInt8]) {
        let f = fragments
        scratch.line.removeAll()
        scratch.line.append(f[head])
        // The case id is the one string escaped per family; it rarely needs an escape.
        let written: Bool? = caseId.utf8.withContiguousStorageIfAvailable { utf8 in
            if JSONWriter.needsEscaping(utf8) { return false }
            scratch.line.append(UInt8(ascii: "\""))
            scratch.line.append(utf8)
            scratch.line.append(UInt8(ascii: "\""))
            return true
        }
        if written != true {
            var quoted: [UInt8] = []
            JSONWriter.appendQuoted(caseId, to: &quoted)
            quoted.withUnsafeBufferPointer { scratch.line.append($0) }
        }
        scratch.line.append(f[date])
        scratch.date.text(screeningDate).withUnsafeBufferPointer { scratch.line.append($0) }
        scratch.line.append(f[afterDate])
        do {
            let programs = o.programs, requirements = o.requirements
            do {
                var k = 0
                for n in programs.indices {
                    let p = programs[n]
                    scratch.line.append(f[programOpen + flagCount * (2 * Int(p.index) + (n > 0 ? 1 : 0)) + p.flagsCode])
                    if let b = p.benefit {
                        scratch.line.append(f[benefitKey])
                        Presentation.withMoneyNumber(b) { scratch.line.append($0) }
                    }
                    if k == Int(p.requirementsEnd) { scratch.line.append(f[noRequirements]) }
                    while k < Int(p.requirementsEnd) {
                        scratch.line.append(f[requirement + Int(requirements[k])])
                        k += 1
                    }
                }
            }
        }
        scratch.line.append(f[tierKey])
        scratch.line.append(f[o.tier.map { tier + $0 } ?? null])
        scratch.line.append(f[referralsKey])
        do {
            let referrals = o.referrals
            for n in referrals.indices {
                let r = referrals[n]
                if n > 0 { scratch.line.append(f[comma]) }
                scratch.line.append(f[referralOpen + 3 * Int(r.referral) + Int(r.rank)])
                scratch.line.append(f[r.program >= 0 ? programID + Int(r.program) : null])
                scratch.line.append(f[consent + (r.requiresConsent ? 1 : 0)])
            }
        }
        scratch.line.append(f[unclaimedKey])
        if o.anyUnclaimed {
            do {
                let programs = o.programs
                var first = true
                for p in programs where p.unclaimed {
                    if !first { scratch.line.append(f[comma]) }
                    first = false
                    scratch.line.append(f[programID + Int(p.index)])
                }
            }
        }
        scratch.line.append(f[end])
        out.append(contentsOf: scratch.line.bytes)
    }
}

/// A screening date's text, kept for the next family: a caseload is mostly screened for one date.
struct DateText {
    private var day: Day?
    private var bytes: [UInt8] = []
    mutating func text(_ d: Day) -> [UInt8] {
        if day != d { day = d; bytes = Array(d.description.utf8) }
        return bytes
    }
}
