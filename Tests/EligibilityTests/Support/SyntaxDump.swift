@testable import Eligibility

/// Compact, unambiguous renderings of tokens and syntax trees, so tests can compare whole structures as text.
extension Expr {
    /// `(+ a (* b c))`, `(sum income over members where (> age 17))`, `(call max a b)`.
    var sexpr: String {
        switch kind {
        case .name(let n): return n
        case .boolean(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .money(let m): return "$" + m
        case .percent(let p): return p + "%"
        case .date(let d): return d
        case .text(let t): return "\"\(t)\""
        case .duration(let e, let unit): return "(\(e.sexpr) \(unit.rawValue))"
        case .list(let items): return "[" + items.map(\.sexpr).joined(separator: " ") + "]"
        case .unary(let op, let e): return "(\(op.rawValue) \(e.sexpr))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(a.sexpr) \(b.sexpr))"
        case .conditional(let c, let t, let e): return "(if \(c.sexpr) \(t.sexpr) \(e.sexpr))"
        case .known(let e): return "(known \(e.sexpr))"
        case .otherwise(let a, let b): return "(otherwise \(a.sexpr) \(b.sexpr))"
        case .call(let name, let args): return "(call \(([name.text] + args.map(\.sexpr)).joined(separator: " ")))"
        case .aggregate(let agg, let body, let filter):
            var out = agg == .count ? "(count members" : "(\(agg.rawValue) \(body?.sexpr ?? "nil") over members"
            if let filter { out += " where " + filter.sexpr }
            return out + ")"
        case .programKind(let k): return "(kind \(k))"
        }
    }
}

extension Template {
    /// `text{expr}text`, with holes as s-expressions.
    var dump: String {
        parts.map { part in
            switch part {
            case .text(let t): t
            case .expr(let e): "{\(e.sexpr)}"
            }
        }.joined()
    }
}

extension Token {
    /// `identifier(age)`, `money(1829.00)`, `endOfFile`.
    var dump: String { kind == .endOfFile ? "endOfFile" : "\(kind)(\(text))" }
}
