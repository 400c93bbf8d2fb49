/// A compiled expression: a handle to a node in its rule set's code array.
///
/// Compiled code is a flat array of plain-data nodes whose children are indices, so evaluating it
/// copies no reference-counted storage: the evaluator's inner loop is a switch over an array element.
public struct Code: Sendable, Hashable {
    let index: Int32
}

/// Children of a node that has a variable number of them: a slice of the rule set's list array.
struct CodeList: Sendable {
    let start: Int32
    let count: Int32
}

/// One compiled expression node.
enum Node: Sendable {
    case constant(Value)
    case householdFact(Int32)
    case memberFact(Int32)
    /// A fact read with what to do when the profile leaves it out (the rule set's default for that fact).
    /// The default lives beside the code, not in the node, which keeps every node small.
    case householdFactOr(Int32)
    case memberFactOr(Int32)
    case householdLet(Int32)
    case memberLet(Int32)
    case parameter(Int32)
    case table(Int32, key: Code)
    case not(Code)
    case negate(Code)
    case arithmetic(BinaryOperator, Code, Code)
    /// `a + b + c ...`: a chain of additions flattened into one node, evaluated in one loop.
    case sum(CodeList)
    case compare(BinaryOperator, Code, Code)
    /// `a and b and c ...` and `a or b or c ...`: chains flattened into one node each.
    case and(CodeList)
    case or(CodeList)
    /// Membership of an enum value in a constant list, as a bit mask.
    case inMask(Code, UInt64, negated: Bool)
    case inValues(Code, CodeList, negated: Bool)
    case inSet(Code, Code, negated: Bool)
    case conditional(Code, Code, Code)
    case known(Code)
    case otherwise(Code, Code)
    case aggregate(Aggregate, body: Code?, filter: Code?)
    case builtin(Builtin, CodeList)
    /// A question about one program, or about any of several (a kind); the list holds program indices.
    case program(ProgramQuery, CodeList)
    case currentProgram(ProgramQuery)
    case currentProgramName
    case shiftDate(Code, by: Code, DurationUnit, negated: Bool)
}

/// How a fact the profile left out is filled in.
struct FactDefault: Sendable {
    /// `otherwise EXPR` on the fact (age from birth date).
    let fallback: Code?
    /// `ask only when EXPR`: when false the fact does not apply to this family or person.
    let askWhen: Code?
    /// The value of a fact that does not apply: no, $0, 0, or the empty set; unknown for other types.
    let notApplicable: Value
}

/// A template ready to render: text and compiled holes with their display types.
public struct CompiledTemplate: Sendable {
    public enum Part: Sendable {
        case text(String)
        case value(Code, ValueType)
    }
    public let parts: [Part]
}
