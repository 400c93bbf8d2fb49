/// An exact rational number: money, decimals and percentages are compared without rounding.
///
/// Policy figures are decimals and percentages of them (130% of a guideline divided by 12),
/// which binary floating point cannot hold exactly; a reduced fraction of two integers can.
public struct Exact: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    /// Always positive.
    public let denominator: Int64

    public static let zero = Exact(0)
    public static let one = Exact(1)

    public init(_ integer: Int64) { numerator = integer; denominator = 1 }

    /// Reduces; nil when the denominator is zero.
    public init?(numerator: Int64, denominator: Int64) {
        // Int64.min has no negation: treating it as overflow keeps negating and dividing total.
        guard denominator != 0, numerator != .min, denominator != .min else { return nil }
        // Whole numbers (most amounts and counts) need no reduction.
        if denominator == 1 { self.numerator = numerator; self.denominator = 1; return }
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        let g = Exact.gcd(n.magnitude, d.magnitude)
        if g > 1 { n /= Int64(g); d /= Int64(g) }
        self.numerator = n
        self.denominator = d
    }

    private init(unchecked n: Int64, _ d: Int64) { numerator = n; denominator = d }

    /// Parses decimal text as written in a rule or a profile: `1829`, `1829.00`, `-0.5`, `1e3`.
    public init?(decimal text: some StringProtocol) {
        var n: Int64 = 0, d: Int64 = 1
        var negative = false, seenDigit = false, seenPoint = false
        var exponent = 0
        var iterator = text.utf8.makeIterator()
        var c = iterator.next()
        if c == UInt8(ascii: "-") { negative = true; c = iterator.next() } else if c == UInt8(ascii: "+") { c = iterator.next() }
        while let ch = c {
            if ch >= 48 && ch <= 57 {
                seenDigit = true
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(ch - 48))
                if o1 || o2 { return nil }
                n = s
                if seenPoint {
                    let (dd, o3) = d.multipliedReportingOverflow(by: 10)
                    if o3 { return nil }
                    d = dd
                }
            } else if ch == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if ch == UInt8(ascii: "e") || ch == UInt8(ascii: "E") {
                var rest = [UInt8]()
                while let r = iterator.next() { rest.append(r) }
                guard let e = Int(String(decoding: rest, as: UTF8.self)), abs(e) <= 18 else { return nil }
                exponent = e
                break
            } else {
                return nil
            }
            c = iterator.next()
        }
        guard seenDigit else { return nil }
        var value = Exact(numerator: negative ? -n : n, denominator: d)
        if exponent != 0, let v = value {
            var p: Int64 = 1
            for _ in 0..<abs(exponent) { p *= 10 }
            value = exponent > 0 ? v.multiplied(by: Exact(p)) : v.divided(by: Exact(p))
        }
        guard let result = value else { return nil }
        self = result
    }

    public var isInteger: Bool { denominator == 1 }
    public var isNegative: Bool { numerator < 0 }

    /// Greatest common divisor. A fraction's denominator is small (cents, percentages, twelfths), so one 64-bit
    /// remainder brings both numbers under 2^32, where Euclid's remainders are cheap; large pairs use Stein's
    /// binary algorithm (shifts and subtractions), which needs no division.
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if a == 0 { return b }
        if b == 0 { return a }
        // Whole numbers (denominator 1) are the most common operand.
        if a == 1 || b == 1 { return 1 }
        let small = min(a, b), large = max(a, b)
        // Money's denominators (cents, quarters, twelfths) are below the table's bound: one remainder and a load.
        if small < UInt64(SmallDivisors.bound) { return UInt64(SmallDivisors.gcd(Int(small), Int(large % small))) }
        if small <= UInt64(UInt32.max) {
            var x = UInt32(truncatingIfNeeded: small), y = UInt32(truncatingIfNeeded: large % small)
            while y != 0 { (x, y) = (y, x % y) }
            return UInt64(x)
        }
        var a = a, b = b
        let shift = (a | b).trailingZeroBitCount
        a >>= a.trailingZeroBitCount
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    /// The greatest common divisor of d and each remainder r below it, for every d under `bound`: reducing a fraction
    /// by Euclid's remainders takes a few divisions, about twenty nanoseconds, and exact arithmetic reduces often.
    enum SmallDivisors {
        static let bound = 128
        /// Row d, column r: gcd(d, r). 16 KiB.
        nonisolated(unsafe) private static let table: UnsafeMutablePointer<UInt8> = {
            let t = UnsafeMutablePointer<UInt8>.allocate(capacity: bound * bound)
            t.initialize(repeating: 0, count: bound * bound)
            for d in 1..<bound {
                for r in 0..<d {
                    var x = d, y = r
                    while y != 0 { (x, y) = (y, x % y) }
                    t[d * bound + r] = UInt8(x)
                }
            }
            return t
        }()

        /// gcd(d, r) for 0 < d < `bound` and 0 <= r < d.
        @inline(__always) static func gcd(_ d: Int, _ r: Int) -> UInt8 { table[d &* bound &+ r] }
    }

    // Arithmetic returns nil on overflow, which the evaluator treats as an evaluation error (unknown).

    public func adding(_ o: Exact) -> Exact? {
        if denominator == o.denominator {
            let (s, of) = numerator.addingReportingOverflow(o.numerator)
            return of ? nil : Exact(numerator: s, denominator: denominator)
        }
        let (a, o1) = numerator.multipliedReportingOverflow(by: o.denominator)
        let (b, o2) = o.numerator.multipliedReportingOverflow(by: denominator)
        let (s, o3) = a.addingReportingOverflow(b)
        let (d, o4) = denominator.multipliedReportingOverflow(by: o.denominator)
        if o1 || o2 || o3 || o4 { return nil }
        return Exact(numerator: s, denominator: d)
    }

    public func negated() -> Exact { Exact(unchecked: -numerator, denominator) }

    public func subtracting(_ o: Exact) -> Exact? { adding(o.negated()) }

    public func multiplied(by o: Exact) -> Exact? {
        if denominator == 1 && o.denominator == 1 {
            let (n, overflow) = numerator.multipliedReportingOverflow(by: o.numerator)
            return overflow ? nil : Exact(numerator: n, denominator: 1)
        }
        // Most products fit as they are: reduced once, with one gcd (cross-reducing takes two, and four divisions).
        let (whole, wholeOverflow) = numerator.multipliedReportingOverflow(by: o.numerator)
        let (parts, partsOverflow) = denominator.multipliedReportingOverflow(by: o.denominator)
        if !wholeOverflow && !partsOverflow { return Exact(numerator: whole, denominator: parts) }
        // Cross-reduce first so that products that would overflow may still fit.
        let g1 = Int64(Exact.gcd(numerator.magnitude, o.denominator.magnitude))
        let g2 = Int64(Exact.gcd(o.numerator.magnitude, denominator.magnitude))
        let (n, o1) = (numerator / max(g1, 1)).multipliedReportingOverflow(by: o.numerator / max(g2, 1))
        let (d, o2) = (denominator / max(g2, 1)).multipliedReportingOverflow(by: o.denominator / max(g1, 1))
        if o1 || o2 || n == .min || d == .min { return nil }
        // Both factors are reduced and cross-reduced, so the product is already in lowest terms.
        return Exact(unchecked: n, d)
    }

    public func divided(by o: Exact) -> Exact? {
        guard o.numerator != 0 else { return nil }
        return multiplied(by: Exact(unchecked: o.denominator, o.numerator).normalizedSign())
    }

    private func normalizedSign() -> Exact {
        denominator < 0 ? Exact(unchecked: -numerator, -denominator) : self
    }

    public static func < (a: Exact, b: Exact) -> Bool {
        if a.denominator == b.denominator { return a.numerator < b.numerator }
        // Compare a.n * b.d with b.n * a.d without overflow by widening.
        let l = a.numerator.multipliedFullWidth(by: b.denominator)
        let r = b.numerator.multipliedFullWidth(by: a.denominator)
        return (l.high, l.low) < (r.high, r.low)
    }

    /// Rounds to a multiple of `step` (half away from zero, floor or ceiling).
    public func rounded(_ rule: FloatingPointRoundingRule, step: Exact = .one) -> Exact? {
        guard step.numerator > 0, let q = divided(by: step) else { return nil }
        let whole = q.numerator / q.denominator
        let remainder = q.numerator % q.denominator
        var r = whole
        switch rule {
        case .down:
            if remainder < 0 { r -= 1 }
        case .up:
            if remainder > 0 { r += 1 }
        default:
            // Half away from zero, as people round money.
            if remainder.magnitude * 2 >= q.denominator.magnitude { r += q.numerator < 0 ? -1 : 1 }
        }
        return Exact(r).multiplied(by: step)
    }

    /// Whole part, toward zero.
    public var truncated: Int64 { numerator / denominator }

    /// Plain decimal text with up to `maxFraction` digits (exact when the fraction terminates within them).
    public func decimalString(minFraction: Int = 0, maxFraction: Int = 6) -> String {
        let (whole, units) = roundedMagnitude(decimals: maxFraction)
        var frac = maxFraction == 0 ? "" : String(units)
        frac = String(repeating: "0", count: max(0, maxFraction - frac.count)) + frac
        while frac.count > minFraction, frac.last == "0" { frac.removeLast() }
        let sign = numerator < 0 && (whole != 0 || units != 0) ? "-" : ""
        return frac.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
    }

    /// The magnitude rounded half away from zero (as people round money) to `decimals` places: the whole part, and
    /// the decimals as a whole number (`12.345` to 2 places is `(12, 35)`). The one rounding every written amount uses;
    /// the fraction is computed in 128 bits, so no value or denominator overflows.
    func roundedMagnitude(decimals: Int) -> (whole: UInt64, fraction: UInt64) {
        let p = UInt64(Exact.pow10(decimals))
        let d = denominator.magnitude
        var whole = numerator.magnitude / d
        var (fraction, rest) = d.dividingFullWidth((numerator.magnitude % d).multipliedFullWidth(by: p))
        if rest >= d - rest { fraction += 1 }
        if fraction == p { fraction = 0; whole += 1 }
        return (whole, fraction)
    }

    static func pow10(_ n: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    public var description: String { decimalString() }
}
