/// JSON values for profiles, results and rule tests.
///
/// Numbers are kept as the exact decimal text that was written (`1829.00` stays `"1829.00"`), never as
/// `Double`: money must compare exactly. Objects keep their members in input order. The parser
/// (`JSONParser`) rejects duplicate keys, so an object read from input never has two members with one key.

/// A JSON value without positions. Use `JSONParser.parseNode` for a tree that records byte offsets.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text exactly as written in the input, e.g. `"1829.00"`, `"-3"`, `"1e2"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// A number from an integer.
    public static func integer(_ value: Int) -> JSONValue { .number(String(value)) }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The exact text of a number.
    public var numberText: String? { if case .number(let t) = self { return t } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }

    /// The kind of value with an article, for messages: `expected a number, found a string`.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Members in the order written; a repeated key keeps the last value at the first key's place.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}

/// A JSON object: members in input order, with lookup by key.
///
/// Keys are unique: the parser rejects an object with a repeated key (`duplicate key 'age'`), and
/// `init(_:)` and the subscript setter replace the value of an existing key in place.
/// Equality is member by member, in order: objects that would be written differently are different.
public struct JSONObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: JSONValue)]
    /// Key to member index, built only for large objects; small ones are searched linearly, which is faster.
    private var index: [String: Int]?

    static let indexThreshold = 16

    public init() { members = [] }

    /// Members in order; a repeated key keeps the last value at the first key's place.
    public init(_ members: [(key: String, value: JSONValue)]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for m in members { self[m.key] = m.value }
    }

    /// Members known to have distinct keys (the parser checks).
    init(uniqueMembers members: [(key: String, value: JSONValue)]) {
        self.members = members
        if members.count > Self.indexThreshold { buildIndex() }
    }

    private mutating func buildIndex() {
        var index = [String: Int](minimumCapacity: members.count)
        for (i, m) in members.enumerated() { index[m.key] = i }
        self.index = index
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// The position of `key` in `members`.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in members.indices where members[i].key == key { return i }
        return nil
    }

    /// The value of `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                    index = nil
                    if members.count > Self.indexThreshold { buildIndex() }
                }
            } else if let newValue {
                members.append((key: key, value: newValue))
                if index != nil {
                    index![key] = members.count - 1
                } else if members.count > Self.indexThreshold {
                    buildIndex()
                }
            }
        }
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        for i in a.members.indices where a.members[i].key != b.members[i].key || a.members[i].value != b.members[i].value {
            return false
        }
        return true
    }
}

/// A JSON value with the byte offset where it starts in the input, for error messages that point at it.
///
/// Offsets count bytes from the start of the input given to the parser (a byte-order mark included);
/// `JSONParser.location(of:in:)` turns one into a line and column.
public struct JSONNode: Sendable, Equatable {
    public var offset: Int
    public var kind: Kind

    public enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([JSONNode])
        case object([Member])
    }

    /// An object member; `keyOffset` is the offset of the key's opening quote.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var keyOffset: Int
        public var value: JSONNode
        public init(key: String, keyOffset: Int, value: JSONNode) {
            self.key = key
            self.keyOffset = keyOffset
            self.value = value
        }
    }

    public init(offset: Int, kind: Kind) {
        self.offset = offset
        self.kind = kind
    }

    /// The member named `key` when this is an object.
    public func member(_ key: String) -> Member? {
        if case .object(let members) = kind { return members.first { $0.key == key } }
        return nil
    }

    /// The value of the member named `key` when this is an object.
    public subscript(key: String) -> JSONNode? { member(key)?.value }

    /// The element at `index` when this is an array and the index is in range.
    public subscript(index: Int) -> JSONNode? {
        if case .array(let elements) = kind, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// The same tree without offsets.
    public var value: JSONValue {
        switch kind {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let t): .number(t)
        case .string(let s): .string(s)
        case .array(let elements): .array(elements.map(\.value))
        case .object(let members):
            .object(JSONObject(uniqueMembers: members.map { (key: $0.key, value: $0.value.value) }))
        }
    }

    /// The kind of value with an article, for messages: `expected a number, found a string`.
    public var kindDescription: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Where a value sits in a document, written the way the profile contract names fields:
/// `members[0].earned_income`, `child_welfare.stage`; a key that is not an identifier is
/// bracketed and quoted (`["first name"]`). The root is the empty path, written as `""`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public static let root = JSONPath()
    public var isRoot: Bool { components.isEmpty }

    public func appending(key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .index(let i):
                out += "[\(i)]"
            case .key(let k):
                if Self.isIdentifier(k) {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    var w = JSONWriter()
                    w.string(k)
                    out += "[" + w.text + "]"
                }
            }
        }
        return out
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
}

/// A JSON syntax error: what is wrong and where.
///
/// `description` is one line: `line 3, column 14: expected ',' or '}' after an object member, found ']'`,
/// followed by ` (at members[1])` when the error is inside a nested value. Empty input has no position:
/// `empty input: expected a JSON value`.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Lower-case, without position or final period.
    public let reason: String
    /// Byte offset in the input (a byte-order mark included).
    public let offset: Int
    /// 1-based line and column (in characters, a leading byte-order mark not counted).
    public let line: Int
    public let column: Int
    /// The innermost value being read when the error was found.
    public let path: JSONPath

    public init(reason: String, offset: Int, line: Int, column: Int, path: JSONPath = .root) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
    }

    /// `reason` with the path, without the line and column: for a JSON Lines batch, where the
    /// line is the record's own and the column is reported apart.
    public var message: String {
        if path.isRoot { return reason }
        // Deep nesting makes long paths; keep the message one readable line.
        let p = path.description
        let shown = p.count > 120 ? String(p.prefix(60)) + "..." + String(p.suffix(40)) : p
        return "\(reason) (at \(shown))"
    }

    public var description: String {
        if reason == JSONError.emptyInput { return reason }
        return "line \(line), column \(column): \(message)"
    }

    public static let emptyInput = "empty input: expected a JSON value"
}
