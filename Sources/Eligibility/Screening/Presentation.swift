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
        // Digits are written backwards into a small buffer because explanations format many amounts.
        let (whole, cents) = amount.roundedMagnitude(decimals: 2)
        var dollars = whole
        let negative = amount.numerator < 0 && (whole != 0 || cents != 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        bytes.append(UInt8(48 + cents % 10))
        bytes.append(UInt8(48 + cents / 10))
        bytes.append(UInt8(ascii: "."))
        var digits = 0
        repeat {
            if digits > 0 && digits % 3 == 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(48 + dollars % 10))
            dollars /= 10
            digits += 1
        } while dollars > 0
        bytes.append(UInt8(ascii: "$"))
        if negative { bytes.append(UInt8(ascii: "-")) }
        return String(decoding: bytes.reversed(), as: UTF8.self)
    }

    /// `1829.00`, `-37.50`: an amount as a JSON or CSV number, rounded half away from zero to the cent.
    public static func moneyNumber(_ amount: Exact) -> String {
        withMoneyNumber(amount) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with `moneyNumber(amount)`'s text, written without a string: brief batch output writes one for
    /// each eligible program.
    static func withMoneyNumber<R>(_ amount: Exact, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // Rounding to the cent and then writing two decimals is rounding straight to two decimals.
        let (rounded, cents) = amount.roundedMagnitude(decimals: 2)
        var whole = rounded
        // A minus sign only when something is left after rounding, as `Exact.decimalString` writes it.
        let negative = amount.numerator < 0 && (rounded != 0 || cents != 0)
        // A sign, at most 20 digits, a point and two decimals, written backwards from the end.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var i = 24
            i -= 1; buffer[i] = UInt8(48 + cents % 10)
            i -= 1; buffer[i] = UInt8(48 + cents / 10)
            i -= 1; buffer[i] = UInt8(ascii: ".")
            repeat {
                i -= 1; buffer[i] = UInt8(48 + whole % 10)
                whole /= 10
            } while whole > 0
            if negative { i -= 1; buffer[i] = UInt8(ascii: "-") }
            return body(UnsafeBufferPointer(rebasing: buffer[i...]))
        }
    }
}
