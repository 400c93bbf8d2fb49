/// Writes a screening as the contract's JSON (shared/profile-format.md): stable key order, exact amounts, byte-identical for the same input.
///
/// `brief` (batch `--detail brief`) writes the decisions only: no names, citations, explanations,
/// reasons, missing facts or questions, which are the same for every family or were not computed.
public enum ScreeningJSON {
    public static func write(_ s: Screening, to w: inout JSONWriter, brief: Bool = false) {
        w.beginObject()
        w.member(static: "case_id", s.caseId)
        w.member(static: "screening_date", s.screeningDate.description)
        w.member(static: "rules", s.rules)
        w.key(static: "programs")
        w.beginArray()
        for p in s.programs {
            w.beginObject()
            w.member(static: "id", p.id)
            if !brief { w.member(static: "name", p.name) }
            w.member(static: "status", p.status.rawValue)
            w.key(static: "enrolled"); w.bool(p.enrolled)
            w.key(static: "unclaimed"); w.bool(p.unclaimed)
            if let b = p.estimatedMonthlyBenefit { w.key(static: "estimated_monthly_benefit"); w.number(Presentation.moneyNumber(b)) }
            if !p.benefitExplanation.isEmpty { w.member(static: "benefit_explanation", p.benefitExplanation) }
            w.key(static: "requirements")
            w.beginArray()
            for r in p.requirements {
                w.beginObject()
                w.member(static: "id", r.id)
                w.member(static: "result", r.result.rawValue)
                if !r.explanation.isEmpty { w.member(static: "explanation", r.explanation) }
                if let cite = r.cite, !brief { w.member(static: "cite", cite) }
                w.endObject()
            }
            w.endArray()
            if !brief {
                w.key(static: "missing")
                w.beginArray()
                for m in p.missing { w.string(m) }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.key(static: "prevention_tier")
        if let t = s.tier {
            w.beginObject()
            w.member(static: "tier", t.tier)
            if !brief {
                w.key(static: "reasons")
                w.beginArray()
                for r in t.reasons { w.string(r) }
                w.endArray()
            }
            w.endObject()
        } else { w.null() }
        w.key(static: "referrals")
        w.beginArray()
        for r in s.referrals {
            w.beginObject()
            w.member(static: "id", r.id)
            if !brief { w.member(static: "to", r.to ?? r.title) }
            w.member(static: "priority", r.priority.rawValue)
            if !r.because.isEmpty { w.member(static: "because", r.because) }
            if let p = r.program { w.member(static: "program", p) } else { w.key(static: "program"); w.null() }
            w.key(static: "requires_consent"); w.bool(r.requiresConsent)
            w.endObject()
        }
        w.endArray()
        w.key(static: "unclaimed_benefits")
        w.beginArray()
        for u in s.unclaimedBenefits { w.string(u) }
        w.endArray()
        if brief { w.endObject(); return }
        w.key(static: "questions")
        w.beginArray()
        for q in s.questions {
            w.beginObject()
            w.member(static: "fact", q.fact)
            w.member(static: "ask", q.ask)
            if let about = q.about { w.member(static: "about", about) }
            w.key(static: "affects")
            w.beginArray()
            for a in q.affects { w.string(a) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        if !s.notes.isEmpty {
            w.key(static: "notes")
            w.beginArray()
            for n in s.notes { w.string(n) }
            w.endArray()
        }
        w.endObject()
    }

    public static func string(_ s: Screening, pretty: Bool = true) -> String {
        var w = JSONWriter(style: pretty ? .pretty : .compact)
        write(s, to: &w)
        return w.text
    }
}
