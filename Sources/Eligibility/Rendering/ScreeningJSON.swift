/// Writes a screening as the contract's JSON (shared/profile-format.md): stable key order, exact amounts, byte-identical for the same input.
///
/// `brief` (batch `--detail brief`) writes the decisions only: no names, citations, explanations,
/// reasons, missing facts or questions, which are the same for every family or were not computed.
public enum ScreeningJSON {
    public static func write(_ s: Screening, to w: inout JSONWriter, brief: Bool = false) {
        w.beginObject()
        w.member("case_id", s.caseId)
        w.member("screening_date", s.screeningDate.description)
        w.member("rules", s.rules)
        w.key("programs")
        w.beginArray()
        for p in s.programs {
            w.beginObject()
            w.member("id", p.id)
            if !brief { w.member("name", p.name) }
            w.member("status", p.status.rawValue)
            w.key("enrolled"); w.bool(p.enrolled)
            w.key("unclaimed"); w.bool(p.unclaimed)
            if let b = p.estimatedMonthlyBenefit { w.key("estimated_monthly_benefit"); w.number(Presentation.moneyNumber(b)) }
            if !p.benefitExplanation.isEmpty { w.member("benefit_explanation", p.benefitExplanation) }
            w.key("requirements")
            w.beginArray()
            for r in p.requirements {
                w.beginObject()
                w.member("id", r.id)
                w.member("result", r.result.rawValue)
                if !r.explanation.isEmpty { w.member("explanation", r.explanation) }
                if let cite = r.cite, !brief { w.member("cite", cite) }
                w.endObject()
            }
            w.endArray()
            if !brief {
                w.key("missing")
                w.beginArray()
                for m in p.missing { w.string(m) }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.key("prevention_tier")
        if let t = s.tier {
            w.beginObject()
            w.member("tier", t.tier)
            if !brief {
                w.key("reasons")
                w.beginArray()
                for r in t.reasons { w.string(r) }
                w.endArray()
            }
            w.endObject()
        } else { w.null() }
        w.key("referrals")
        w.beginArray()
        for r in s.referrals {
            w.beginObject()
            w.member("id", r.id)
            if !brief { w.member("to", r.to ?? r.title) }
            w.member("priority", r.priority.rawValue)
            if !r.because.isEmpty { w.member("because", r.because) }
            if let p = r.program { w.member("program", p) } else { w.key("program"); w.null() }
            w.key("requires_consent"); w.bool(r.requiresConsent)
            w.endObject()
        }
        w.endArray()
        w.key("unclaimed_benefits")
        w.beginArray()
        for u in s.unclaimedBenefits { w.string(u) }
        w.endArray()
        if brief { w.endObject(); return }
        w.key("questions")
        w.beginArray()
        for q in s.questions {
            w.beginObject()
            w.member("fact", q.fact)
            w.member("ask", q.ask)
            if let about = q.about { w.member("about", about) }
            w.key("affects")
            w.beginArray()
            for a in q.affects { w.string(a) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        if !s.notes.isEmpty {
            w.key("notes")
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
