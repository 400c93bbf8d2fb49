/// Values written for people: `$1,829.00`, `130%`, `2026-11-01`, enum labels.
public struct Presentation: Sendable {
    public let enums: [EnumInfo]
    public init(enums: [EnumInfo]) { self.enums = enums }

    /// `strings` resolves text references (an evaluator's `string(_:)`).
    public func text(_ value: Value, as type: ValueType, strings: (Int32) -> String) -> String {
        switch (value, type) {
        case (.unknown, _): return "unknown"
        case (.bool(let b), _): return b ? "yes" : "no"
        case (.number(let n), .money): return Presentation.money(n)
        case (.number(let n), .percent):
            return (n.multiplied(by: Exact(100)) ?? n).decimalString(maxFraction: 2) + "%"
        case (.number(let n), .integer): return n.decimalString(maxFraction: 0)
        case (.number(let n), _): return n.decimalString(maxFraction: 4)
        case (.date(let d), _): return d.description
        case (.text(let s), _): return strings(s)
        case (.enumeration(let i), .enumeration(let e)) where e < enums.count && i < enums[e].values.count:
            return enums[e].label(i)
        case (.set(let bits), .set(let e)) where e < enums.count:
            let names = enums[e].values.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { enums[e].label($0) }
            return names.isEmpty ? "none" : names.joined(separator: ", ")
        default: return "\(value)"
        }
    }

    /// `$1,829.00`; negative amounts as `-$37.00`; rounded half away from zero to the cent for display only.
    public static func money(_ amount: Exact) -> String {
        // Rounded by decimalString, which cannot overflow, rather than by scaling to cents.
        let text = amount.decimalString(minFraction: 2, maxFraction: 2)
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: ".")
        let dollars = parts[0]
        var grouped = ""
        for (i, ch) in dollars.enumerated() {
            if i > 0 && (dollars.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return "\(negative ? "-" : "")$\(grouped).\(parts[1])"
    }

    /// The decimal text of an amount to the cent, as JSON writes it: `1018.00`.
    public static func moneyNumber(_ amount: Exact) -> String {
        (amount.rounded(.toNearestOrAwayFromZero, step: Exact(numerator: 1, denominator: 100)!) ?? amount).decimalString(minFraction: 2, maxFraction: 2)
    }
}
