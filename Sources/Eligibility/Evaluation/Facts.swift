/// The facts of one family in slot order, as read from a profile: household values and one row per member.
public struct Facts: Sendable {
    public var household: [Value]
    /// Member values, row after row: member m's fact f is at `m * memberFactCount + f`.
    public var members: [Value]
    public let memberFactCount: Int
    /// The family's own text values (state, county, ids), referred to by `Value.text(-(i + 1))`.
    public var texts: [String] = []

    /// Stores a text and returns the value that refers to it. Only for a text no rule constant equals: readers look
    /// the constants up first and use `.text(constant)`, which lets comparisons skip the family's strings.
    public mutating func text(_ s: String) -> Value {
        texts.append(s)
        return .text(-Int32(texts.count))
    }
    /// Kept apart from `members`, which is empty whatever the household's size when the rules declare no member facts.
    public private(set) var memberCount: Int

    public init(householdFactCount: Int, memberFactCount: Int, memberCount: Int) {
        household = Array(repeating: .unknown, count: householdFactCount)
        members = Array(repeating: .unknown, count: memberFactCount * memberCount)
        self.memberFactCount = memberFactCount
        self.memberCount = memberCount
    }

    public subscript(member m: Int, fact f: Int) -> Value {
        get { members[m * memberFactCount + f] }
        set { members[m * memberFactCount + f] = newValue }
    }

    /// Back to a family with no facts and no members, keeping the memory: a batch worker reads the next family
    /// into the storage of one it has finished with instead of allocating its arrays again.
    mutating func clear() {
        household.withUnsafeMutableBufferPointer { $0.update(repeating: .unknown) }
        members.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        memberCount = 0
    }

    /// Moves the facts out and leaves a family with none in their place: the arrays change hands without a copy,
    /// so no reference to them is counted (the batch moves a family's facts between its reader and its block).
    mutating func moveOut() -> Facts {
        var moved = Facts(householdFactCount: 0, memberFactCount: 0, memberCount: 0)
        swap(&moved, &self)
        return moved
    }

    public mutating func addMember() {
        members.append(contentsOf: repeatElement(Value.unknown, count: memberFactCount))
        memberCount += 1
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
