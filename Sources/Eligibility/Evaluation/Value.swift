/// A value during evaluation. `unknown` is a value of every type: an absent fact, or anything computed from one.
public enum Value: Sendable, Hashable {
    case unknown
    case bool(Bool)
    /// Integers, decimals, percentages and money: the static type says which.
    case number(Exact)
    case date(Day)
    /// Text by reference, so that values stay plain data and copy without reference counting:
    /// a non-negative index into the rules' text table, or `-(i + 1)` for the family's own `Facts.texts[i]`.
    case text(Int32)
    /// The index of a value within its enumeration.
    case enumeration(Int)
    /// A set of enumeration values as a bit mask (enumerations have at most 64 values).
    case set(UInt64)

    public var isKnown: Bool { if case .unknown = self { false } else { true } }

    /// Three-valued truth: nil is unknown.
    public var truth: Bool? { if case .bool(let b) = self { b } else { nil } }

    public var number: Exact? { if case .number(let n) = self { n } else { nil } }

    var isNumber: Bool { if case .number = self { true } else { false } }
}
