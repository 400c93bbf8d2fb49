/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01 so comparison is integer comparison.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Nil for impossible dates such as 2025-02-30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        ordinal = Int32(Day.daysFromCivil(year, month, day))
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso text: some StringProtocol) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard b[i] >= 48 && b[i] <= 57 else { return nil }; v = v * 10 + Int(b[i] - 48) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(ordinal)) }

    public var description: String {
        let (y, m, d) = components
        // YYYY-MM-DD written digit by digit: dates are formatted for every result.
        let digits: [UInt8] = [
            UInt8(48 + y / 1000 % 10), UInt8(48 + y / 100 % 10), UInt8(48 + y / 10 % 10), UInt8(48 + y % 10), UInt8(ascii: "-"),
            UInt8(48 + m / 10), UInt8(48 + m % 10), UInt8(ascii: "-"), UInt8(48 + d / 10), UInt8(48 + d % 10),
        ]
        return String(decoding: digits, as: UTF8.self)
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    /// Nil past the calendar (before 0001-01-01 or after 9999-12-31).
    public func adding(days n: Int) -> Day? {
        let (sum, overflow) = Int(ordinal).addingReportingOverflow(n)
        guard !overflow, (Day.first.ordinal...Day.last.ordinal).contains(Int32(clamping: sum)) else { return nil }
        return Day(ordinal: Int32(sum))
    }

    static let first = Day(year: 1, month: 1, day: 1)!
    static let last = Day(year: 9999, month: 12, day: 31)!

    /// Adds calendar months, clamping the day to the end of a shorter month (Jan 31 + 1 month = Feb 28/29).
    public func adding(months n: Int) -> Day? {
        let (y, m, d) = components
        let (total, overflow) = (y * 12 + (m - 1)).addingReportingOverflow(n)
        guard !overflow, total >= 0 else { return nil }
        let ny = total / 12, nm = total % 12 + 1
        guard (1...9999).contains(ny) else { return nil }
        return Day(year: ny, month: nm, day: min(d, Day.daysIn(month: nm, year: ny)))
    }

    /// Whole months from `self` to `other` (negative when `other` is earlier).
    public func months(to other: Day) -> Int {
        if other < self { return -other.months(to: self) }
        let (y1, m1, d1) = components, (y2, m2, d2) = other.components
        var months = (y2 - y1) * 12 + (m2 - m1)
        if d2 < d1 { months -= 1 }
        return months
    }

    public func years(to other: Day) -> Int {
        let m = months(to: other)
        return m >= 0 ? m / 12 : -((-m) / 12)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-date algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
