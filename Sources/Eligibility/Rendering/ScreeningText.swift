/// Writes a screening for an intake worker at a terminal: what matters most first, then programs, referrals and questions.
public enum ScreeningText {
    public static func render(_ s: Screening, maxQuestions: Int = 5) -> String {
        var out = headline(s) + "\n"
        out += "Case \(s.caseId), \(s.state), screened for \(s.screeningDate) (rules \(s.rules.prefix(19)))\n"

        out += "\nPrograms\n"
        for p in s.programs {
            var line = "  \(label(p.status).padding(12)) \(p.name) [\(p.id)]"
            if let b = p.estimatedMonthlyBenefit { line += ", about \(Presentation.money(b)) a month" }
            if p.enrolled { line += ", enrolled" }
            if p.unclaimed { line += ", UNCLAIMED" }
            out += line + "\n"
            for r in p.requirements where r.result != .met || p.status == .eligible && false {
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
                out += "  \(i + 1). \(q.about.map { "About \($0): " } ?? "")\(q.ask) [\(q.fact)]\n     could settle: \(q.affects.joined(separator: ", "))\n"
            }
            if s.questions.count > maxQuestions { out += "  ... and \(s.questions.count - maxQuestions) more\n" }
        }
        if !s.notes.isEmpty {
            out += "\nNotes\n"
            for n in s.notes { out += "  - \(n)\n" }
        }
        return out
    }

    /// The first line: "Unclaimed: CalWORKs, SNAP. Tier: secondary. 3 referrals."
    public static func headline(_ s: Screening) -> String {
        let names = Dictionary(s.programs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var parts: [String] = []
        if !s.unclaimedBenefits.isEmpty {
            parts.append("Unclaimed: \(s.unclaimedBenefits.map { names[$0] ?? $0 }.joined(separator: ", ")).")
        } else {
            let eligible = s.programs.filter { $0.status == .eligible }.map(\.name)
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
