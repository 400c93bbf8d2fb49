import Testing
import TestSupport
@testable import Eligibility

/// Exact rationals: what money, decimals and percentages are computed with.
struct ExactTests {
    // MARK: Parsing decimal text

    @Test(arguments: [
        ("1829", Exact(1829, 1)),
        ("1829.00", Exact(1829, 1)),
        ("0.5", Exact(1, 2)),
        ("-0.5", Exact(-1, 2)),
        ("+2.50", Exact(5, 2)),
        ("0.125", Exact(1, 8)),
        ("007", Exact(7, 1)),
        (".5", Exact(1, 2)),
        ("5.", Exact(5, 1)),
        ("1e3", Exact(1000, 1)),
        ("2.5E-1", Exact(1, 4)),
        ("-1.5e2", Exact(-150, 1)),
        ("0.10", Exact(1, 10)),
        ("-0", Exact(0, 1)),
        ("9223372036854775807", Exact(Int64.max, 1)),
        ("0.000000000000000001", Exact(1, 1_000_000_000_000_000_000)),
    ])
    func parsesDecimalText(_ text: String, _ expected: Exact) {
        #expect(Exact(decimal: text) == expected, "\(text)")
    }

    @Test(arguments: ["", "-", "+", ".", "1.2.3", "12a", "$5", "1,000", " 1", "1 ", "1e", "1e+", "1e19", "1e-19",
                      "99999999999999999999", "9223372036854775808", "0.0000000000000000001", "e5", "--1", "1-"])
    func rejectsWhatIsNotADecimal(_ text: String) {
        #expect(Exact(decimal: text) == nil, "\(text)")
    }

    // MARK: Reduction

    @Test(arguments: [
        (6, 4, 3, 2), (6, -4, -3, 2), (-6, -4, 3, 2), (0, 5, 0, 1), (0, -5, 0, 1), (100, 100, 1, 1), (7, 1, 7, 1),
        (34645, 12, 34645, 12), (2_887_08, 100, 72177, 25),
    ] as [(Int64, Int64, Int64, Int64)])
    func reducesToLowestTermsWithAPositiveDenominator(_ n: Int64, _ d: Int64, _ rn: Int64, _ rd: Int64) throws {
        let x = try #require(Exact(numerator: n, denominator: d))
        #expect((x.numerator, x.denominator) == (rn, rd))
    }

    @Test func aZeroDenominatorIsNotANumber() {
        #expect(Exact(numerator: 1, denominator: 0) == nil)
        #expect(Exact(numerator: 0, denominator: 0) == nil)
    }

    @Test func equalValuesAreEqualHowEverTheyWereWritten() {
        #expect(Exact(decimal: "1829.00") == Exact(decimal: "1829"))
        #expect(Exact(decimal: "0.50") == Exact(1, 2))
        #expect(Set([Exact(decimal: "1.0")!, Exact(decimal: "1")!, Exact(2, 2)]).count == 1)
    }

    // MARK: Arithmetic

    enum Op: String, CaseIterable, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    static func apply(_ op: Op, _ a: Exact, _ b: Exact) -> Exact? {
        switch op {
        case .add: a.adding(b)
        case .subtract: a.subtracting(b)
        case .multiply: a.multiplied(by: b)
        case .divide: a.divided(by: b)
        }
    }

    @Test(arguments: [
        (Exact(1, 3), Op.add, Exact(1, 6), Exact(1, 2)),
        (Exact(1, 10), .add, Exact(2, 10), Exact(3, 10)),            // 0.1 + 0.2 is exactly 0.3
        (Exact(1, 2), .subtract, Exact(3, 4), Exact(-1, 4)),
        (Exact(-5, 1), .subtract, Exact(-5, 1), Exact(0, 1)),
        (Exact(2, 3), .multiply, Exact(3, 4), Exact(1, 2)),
        (Exact(-2, 3), .multiply, Exact(3, -4), Exact(1, 2)),
        (Exact(1, 2), .divide, Exact(1, 4), Exact(2, 1)),
        (Exact(1, 2), .divide, Exact(-1, 4), Exact(-2, 1)),
        (Exact(0, 1), .divide, Exact(7, 3), Exact(0, 1)),
        (Exact(13, 10), .multiply, Exact(26650, 1), Exact(34645, 1)),  // 130% of $26,650
        (Exact(34645, 1), .divide, Exact(12, 1), Exact(34645, 12)),    // / 12 months, kept exact
        (Exact(182900, 100), .subtract, Exact(1829, 1), Exact(0, 1)),
    ])
    func arithmetic(_ a: Exact, _ op: Op, _ b: Exact, _ expected: Exact) {
        #expect(Self.apply(op, a, b) == expected, "\(a) \(op.rawValue) \(b)")
    }

    @Test func divisionByZeroIsNotANumber() {
        #expect(Exact(5).divided(by: .zero) == nil)
        #expect(Exact.zero.divided(by: .zero) == nil)
    }

    @Test(arguments: [
        (Exact(Int64.max), Op.add, Exact(1)),
        (Exact(-Int64.max), Op.subtract, Exact(2)),
        (Exact(Int64.max), Op.multiply, Exact(2)),
        (Exact(1, Int64.max), Op.add, Exact(1, Int64.max - 1)),       // the common denominator overflows
        (Exact(Int64.max), Op.divide, Exact(1, 2)),
        (Exact(1, 3_037_000_499), Op.multiply, Exact(1, 3_037_000_507)),
    ])
    func overflowIsReportedNotWrapped(_ a: Exact, _ op: Op, _ b: Exact) {
        #expect(Self.apply(op, a, b) == nil, "\(a) \(op.rawValue) \(b)")
    }

    @Test func multiplicationCrossReducesSoLargeFactorsCancel() {
        // (2^40 / 3) * (3 / 2^40): the naive products are 2^40 * 3, fine, but (2^62/3) * (3/2^62) overflows unless reduced first.
        let big = Int64(1) << 62
        #expect(Exact(big, 3).multiplied(by: Exact(3, big)) == .one)
        #expect(Exact(big, 7).divided(by: Exact(big, 7)) == .one)
    }

    // MARK: Comparison

    @Test(arguments: [
        (Exact(1, 3), Exact(1, 2)),
        (Exact(-1, 2), Exact(-1, 3)),
        (Exact(-1, 2), Exact(0)),
        (Exact(182899, 100), Exact(1829)),
        (Exact(288708, 100), Exact(34645, 12)),       // $2,887.08 < 2,887.0833...
        (Exact(34645, 12), Exact(288709, 100)),       // 2,887.0833... < $2,887.09
        // Cross products overflow 64 bits: compared in 128.
        (Exact(Int64.max, Int64.max - 1), Exact(Int64.max - 1, Int64.max - 2)),
        (Exact(-Int64.max, 3), Exact(1, Int64.max)),
        (Exact(Int64.max - 2, Int64.max - 1), Exact(Int64.max - 1, Int64.max)),
        (Exact(-(Int64.max - 1), Int64.max - 2), Exact(-Int64.max, Int64.max - 1)),
    ])
    func ordersExactly(_ smaller: Exact, _ larger: Exact) {
        #expect(smaller < larger, "\(smaller) < \(larger)")
        #expect(!(larger < smaller))
        #expect(smaller != larger)
        #expect(smaller <= larger && larger > smaller)
    }

    @Test func equalFractionsAreNeitherLessNorGreater() {
        let a = Exact(182900, 100), b = Exact(1829)
        #expect(a == b && !(a < b) && !(b < a) && a <= b && a >= b)
    }

    // MARK: Rounding

    enum Rule: String, Sendable { case round, floor, ceil
        var rule: FloatingPointRoundingRule { switch self { case .round: .toNearestOrAwayFromZero; case .floor: .down; case .ceil: .up } }
    }

    @Test(arguments: [
        // value, rule, step, expected
        ("2.5", Rule.round, "1", "3"),
        ("-2.5", .round, "1", "-3"),
        ("3.5", .round, "1", "4"),          // away from zero, not to even
        ("2.4999", .round, "1", "2"),
        ("-2.4999", .round, "1", "-2"),
        ("2.5", .floor, "1", "2"),
        ("-2.5", .floor, "1", "-3"),
        ("-2", .floor, "1", "-2"),
        ("2.1", .ceil, "1", "3"),
        ("-2.5", .ceil, "1", "-2"),
        ("7", .ceil, "1", "7"),
        ("0.333333", .round, "0.01", "0.33"),
        ("0.005", .round, "0.01", "0.01"),
        ("-0.005", .round, "0.01", "-0.01"),
        ("0.0049", .round, "0.01", "0"),
        ("1234.5", .round, "10", "1230"),
        ("1235", .round, "10", "1240"),
        ("-1235", .round, "10", "-1240"),
        ("1.125", .round, "0.25", "1.25"),
        ("1.124", .round, "0.25", "1"),
        ("7", .floor, "5", "5"),
        ("-7", .floor, "5", "-10"),
        ("7", .ceil, "5", "10"),
        ("10", .ceil, "5", "10"),
        ("2887.089", .floor, "0.01", "2887.08"),
        ("2887.081", .ceil, "0.01", "2887.09"),
    ])
    func rounds(_ value: String, _ rule: Rule, _ step: String, _ expected: String) {
        let x = Exact(decimal: value)!, s = Exact(decimal: step)!
        #expect(x.rounded(rule.rule, step: s) == Exact(decimal: expected), "\(rule)(\(value), \(step))")
    }

    @Test func roundsAThirdOfAGuidelineToCentsAndDollars() {
        let limit = Exact(34645, 12)  // 130% * $26,650 / 12 = $2,887.0833...
        #expect(limit.rounded(.toNearestOrAwayFromZero, step: Exact(1, 100)) == Exact(decimal: "2887.08"))
        #expect(limit.rounded(.up, step: Exact(1, 100)) == Exact(decimal: "2887.09"))
        #expect(limit.rounded(.down, step: .one) == Exact(2887))
        #expect(limit.rounded(.up, step: .one) == Exact(2888))
    }

    @Test func aStepMustBePositive() {
        #expect(Exact(5).rounded(.down, step: .zero) == nil)
        #expect(Exact(5).rounded(.down, step: Exact(-1)) == nil)
    }

    @Test func truncatesTowardZero() {
        #expect(Exact(7, 2).truncated == 3)
        #expect(Exact(-7, 2).truncated == -3)
    }

    // MARK: Decimal text

    @Test(arguments: [
        (Exact(5), 0, 6, "5"),
        (Exact(1, 8), 0, 6, "0.125"),
        (Exact(1, 3), 0, 6, "0.333333"),
        (Exact(2, 3), 0, 6, "0.666667"),
        (Exact(-1, 2), 0, 6, "-0.5"),
        (Exact(1829), 2, 2, "1829.00"),
        (Exact(18291, 10), 2, 2, "1829.10"),
        (Exact(1, 3), 0, 2, "0.33"),
        (Exact(5, 1000), 0, 2, "0.01"),
        (Exact(-5, 1000), 0, 2, "-0.01"),
        (Exact(-1, 1000), 0, 2, "0"),            // no negative zero
        (Exact(-1, 1000), 2, 2, "0.00"),
        (Exact(2468, 2), 0, 0, "1234"),
        (Exact(2469, 2), 0, 0, "1235"),          // 1234.5 rounds away from zero
        (Exact(34645, 12), 2, 2, "2887.08"),
        (Exact(34645, 12), 0, 4, "2887.0833"),
        (Exact(999_999, 1_000_000), 0, 2, "1"),  // carries into the whole part
        (Exact(-999_999, 1_000_000), 0, 2, "-1"),
        (Exact(120, 100), 0, 6, "1.2"),
    ])
    func writesDecimalText(_ x: Exact, _ minFraction: Int, _ maxFraction: Int, _ expected: String) {
        #expect(x.decimalString(minFraction: minFraction, maxFraction: maxFraction) == expected)
    }

    @Test func writesLargeValuesWithoutOverflow() {
        #expect(Exact(10_000_000_000_000).decimalString() == "10000000000000")
        #expect(Exact(Int64.max).decimalString(maxFraction: 2) == "9223372036854775807")
        #expect(Exact(-Int64.max).decimalString() == "-9223372036854775807")
        #expect(Exact(Int64.max, 100).decimalString(minFraction: 2, maxFraction: 2) == "92233720368547758.07")
        #expect(Exact(Int64.max - 1, Int64.max).decimalString() == "1")
    }

    @Test func moneyTextForLargeAmounts() {
        #expect(Presentation.money(Exact(100_000_000_000_000_000)) == "$100,000,000,000,000,000.00")
        #expect(Presentation.money(Exact(-Int64.max, 100)) == "-$92,233,720,368,547,758.07")
        #expect(Presentation.money(Exact(Int64.max - 1, Int64.max)) == "$1.00")
    }

    @Test func theSmallestInt64IsOverflowSoNegationNeverTraps() {
        #expect(Exact(-Int64.max).subtracting(.one) == nil)
        #expect(Exact(Int64(1) << 62).multiplied(by: Exact(-2)) == nil)
        #expect(Exact(numerator: Int64.min, denominator: 1) == nil)
        #expect(Exact(numerator: 1, denominator: Int64.min) == nil)
        #expect(Exact(-Int64.max).negated() == Exact(Int64.max))
    }

    @Test func overflowInARuleIsUnknownNotACrash() throws {
        let rules = try Fixture.rules("""
            fact x : decimal "x?"
            let y = 0 - (x - 1)
            """)
        let json = #"{"case_id": "o", "state": "CA", "x": -9223372036854775807, "members": [{}]}"#
        #expect(try Fixture.value("y", rules, json) == .unknown)
    }

    @Test func descriptionIsTheDecimalText() {
        #expect(Exact(34645, 12).description == "2887.083333")
        #expect("\(Exact(-3, 4))" == "-0.75")
    }
}

/// Products and quotients come out in lowest terms without a final reduction; checked against reducing afresh.
@Suite struct ExactProductTests {
    @Test func productsAndQuotientsAreInLowestTerms() throws {
        var rng = SplitMix(seed: 3)
        let denominators: [Int64] = [1, 2, 3, 4, 5, 10, 12, 25, 100, 1000, 7, 365]
        func random() -> Exact {
            let n = Int64(rng.next() % 2_000_001) - 1_000_000
            return Exact(numerator: n, denominator: denominators[Int(rng.next() % UInt64(denominators.count))])!
        }
        for _ in 0..<20_000 {
            let a = random(), b = random()
            let product = try #require(a.multiplied(by: b))
            #expect(Exact(numerator: product.numerator, denominator: product.denominator) == product)
            #expect(product.denominator > 0)
            if b != .zero {
                let quotient = try #require(a.divided(by: b))
                #expect(Exact(numerator: quotient.numerator, denominator: quotient.denominator) == quotient)
                #expect(quotient.denominator > 0)
            }
        }
        #expect(Exact.zero.multiplied(by: Exact(numerator: 3, denominator: 100)!) == .zero)
        #expect(Exact(numerator: 3, denominator: 100)!.multiplied(by: .zero)?.denominator == 1)
    }

    // Both ways of computing it: remainders when one number fits in 32 bits, binary steps when neither does.
    @Test(arguments: [(0, 0, 0), (0, 5, 5), (12, 18, 6), (17, 5, 1), (100, 75, 25), (1 << 40, 1 << 20, 1 << 20), (UInt64.max, 1, 1),
                      (4_294_967_295, 1 << 40, 1), (6, 1 << 62, 2), (4_294_967_295, 4_294_967_295 * 3, 4_294_967_295),
                      (3 << 40, 9 << 36, 3 << 36), (7 << 33, 21 << 34, 7 << 33), (UInt64.max, UInt64.max - 1, 1)] as [(UInt64, UInt64, UInt64)])
    func greatestCommonDivisor(_ a: UInt64, _ b: UInt64, _ g: UInt64) {
        #expect(Exact.gcd(a, b) == g)
        #expect(Exact.gcd(b, a) == g)
    }

    @Test func greatestCommonDivisorAgreesWithEuclid() {
        func euclid(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? a : euclid(b, a % b) }
        // Every divisor the table holds and the first one past it, against numbers around its multiples.
        for d in UInt64(1)...UInt64(Exact.SmallDivisors.bound) {
            for n in [0, 1, d - 1, d, d + 1, 2 * d, 7 * d + 3, 360 * d, 1_000_003 * d, 999_999_937, UInt64.max - d, UInt64.max] {
                #expect(Exact.gcd(n, d) == euclid(n, d) && Exact.gcd(d, n) == euclid(n, d), "gcd(\(n), \(d))")
            }
        }
        var rng = SplitMix(seed: 11)
        for _ in 0..<20_000 {
            // Magnitudes from a few bits to 64, with shared factors, so both ways are taken.
            let common = rng.next() >> (40 + rng.next() % 24)
            let a = (rng.next() >> (rng.next() % 64)) &* max(common, 1), b = (rng.next() >> (rng.next() % 64)) &* max(common, 1)
            #expect(Exact.gcd(a, b) == euclid(a, b), "gcd(\(a), \(b))")
        }
    }
}
