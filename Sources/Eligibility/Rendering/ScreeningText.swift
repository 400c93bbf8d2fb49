/// Writes a screening for an intake worker at a terminal: what matters most first, then programs, referrals and questions.
public enum ScreeningText {
    public static func render(_ s: Screening, maxQuestions: Int = 5) -> String {
        var out = headline(s) + "\n"
        out += "Case \(s.caseId), \(s.state), screened for \(s.screeningDate) (rules \(s.rules.prefix(19)))\n"

        out += "\nPrograms\n"
        for p in workerOrder(s.programs) {
            var line = "  \(label(p.status).padding(12)) \(p.name) [\(p.id)]"
            if let b = p.estimatedMonthlyBenefit { line += ", about \(Presentation.money(b)) a month" }
            if p.enrolled { line += ", enrolled" }
            if p.unclaimed { line += ", UNCLAIMED" }
            out += line + "\n"
            if !p.benefitExplanation.isEmpty { out += "      benefit: \(p.benefitExplanation)\n" }
            for r in p.requirements where r.result != .met {
                out += "      \(r.result == .notMet ? "not met" : "unknown"): \(r.explanation.isEmpty ? (r.title ?? r.id) : r.explanation)\n"
            }
            if !p.missing.isEmpty { out += "      missing: \(p.missing.joined(separator: ", "))\n" }
        }

        out += "\nReferrals\n"
        if s.referrals.isEmpty { out += "  none\n" }
        for r in s.referrals {
            out += "  \(r.priority.rawValue.uppercased().padding(8)) \(r.title)\(r.to.map { " -> \($0)" } ?? "")\n"
            out += "           \(r.because)\n"
        }

        if let t = s.tier {
            out += "\nPrevention tier: \(t.tier) (\(t.title))\n"
            for reason in t.reasons { out += "  - \(reason)\n" }
        }

        if !s.questions.isEmpty {
            out += "\nAsk next\n"
            for (i, q) in s.questions.prefix(maxQuestions).enumerated() {
                out += "  \(i + 1). \(q.about.map { "About \($0): " } ?? "")\(q.ask) [\(q.fact)]\n     could settle: \(settles(q))\n"
            }
            if s.questions.count > maxQuestions { out += "  ... and \(s.questions.count - maxQuestions) more\n" }
        }
        if !s.notes.isEmpty {
            out += "\nNotes\n"
            for n in s.notes { out += "  - \(n)\n" }
        }
        return out
    }

    /// What a question could settle, short enough to read: program names, then how many other results.
    static func settles(_ q: Question) -> String {
        var programs: [String] = []
        var referrals = 0, others: [String] = []
        for (affect, label) in zip(q.affects, q.settles) {
            if affect.hasPrefix("referral:") { referrals += 1 }
            else if affect.contains(":") || affect == "prevention_tier" { others.append(label) }
            else { programs.append(label.split(separator: " [").first.map(String.init) ?? label) }
        }
        var parts = programs
        parts += others
        if referrals > 0 { parts.append("\(referrals) referral\(referrals == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    /// Programs in the order a worker reads them: cash assistance first, then decided eligible, undecided, and not eligible.
    static func workerOrder(_ programs: [ProgramResult]) -> [ProgramResult] {
        func rank(_ p: ProgramResult) -> Int {
            let kind = p.kind == "cash_assistance" ? 0 : p.kind == "emergency_assistance" ? 1 : 2
            let status = p.status == .eligible ? 0 : p.status == .needsInfo ? 1 : 2
            return status * 3 + kind
        }
        return programs.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The first line: "Unclaimed: CalWORKs, SNAP. Tier: secondary. 3 referrals."
    public static func headline(_ s: Screening) -> String {
        var parts: [String] = []
        let ordered = workerOrder(s.programs)
        if !s.unclaimedBenefits.isEmpty {
            parts.append("Unclaimed: \(ordered.filter(\.unclaimed).map(\.name).joined(separator: ", ")).")
        } else {
            let eligible = ordered.filter { $0.status == .eligible }.map(\.name)
            parts.append(eligible.isEmpty ? "No program is decided eligible yet." : "Eligible: \(eligible.joined(separator: ", ")).")
        }
        if let t = s.tier { parts.append("Tier: \(t.tier).") }
        parts.append("\(s.referrals.count) referral\(s.referrals.count == 1 ? "" : "s").")
        let undecided = s.programs.filter { $0.status == .needsInfo }.count
        if undecided > 0 { parts.append("\(undecided) undecided.") }
        return parts.joined(separator: " ")
    }

    static func label(_ status: ProgramStatus) -> String {
        switch status {
        case .eligible: "eligible"
        case .ineligible: "ineligible"
        case .needsInfo: "needs info"
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
