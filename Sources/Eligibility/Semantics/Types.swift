/// The static type of a fact, derived value, parameter or expression.
public enum ValueType: Sendable, Hashable {
    case boolean, integer, decimal, percent, money, date, text
    /// An enumeration, by its index in `CheckedRules.enums`.
    case enumeration(Int)
    /// A set of values of an enumeration.
    case set(Int)
    /// `6 months`: only as the right side of date arithmetic.
    case duration
    /// Produced after an error so that one mistake is reported once.
    case error

    var isNumeric: Bool {
        switch self { case .integer, .decimal, .percent, .money: true; default: false }
    }
    /// Integer, decimal and percent mix freely; money stands apart.
    var isPlainNumber: Bool {
        switch self { case .integer, .decimal, .percent: true; default: false }
    }
}

/// What a table parameter is keyed by, after checking.
public enum ParameterKeyKind: Sendable, Hashable {
    case scalar
    case householdSize
    /// County or state names, matched without regard to case.
    case text
    case enumeration(Int)
}

/// Built-in functions.
public enum Builtin: String, Sendable, Hashable, CaseIterable {
    case max, min, round, floor, ceil
    case yearsBetween = "years_between", monthsBetween = "months_between", daysBetween = "days_between"
}

/// Questions about a program's result, usable in expressions.
public enum ProgramQuery: String, Sendable, Hashable, CaseIterable {
    case eligible, needsInfo = "needs_info", enrolled, unclaimed, benefit
}

/// Which program a program query is about.
public enum ProgramRef: Sendable, Hashable {
    case program(Int)
    /// `program` inside a referral `for programs of kind ...`.
    case current
    /// Any program of this kind that applies to the family.
    case kind(String)
}

/// A checked expression: names resolved to slots, literals turned into values, types known.
public indirect enum Checked: Sendable, Hashable {
    case constant(Value)
    case householdFact(Int)
    case memberFact(Int)
    case householdLet(Int)
    case memberLet(Int)
    case parameter(Int)
    case table(Int, key: Checked)
    case not(Checked)
    case negate(Checked)
    case arithmetic(BinaryOperator, Checked, Checked)
    case compare(BinaryOperator, Checked, Checked)
    case and(Checked, Checked)
    case or(Checked, Checked)
    case inList(Checked, [Checked], negated: Bool)
    case inSet(Checked, Checked, negated: Bool)
    case conditional(Checked, Checked, Checked)
    case known(Checked)
    case otherwise(Checked, Checked)
    case aggregate(Aggregate, body: Checked?, filter: Checked?)
    case builtin(Builtin, [Checked])
    case program(ProgramQuery, ProgramRef)
    case shiftDate(Checked, by: Checked, DurationUnit, negated: Bool)
    /// `program.name` inside a referral for programs of a kind.
    case currentProgramName
}

/// A template after checking: text and typed holes.
public struct CheckedTemplate: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case value(Checked, ValueType)
    }
    public let parts: [Part]
}
