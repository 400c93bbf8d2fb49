// caseload: writes a deterministic, realistic caseload for benchmarks and demos.
//
//   caseload COUNT [--seed N] [--format jsonl|csv] [--unknown PERCENT]
//
// Households of 1 to 8 people, incomes clustered around the poverty-based thresholds programs use,
// the nine screener states plus others, every child-welfare stage, and a few percent of facts left
// unknown. The same COUNT and seed always give the same bytes.
import Foundation

/// SplitMix64: small, fast and identical on every platform, so caseloads are reproducible.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [(T, Int)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var r = below(total)
        for (item, weight) in items { if r < weight { return item }; r -= weight }
        return items[items.count - 1].0
    }
}

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    defer { args.removeSubrange(i...(i + 1)) }
    return args[i + 1]
}
let seed = UInt64(option("--seed") ?? "42") ?? 42
let format = option("--format") ?? "jsonl"
let unknownPercent = Int(option("--unknown") ?? "4") ?? 4
guard let countText = args.first, let count = Int(countText), count >= 0, format == "jsonl" || format == "csv" else {
    FileHandle.standardError.write(Data("usage: caseload COUNT [--seed N] [--format jsonl|csv] [--unknown PERCENT]\n".utf8))
    exit(2)
}

var rng = SplitMix64(state: seed)
let states: [(String, Int)] = [("CA", 20), ("MA", 8), ("VT", 4), ("NJ", 8), ("AL", 8), ("NC", 10), ("WI", 8), ("MI", 10), ("TN", 10), ("TX", 7), ("NY", 7)]
let counties: [String: [String]] = [
    "CA": ["Los Angeles", "Fresno", "San Diego", "Alameda", "Kern", "Sacramento"], "MA": ["Suffolk", "Worcester", "Hampden"],
    "VT": ["Chittenden", "Rutland", "Washington"], "NJ": ["Essex", "Camden", "Passaic"], "AL": ["Jefferson", "Mobile", "Montgomery"],
    "NC": ["Mecklenburg", "Wake", "Guilford", "Robeson"], "WI": ["Milwaukee", "Dane", "Brown"], "MI": ["Wayne", "Kent", "Genesee"],
    "TN": ["Shelby", "Davidson", "Knox"], "TX": ["Harris", "Dallas"], "NY": ["Kings", "Bronx"],
]
let stages: [(String, Int)] = [("none", 25), ("screened_out", 15), ("referral", 10), ("investigation", 20), ("in_home_case", 12),
                               ("out_of_home_case", 8), ("reunification", 5), ("post_permanency", 5)]
let housing: [(String, Int)] = [("stable", 55), ("at_risk", 20), ("doubled_up", 10), ("shelter", 10), ("unsheltered", 5)]
let programs = ["tanf", "snap", "wic", "medicaid", "chip", "ssi", "liheap", "child_care_subsidy", "head_start"]
let needsList = ["food", "housing", "utilities", "child_care", "transportation", "employment", "mental_health", "substance_use", "domestic_violence"]
// Monthly poverty line by size (2026 guideline / 12), to place incomes around program thresholds.
func povertyLine(_ size: Int) -> Double { (15960 + 5680 * Double(size - 1)) / 12 }

struct Member { var fields: [(String, String)] }  // (name, JSON literal); CSV uses the raw text

func money(_ x: Double) -> String { String(format: "%.2f", max(0, x)) }

@MainActor func household(_ n: Int) -> (top: [(String, String)], members: [Member]) {
    let state = rng.pick(states)
    let kinship = rng.chance(8)
    let adults = kinship ? 1 : rng.pick([(1, 55), (2, 45)])
    let children = rng.pick([(0, 6), (1, 28), (2, 30), (3, 20), (4, 10), (5, 4), (6, 2)])
    let size = adults + children
    // Income as a share of the poverty line, clustered near 100%, 130% and 185%.
    let ratio = rng.pick([(0.0, 15), (0.4, 15), (0.8, 15), (1.0, 12), (1.3, 12), (1.6, 8), (1.85, 8), (2.5, 10), (4.0, 5)]) + Double(rng.below(21) - 10) / 100
    let income = povertyLine(size) * ratio
    var top: [(String, String)] = [("case_id", "\"c-\(n)\""), ("screening_date", "\"2026-11-01\""), ("state", "\"\(state)\"")]
    if let cs = counties[state], !rng.chance(unknownPercent) { top.append(("county", "\"\(cs[rng.below(cs.count)])\"")) }
    if !rng.chance(unknownPercent * 2) { top.append(("resources", money(Double(rng.pick([(0, 30), (150, 25), (900, 20), (2500, 15), (9000, 10)]))))) }
    if rng.chance(40) { top.append(("vehicle_value", money(Double(rng.below(15000))))) }
    if !rng.chance(unknownPercent) { top.append(("housing", "\"\(rng.pick(housing))\"")) }
    top.append(("rent", money(Double(400 + rng.below(1400)))))
    if !rng.chance(unknownPercent) { top.append(("utility_shutoff_notice", rng.chance(12) ? "true" : "false")) }
    var enrolled: [String] = []
    for p in programs where rng.chance(p == "snap" ? 35 : p == "medicaid" ? 40 : 8) { enrolled.append(p) }
    if !rng.chance(unknownPercent) { top.append(("enrolled", "[" + enrolled.map { "\"\($0)\"" }.joined(separator: ",") + "]")) }
    var needs: [String] = []
    for p in needsList where rng.chance(10) { needs.append(p) }
    top.append(("needs", "[" + needs.map { "\"\($0)\"" }.joined(separator: ",") + "]"))
    let stage = rng.pick(stages)
    top.append(("child_welfare.stage", "\"\(stage)\""))
    if stage != "none" && stage != "screened_out" { top.append(("child_welfare.substantiated", rng.chance(35) ? "true" : "false")) }
    if stage != "none" { top.append(("child_welfare.imminent_risk_of_removal", rng.chance(15) ? "true" : "false")) }
    if stage == "out_of_home_case" || stage == "reunification" { top.append(("child_welfare.housing_barrier_to_reunification", rng.chance(30) ? "true" : "false")) }
    if !rng.chance(unknownPercent * 3) { top.append(("consent_to_share", rng.chance(70) ? "true" : "false")) }

    var members: [Member] = []
    for a in 0..<adults {
        var m = Member(fields: [("relationship", a == 0 ? "\"caregiver\"" : "\"spouse\"")])
        let age = kinship ? 50 + rng.below(25) : 17 + rng.below(30)
        m.fields.append(("age", "\(age)"))
        let earns = a == 0 ? income * (kinship ? 0.2 : 0.8) : income * 0.2
        if !rng.chance(unknownPercent) { m.fields.append(("earned_income", money(earns))) }
        if !rng.chance(unknownPercent) { m.fields.append(("unearned_income", money(kinship ? income * 0.8 : Double(rng.pick([(0, 80), (200, 15), (600, 5)]))))) }
        if age < 45, !rng.chance(unknownPercent) { m.fields.append(("pregnant", rng.chance(6) ? "true" : "false")) }
        m.fields.append(("citizenship", rng.chance(90) ? "\"citizen\"" : "\"qualified_immigrant\""))
        m.fields.append(("disabled", rng.chance(6) ? "true" : "false"))
        if !rng.chance(unknownPercent) { m.fields.append(("tanf_months_used", "\(rng.pick([(0, 60), (12, 20), (40, 15), (61, 5)]))")) }
        members.append(m)
    }
    for _ in 0..<children {
        let age = rng.below(18)
        var m = Member(fields: [("relationship", kinship ? "\"other_relative\"" : rng.chance(4) ? "\"foster_child\"" : "\"child\""), ("age", "\(age)")])
        if age >= 14 { m.fields.append(("in_school", rng.chance(90) ? "true" : "false")); m.fields.append(("earned_income", "0")) }
        m.fields.append(("citizenship", "\"citizen\""))
        if rng.chance(3) { m.fields.append(("in_foster_care", "true")) }
        members.append(m)
    }
    return (top, members)
}

var out = [UInt8]()
out.reserveCapacity(1 << 20)
@MainActor func flush() { FileHandle.standardOutput.write(Data(out)); out.removeAll(keepingCapacity: true) }

if format == "jsonl" {
    for n in 1...max(count, 1) where count > 0 {
        let (top, members) = household(n)
        var parts: [String] = []
        var cw: [String] = []
        for (k, v) in top {
            if k.hasPrefix("child_welfare.") { cw.append("\"\(k.dropFirst(14))\":\(v)") } else { parts.append("\"\(k)\":\(v)") }
        }
        parts.append("\"child_welfare\":{" + cw.joined(separator: ",") + "}")
        parts.append("\"members\":[" + members.map { "{" + $0.fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}" }.joined(separator: ",") + "]")
        out.append(contentsOf: ("{" + parts.joined(separator: ",") + "}\n").utf8)
        if out.count > 1 << 20 { flush() }
    }
} else {
    let topColumns = ["case_id", "screening_date", "state", "county", "resources", "vehicle_value", "housing", "rent", "utility_shutoff_notice",
                      "enrolled", "needs", "child_welfare.stage", "child_welfare.substantiated", "child_welfare.imminent_risk_of_removal",
                      "child_welfare.housing_barrier_to_reunification", "consent_to_share"]
    let memberColumns = ["relationship", "age", "earned_income", "unearned_income", "pregnant", "in_school", "citizenship", "disabled", "tanf_months_used", "in_foster_care"]
    out.append(contentsOf: ((topColumns + memberColumns).joined(separator: ",") + "\n").utf8)
    func cell(_ json: String) -> String {
        if json.hasPrefix("[") { return json.dropFirst().dropLast().replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: ",", with: ";") }
        return json.replacingOccurrences(of: "\"", with: "")
    }
    for n in 1...max(count, 1) where count > 0 {
        let (top, members) = household(n)
        let topValues = topColumns.map { c in top.first { $0.0 == c }.map { cell($0.1) } ?? "" }
        for m in members {
            let memberValues = memberColumns.map { c in m.fields.first { $0.0 == c }.map { cell($0.1) } ?? "" }
            out.append(contentsOf: ((topValues + memberValues).joined(separator: ",") + "\n").utf8)
        }
        if out.count > 1 << 20 { flush() }
    }
}
flush()
