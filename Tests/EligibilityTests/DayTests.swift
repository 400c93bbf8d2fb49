import Testing
@testable import Eligibility

/// Calendar dates: parsing, leap years, whole months and years between dates, adding months at month ends.
struct DayTests {
    private func day(_ s: String) -> Day { Fixture.day(s) }

    @Test(arguments: [(2024, true), (2025, false), (2000, true), (1900, false), (2100, false), (2400, true), (1996, true), (2023, false)])
    func leapYears(_ year: Int, _ leap: Bool) {
        #expect(Day.isLeap(year) == leap)
        #expect(Day.daysIn(month: 2, year: year) == (leap ? 29 : 28))
    }

    @Test(arguments: [(1, 31), (3, 31), (4, 30), (6, 30), (7, 31), (8, 31), (9, 30), (11, 30), (12, 31)])
    func daysInMonths(_ month: Int, _ days: Int) {
        #expect(Day.daysIn(month: month, year: 2025) == days)
    }

    @Test(arguments: ["2025-01-01", "2024-02-29", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31", "2025-04-30", "2025-12-31"])
    func parsesRealDatesAndWritesThemBack(_ text: String) throws {
        let d = try #require(Day(iso: text))
        #expect(d.description == text)
    }

    @Test(arguments: ["2025-02-30", "2025-02-29", "1900-02-29", "2025-04-31", "2025-06-31", "2025-13-01", "2025-00-10",
                      "2025-01-00", "2025-01-32", "0000-01-01", "2025-1-01", "2025-01-1", "2025/01/01", "20250101",
                      "2025-01-01T00:00", " 2025-01-01", "abcd-ef-gh", "2025-0a-01", "", "-025-01-01"])
    func rejectsImpossibleOrMalformedDates(_ text: String) {
        #expect(Day(iso: text) == nil, "\(text)")
    }

    @Test func componentsRejectImpossibleDates() {
        #expect(Day(year: 2025, month: 2, day: 30) == nil)
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2025, month: 2, day: 0) == nil)
        #expect(Day(year: 10000, month: 1, day: 1) == nil)
    }

    @Test func ordinalsCountDaysFromTheEpoch() {
        #expect(day("1970-01-01").ordinal == 0)
        #expect(day("1970-01-02").ordinal == 1)
        #expect(day("1969-12-31").ordinal == -1)
        #expect(day("2000-03-01").ordinal - day("2000-02-28").ordinal == 2)
        #expect(day("2025-01-01").ordinal - day("2024-01-01").ordinal == 366)
        #expect(day("2026-01-01").ordinal - day("2025-01-01").ordinal == 365)
        #expect(day("2024-02-28") < day("2024-02-29") && day("2024-02-29") < day("2024-03-01"))
        #expect(day("0001-01-01").components == (1, 1, 1))
    }

    @Test(arguments: [
        ("2024-02-28", 1, "2024-02-29"), ("2024-02-28", 2, "2024-03-01"), ("2025-02-28", 1, "2025-03-01"),
        ("2025-12-31", 1, "2026-01-01"), ("2025-03-01", -1, "2025-02-28"), ("2024-03-01", -1, "2024-02-29"),
        ("2025-01-01", 365, "2026-01-01"),
    ])
    func addsDays(_ from: String, _ n: Int, _ expected: String) {
        #expect(day(from).adding(days: n)?.description == expected)
    }

    @Test(arguments: [
        ("2025-01-31", 1, "2025-02-28"),   // clamped to the end of a shorter month
        ("2024-01-31", 1, "2024-02-29"),   // leap year
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-01-30", 1, "2025-02-28"),
        ("2025-08-31", 6, "2026-02-28"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-01-15", -1, "2024-12-15"),
        ("2025-01-15", -13, "2023-12-15"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-02-28", 1, "2025-03-28"),   // not moved to the end of March
        ("2025-06-10", 0, "2025-06-10"),
        ("2025-06-10", 216, "2043-06-10"), // 18 years
    ])
    func addsMonths(_ from: String, _ n: Int, _ expected: String) {
        #expect(day(from).adding(months: n)?.description == expected)
    }

    @Test func addingMonthsPastTheCalendarIsNil() {
        #expect(day("9999-12-01").adding(months: 1) == nil)
        #expect(day("0001-01-01").adding(months: -1) == nil)
        #expect(day("0001-12-31").adding(months: -12) == nil)
        #expect(day("2025-01-01").adding(months: Int.max) == nil)
        #expect(day("2025-01-01").adding(months: Int.min) == nil)
    }

    @Test func addingDaysPastTheCalendarIsNil() {
        #expect(day("9999-12-31").adding(days: 1) == nil)
        #expect(day("9999-12-30").adding(days: 1) == day("9999-12-31"))
        #expect(day("0001-01-01").adding(days: -1) == nil)
        #expect(day("2025-01-01").adding(days: 3_000_000_000) == nil)
        #expect(day("2025-01-01").adding(days: Int.max) == nil)
        #expect(day("2025-01-01").adding(days: Int.min) == nil)
    }

    @Test func durationsFromAProfile() throws {
        let rules = try Fixture.rules(Self.dateRules)
        let json = #"{"case_id": "d", "state": "CA", "start": "2025-01-31", "n": 10, "members": [{}]}"#
        #expect(try Fixture.value("shifted_days", rules, json) == .date(Fixture.day("2025-02-10")))
        #expect(try Fixture.value("shifted_months", rules, json) == .date(Fixture.day("2024-03-31")))
        #expect(try Fixture.value("shifted_years", rules, json) == .date(Fixture.day("2035-01-31")))
    }

    /// A duration read from a profile can be any whole number: past the calendar the date is unknown, never a crash.
    @Test(arguments: [
        ("shifted_days", "3000000000"), ("shifted_days", "2000000000"), ("shifted_days", "-9000000000000000000"),
        ("shifted_years", "1000000000000000000"), ("shifted_years", "10000"), ("shifted_months", "9223372036854775807"),
    ])
    func hugeDurationsGiveUnknownDates(_ name: String, _ n: String) throws {
        let rules = try Fixture.rules(Self.dateRules)
        let json = #"{"case_id": "d", "state": "CA", "start": "2025-01-01", "n": \#(n), "members": [{}]}"#
        #expect(try Fixture.value(name, rules, json) == .unknown)
    }

    @Test(arguments: [
        ("2025-01-15", "2025-02-14", 0), ("2025-01-15", "2025-02-15", 1), ("2025-01-31", "2025-02-28", 0),
        ("2025-01-31", "2025-03-31", 2), ("2025-01-15", "2025-01-15", 0), ("2024-12-15", "2025-01-14", 0),
        ("2024-12-15", "2025-01-15", 1), ("2020-06-01", "2025-05-31", 59), ("2020-06-01", "2025-06-01", 60),
        ("2025-02-15", "2025-01-15", -1), ("2025-03-01", "2025-01-15", -1), ("2025-03-01", "2025-01-01", -2),
    ])
    func wholeMonthsBetween(_ a: String, _ b: String, _ months: Int) {
        #expect(day(a).months(to: day(b)) == months, "\(a) -> \(b)")
    }

    @Test(arguments: [
        ("2007-09-02", "2025-09-01", 17), ("2007-09-02", "2025-09-02", 18), ("2007-09-02", "2025-09-03", 18),
        ("2020-02-29", "2021-02-28", 0), ("2020-02-29", "2021-03-01", 1), ("2020-02-29", "2024-02-29", 4),
        ("2020-02-29", "2024-02-28", 3), ("1960-01-01", "2025-12-31", 65), ("2025-09-01", "2025-09-01", 0),
        ("2025-09-01", "2024-09-02", 0), ("2025-09-01", "2023-09-01", -2), ("2025-09-01", "2023-09-02", -1),
    ])
    func wholeYearsBetween(_ a: String, _ b: String, _ years: Int) {
        #expect(day(a).years(to: day(b)) == years, "\(a) -> \(b)")
    }

    // MARK: Through the language

    static let dateRules = """
        member fact birth_date : date "Born?"
        fact start : date "Start?"
        fact later : date "Later?"
        let plus_month = start + 1 months
        let minus_year = start - 1 years
        let plus_days = start + 30 days
        let whole_months = months_between(start, later)
        let whole_years = years_between(start, later)
        let day_count = days_between(start, later)
        let youngest = max birth_date over members
        fact n : integer "n?"
        let shifted_days = start + n days
        let shifted_months = start - n months
        let shifted_years = start + n years
        """

    @Test(arguments: [
        ("plus_month", "2024-01-31", "2024-03-01", Value.date(Fixture.day("2024-02-29"))),
        ("plus_month", "2025-01-31", "2025-03-01", .date(Fixture.day("2025-02-28"))),
        ("minus_year", "2024-02-29", "2025-01-01", .date(Fixture.day("2023-02-28"))),
        ("plus_days", "2025-02-15", "2025-03-01", .date(Fixture.day("2025-03-17"))),
        ("whole_months", "2025-01-31", "2025-02-28", Fixture.number("0")),
        ("whole_months", "2025-01-31", "2025-03-31", Fixture.number("2")),
        ("whole_years", "2007-09-02", "2025-09-01", Fixture.number("17")),
        ("whole_years", "2007-09-02", "2025-09-02", Fixture.number("18")),
        ("day_count", "2024-02-01", "2024-03-01", Fixture.number("29")),
        ("day_count", "2025-03-01", "2025-02-01", Fixture.number("-28")),
    ])
    func dateArithmeticInRules(_ name: String, _ start: String, _ later: String, _ expected: Value) throws {
        let rules = try Fixture.rules(Self.dateRules)
        let json = #"{"case_id": "d", "state": "CA", "start": "\#(start)", "later": "\#(later)", "members": [{}]}"#
        #expect(try Fixture.value(name, rules, json) == expected)
    }

    @Test func unknownDatesGiveUnknownResults() throws {
        let rules = try Fixture.rules(Self.dateRules)
        let json = #"{"case_id": "d", "state": "CA", "start": "2025-01-01", "members": [{"birth_date": "2020-01-01"}, {}]}"#
        for name in ["whole_months", "whole_years", "day_count", "youngest"] {
            #expect(try Fixture.value(name, rules, json) == .unknown, "\(name)")
        }
        #expect(try Fixture.value("plus_month", rules, json) == .date(Fixture.day("2025-02-01")))
    }

    @Test func latestDateOverMembers() throws {
        let rules = try Fixture.rules(Self.dateRules)
        let json = #"{"case_id": "d", "state": "CA", "members": [{"birth_date": "2020-01-01"}, {"birth_date": "2022-05-05"}, {"birth_date": "1990-12-31"}]}"#
        #expect(try Fixture.value("youngest", rules, json) == .date(Fixture.day("2022-05-05")))
    }
}
