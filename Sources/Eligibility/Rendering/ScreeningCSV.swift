/// Writes screenings as CSV: one row per case and program, for spreadsheets and statistics tools.
public enum ScreeningCSV {
    public static let columns = ["case_id", "screening_date", "state", "program", "name", "status", "enrolled", "unclaimed",
                                 "estimated_monthly_benefit", "missing", "prevention_tier", "referrals", "rules"]
    public static var header: String { columns.joined(separator: ",") + "\n" }

    public static func append(_ s: Screening, to out: inout [UInt8]) {
        var csv = CSVWriter(reservingCapacity: 256 * s.programs.count)
        let referrals = s.referrals.map(\.id).joined(separator: ";")
        for p in s.programs {
            csv.writeRecord([s.caseId, s.screeningDate.description, s.state, p.id, p.name, p.status.rawValue, p.enrolled ? "true" : "false",
                             p.unclaimed ? "true" : "false", p.estimatedMonthlyBenefit.map(Presentation.moneyNumber) ?? "",
                             p.missing.joined(separator: ";"), s.tier?.tier ?? "", referrals, s.rules])
        }
        out.append(contentsOf: csv.bytes)
    }
}
