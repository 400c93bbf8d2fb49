/// The facts of one family in slot order, as read from a profile: household values and one row per member.
public struct Facts: Sendable {
    public var household: [Value]
    /// Member values, row after row: member m's fact f is at `m * memberFactCount + f`.
    public var members: [Value]
    public let memberFactCount: Int
    public var memberCount: Int { memberFactCount == 0 ? 0 : members.count / memberFactCount }

    public init(householdFactCount: Int, memberFactCount: Int, memberCount: Int) {
        household = Array(repeating: .unknown, count: householdFactCount)
        members = Array(repeating: .unknown, count: memberFactCount * memberCount)
        self.memberFactCount = memberFactCount
    }

    public subscript(member m: Int, fact f: Int) -> Value {
        get { members[m * memberFactCount + f] }
        set { members[m * memberFactCount + f] = newValue }
    }

    public mutating func addMember() {
        members.append(contentsOf: repeatElement(Value.unknown, count: memberFactCount))
    }
}

/// A fact of a family: household-level, or a member's.
public enum FactRef: Sendable, Hashable, Comparable {
    case household(Int)
    case member(Int, Int)

    public static func < (a: FactRef, b: FactRef) -> Bool {
        switch (a, b) {
        case (.household(let x), .household(let y)): x < y
        case (.household, .member): true
        case (.member, .household): false
        case (.member(let m1, let f1), .member(let m2, let f2)): (m1, f1) < (m2, f2)
        }
    }
}
