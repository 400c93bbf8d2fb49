/// Compiled expressions: what the evaluator runs. Every name is a slot index; constant lists are bit masks or sets.
public indirect enum Code: Sendable {
    case constant(Value)
    case householdFact(Int)
    case memberFact(Int)
    /// A fact read, falling back to a computed value when the profile leaves it out.
    /// A fact read with what to do when the profile leaves it out: a fallback computed from other facts,
    /// and, when the fact's `ask only when` condition is false, the value that means "does not apply".
    case householdFactOr(Int, FactDefault)
    case memberFactOr(Int, FactDefault)
    case householdLet(Int)
    case memberLet(Int)
    case parameter(Int)
    case table(Int, key: Code)
    case not(Code)
    case negate(Code)
    case arithmetic(BinaryOperator, Code, Code)
    case compare(BinaryOperator, Code, Code)
    case and(Code, Code)
    case or(Code, Code)
    /// Membership of an enum value in a constant list, as a bit mask.
    case inMask(Code, UInt64, negated: Bool)
    case inValues(Code, [Code], negated: Bool)
    case inSet(Code, Code, negated: Bool)
    case conditional(Code, Code, Code)
    case known(Code)
    case otherwise(Code, Code)
    case aggregate(Aggregate, body: Code?, filter: Code?)
    case builtin(Builtin, [Code])
    /// A question about one program, or about any of several (a kind).
    case program(ProgramQuery, [Int])
    case currentProgram(ProgramQuery)
    case currentProgramName
    case shiftDate(Code, by: Code, DurationUnit, negated: Bool)
}

/// A template ready to render: text and compiled holes with their display types.
public struct CompiledTemplate: Sendable {
    public enum Part: Sendable {
        case text(String)
        case value(Code, ValueType)
    }
    public let parts: [Part]
}

/// How a fact the profile left out is filled in.
public struct FactDefault: Sendable {
    /// `otherwise EXPR` on the fact (age from birth date).
    let fallback: Code?
    /// `ask only when EXPR`: when false the fact does not apply to this family or person.
    let askWhen: Code?
    /// The value of a fact that does not apply: no, $0, 0, or the empty set; unknown for other types.
    let notApplicable: Value
}
