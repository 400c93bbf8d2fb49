/// Operations on values with unknown propagation; shared by the evaluator and constant folding.
enum Arithmetic {
    /// Nil when either side is unknown, the types do not fit, or the result overflows.
    @inline(__always)
    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value? {
        guard case .number(let x) = a, case .number(let y) = b else { return nil }
        let r: Exact?
        switch op {
        case .add: r = x.adding(y)
        case .subtract: r = x.subtracting(y)
        case .multiply: r = x.multiplied(by: y)
        case .divide: r = x.divided(by: y)
        default: r = nil
        }
        return r.map(Value.number)
    }

    /// Three-valued comparison: nil when either side is unknown.
    @inline(__always)
    static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return order(op, x, y)
        case (.date(let x), .date(let y)): return order(op, x, y)
        case (.enumeration(let x), .enumeration(let y)):
            return op == .equal ? x == y : op == .notEqual ? x != y : nil
        case (.bool(let x), .bool(let y)):
            return op == .equal ? x == y : op == .notEqual ? x != y : nil
        default: return nil
        }
    }

    @inline(__always)
    static func order<T: Comparable>(_ op: BinaryOperator, _ x: T, _ y: T) -> Bool? {
        switch op {
        case .equal: x == y
        case .notEqual: x != y
        case .less: x < y
        case .lessOrEqual: x <= y
        case .greater: x > y
        case .greaterOrEqual: x >= y
        default: nil
        }
    }
}
