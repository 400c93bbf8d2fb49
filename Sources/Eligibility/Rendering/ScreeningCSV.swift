/// Writes screenings as CSV: one row per case and program, for spreadsheets and statistics tools.
public enum ScreeningCSV {
    public static let columns = ["case_id", "screening_date", "state", "program", "name", "status", "enrolled", "unclaimed",
                                 "estimated_monthly_benefit", "missing", "prevention_tier", "referrals", "rules"]
    public static var header: String { columns.joined(separator: ",") + "\n" }

    public static func append(_ s: Screening, to out: inout [UInt8]) {
        let referrals = s.referrals.map(\.id).joined(separator: ";")
        for p in s.programs {
            let fields = [s.caseId, s.screeningDate.description, s.state, p.id, p.name, p.status.rawValue, p.enrolled ? "true" : "false",
                          p.unclaimed ? "true" : "false", p.estimatedMonthlyBenefit.map(Presentation.moneyNumber) ?? "",
                          p.missing.joined(separator: ";"), s.tier?.tier ?? "", referrals, s.rules]
            for (i, f) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendField(f, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Quotes a field only when it holds a comma, quote, line break or edge spaces (RFC 4180).
    static func appendField(_ f: String, to out: inout [UInt8]) {
        let needsQuotes = f.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 } || f.hasPrefix(" ") || f.hasSuffix(" ")
        if !needsQuotes { out.append(contentsOf: f.utf8); return }
        out.append(34)
        for b in f.utf8 {
            if b == 34 { out.append(34) }
            out.append(b)
        }
        out.append(34)
    }
}
