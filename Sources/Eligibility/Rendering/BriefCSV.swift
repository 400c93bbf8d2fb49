/// Brief batch results as CSV rows, byte for byte what `ScreeningCSV.append(_:to:)` writes, from `BriefOutcomes`.
final class BriefCSV: Sendable {
    // A row (one per program that applies) is the family's fields (case id, date, state), the program's constant
    // fields, its status fields and benefit, then the family's tier, referrals and the rules, the same on every row.
    private let fragments: Fragments
    /// + program: `snap,SNAP (food assistance),`.
    private let program: Int
    /// + 4 * status code + 2 * enrolled + unclaimed: `eligible,true,false,`.
    private let flags: Int
    /// + tier: the tier's id as a field.
    private let tier: Int
    /// `,` then the rules fingerprint as a field and the line break.
    private let rulesEnd: Int
    /// The referral ids as written joined; joined ids are quoted per family, as one field.
    private let referralIDs: [String]

    init(rules: RuleSet) {
        var b = Fragments.Builder()
        func field(_ s: String) -> [UInt8] {
            var out: [UInt8] = []
            var s = s
            s.withUTF8 { CSVWriter.appendField($0, to: &out) }
            return out
        }
        let comma = [UInt8(ascii: ",")]
        program = b.count
        for p in rules.programs { b.add(field(p.info.id) + comma + field(p.info.name) + comma) }
        flags = b.count
        for (status, enrolled, unclaimed) in BriefOutcomes.Program.flagCombinations {
            b.add(field(status.rawValue) + comma + field(String(enrolled)) + comma + field(String(unclaimed)) + comma)
        }
        tier = b.count
        for t in rules.tiers { b.add(field(t.info.id)) }
        rulesEnd = b.add(comma + field(rules.fingerprint) + [UInt8(ascii: "\n")])
        referralIDs = rules.referrals.map(\.info.id)
        fragments = Fragments(b)
    }

    /// Room for one family's fields and rows, reused from family to family.
    struct Scratch: ~Copyable {
        /// `case_id,screening_date,state,`
        var start: [UInt8] = []
        /// `,missing,prevention_tier,referrals,rules` and the line break.
        var end: [UInt8] = []
        var referrals: [UInt8] = []
        /// The family's rows, appended to the output at once.
        var rows = ByteBuffer(capacity: 4096)
        var date = DateText()
        init() {}
    }

    /// Appends one family's rows.
    func append(_ o: borrowing BriefOutcomes, caseId: String, screeningDate: Day, state: String, scratch: inout Scratch, to out: inout [UInt8]) {
        guard !o.programs.isEmpty else { return }
        let f = fragments
        scratch.start.removeAll(keepingCapacity: true)
        var caseId = caseId, state = state
        caseId.withUTF8 { CSVWriter.appendField($0, to: &scratch.start) }
        scratch.start.append(UInt8(ascii: ","))
        scratch.start.append(contentsOf: scratch.date.text(screeningDate))
        scratch.start.append(UInt8(ascii: ","))
        state.withUTF8 { CSVWriter.appendField($0, to: &scratch.start) }
        scratch.start.append(UInt8(ascii: ","))
        // Missing facts are empty in brief.
        scratch.end.removeAll(keepingCapacity: true)
        scratch.end.append(UInt8(ascii: ","))
        scratch.end.append(UInt8(ascii: ","))
        if let t = o.tier { scratch.end.append(contentsOf: f[tier + t].bytes) }
        scratch.end.append(UInt8(ascii: ","))
        // The ids joined by ";" make one field, quoted as a whole when it needs to be.
        scratch.referrals.removeAll(keepingCapacity: true)
        for (n, r) in o.referrals.enumerated() {
            if n > 0 { scratch.referrals.append(UInt8(ascii: ";")) }
            scratch.referrals.append(contentsOf: referralIDs[Int(r.referral)].utf8)
        }
        scratch.referrals.withUnsafeBufferPointer { CSVWriter.appendField($0, to: &scratch.end) }
        scratch.end.append(contentsOf: f[rulesEnd].bytes)
        scratch.rows.removeAll()
        scratch.start.withUnsafeBufferPointer { start in
            scratch.end.withUnsafeBufferPointer { end in
                for p in o.programs {
                    scratch.rows.append(start)
                    scratch.rows.append(f[program + Int(p.index)])
                    scratch.rows.append(f[flags + p.flagsCode])
                    if let b = p.benefit { Presentation.withMoneyNumber(b) { scratch.rows.append($0) } }
                    scratch.rows.append(end)
                }
            }
        }
        out.append(contentsOf: scratch.rows.bytes)
    }
}
