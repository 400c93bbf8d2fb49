/// A strict RFC 8259 JSON parser that works on bytes.
///
/// - Numbers are kept as their exact text; strings are decoded (escapes, surrogate pairs) and must be valid UTF-8.
/// - Objects with a repeated key are rejected: in a family profile `{"age": 3, "age": 40}` is ambiguous,
///   so it is an error (`duplicate key 'age' (first at line 1, column 2)`), not a silent choice.
/// - Nesting is limited (`maxDepth`, 512 by default) and the parser uses no recursion, so hostile input
///   cannot overflow the stack; time is linear in the input size.
/// - A UTF-8 byte-order mark at the start is skipped. Whitespace is space, tab, CR and LF.
/// - Errors are `JSONError` values with a one-line, lower-case message and the line, column and JSON path.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted by default.
    public static let maxDepth = 512

    /// Parses a complete JSON document.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = maxDepth) throws(JSONError) -> JSONValue {
        try withBuffer(bytes) { (buffer) throws(JSONError) in
            var core = JSONParserCore<ValueTree>(buffer, maxDepth: maxDepth)
            return try core.parseDocument()
        }
    }

    /// Parses a complete JSON document held in a string.
    public static func parse(_ text: String, maxDepth: Int = maxDepth) throws(JSONError) -> JSONValue {
        var text = text
        return try withUTF8(&text) { (buffer) throws(JSONError) in
            var core = JSONParserCore<ValueTree>(buffer, maxDepth: maxDepth)
            return try core.parseDocument()
        }
    }

    /// Parses a complete JSON document into a tree that records the byte offset of every value and key.
    public static func parseNode(_ bytes: some Collection<UInt8>, maxDepth: Int = maxDepth) throws(JSONError) -> JSONNode {
        try withBuffer(bytes) { (buffer) throws(JSONError) in
            var core = JSONParserCore<NodeTree>(buffer, maxDepth: maxDepth)
            return try core.parseDocument()
        }
    }

    /// Parses a complete JSON document held in a string into a tree with byte offsets.
    public static func parseNode(_ text: String, maxDepth: Int = maxDepth) throws(JSONError) -> JSONNode {
        var text = text
        return try withUTF8(&text) { (buffer) throws(JSONError) in
            var core = JSONParserCore<NodeTree>(buffer, maxDepth: maxDepth)
            return try core.parseDocument()
        }
    }

    /// The 1-based line and column of a byte offset: lines end at LF; the column counts characters
    /// (a leading byte-order mark is not counted). Offsets past the end give the position after the last byte.
    public static func location(of offset: Int, in bytes: some Collection<UInt8>) -> SourceLocation {
        if let location = bytes.withContiguousStorageIfAvailable({ location(of: offset, in: $0) }) { return location }
        return Array(bytes).withUnsafeBufferPointer { location(of: offset, in: $0) }
    }

    static func location(of offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        let end = max(0, min(offset, buffer.count))
        var line = 1
        var lineStart = hasBOM(buffer) && end >= 3 ? 3 : 0
        for i in lineStart..<end where buffer[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: UnsafeBufferPointer(rebasing: buffer[lineStart..<end]), as: UTF8.self).count + 1
        return SourceLocation(line: line, column: column)
    }

    static func hasBOM(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
    }

    private static func withBuffer<R>(
        _ bytes: some Collection<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(JSONError) -> R
    ) throws(JSONError) -> R {
        let result: Result<R, JSONError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> R in try body(buffer) }
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) -> R in try body(buffer) }
        }.get()
    }

    private static func withUTF8<R>(
        _ text: inout String, _ body: (UnsafeBufferPointer<UInt8>) throws(JSONError) -> R
    ) throws(JSONError) -> R {
        try text.withUTF8 { buffer in
            Result { () throws(JSONError) -> R in try body(buffer) }
        }.get()
    }
}

// MARK: - Tree builders

/// What the parser builds: plain values or values with offsets. The parser is generic over it and is
/// specialised for each in optimised builds.
protocol JSONTreeBuilder {
    associatedtype Node
    associatedtype Member
    static func null(at offset: Int) -> Node
    static func bool(_ value: Bool, at offset: Int) -> Node
    static func number(_ text: String, at offset: Int) -> Node
    static func string(_ value: String, at offset: Int) -> Node
    static func array(_ elements: [Node], at offset: Int) -> Node
    static func member(key: String, keyOffset: Int, value: Node) -> Member
    static func object(_ members: [Member], at offset: Int) -> Node
}

enum ValueTree: JSONTreeBuilder {
    static func null(at offset: Int) -> JSONValue { .null }
    static func bool(_ value: Bool, at offset: Int) -> JSONValue { .bool(value) }
    static func number(_ text: String, at offset: Int) -> JSONValue { .number(text) }
    static func string(_ value: String, at offset: Int) -> JSONValue { .string(value) }
    static func array(_ elements: [JSONValue], at offset: Int) -> JSONValue { .array(elements) }
    static func member(key: String, keyOffset: Int, value: JSONValue) -> (key: String, value: JSONValue) {
        (key: key, value: value)
    }
    static func object(_ members: [(key: String, value: JSONValue)], at offset: Int) -> JSONValue {
        .object(JSONObject(uniqueMembers: members))
    }
}

enum NodeTree: JSONTreeBuilder {
    static func null(at offset: Int) -> JSONNode { JSONNode(offset: offset, kind: .null) }
    static func bool(_ value: Bool, at offset: Int) -> JSONNode { JSONNode(offset: offset, kind: .bool(value)) }
    static func number(_ text: String, at offset: Int) -> JSONNode { JSONNode(offset: offset, kind: .number(text)) }
    static func string(_ value: String, at offset: Int) -> JSONNode { JSONNode(offset: offset, kind: .string(value)) }
    static func array(_ elements: [JSONNode], at offset: Int) -> JSONNode { JSONNode(offset: offset, kind: .array(elements)) }
    static func member(key: String, keyOffset: Int, value: JSONNode) -> JSONNode.Member {
        JSONNode.Member(key: key, keyOffset: keyOffset, value: value)
    }
    static func object(_ members: [JSONNode.Member], at offset: Int) -> JSONNode {
        JSONNode(offset: offset, kind: .object(members))
    }
}

// MARK: - The parser

/// A key read in an open object (a struct rather than a tuple: arrays of it need no runtime type lookups).
struct JSONKey {
    var key: String
    var offset: Int
}

/// An open array or object.
struct JSONFrame {
    var isObject: Bool
    var offset: Int
    /// Where this container's finished elements start on the value stack, and its keys on the key stack.
    var valueBase: Int
    var keyBase: Int
    /// Index in `JSONParserCore.seenKeys` of this object's key set, once the object is large enough that a
    /// linear search for duplicates would be slow; -1 before. (An index, not the set itself, so that copies
    /// of a frame never share the set's storage and force a copy on every insert.)
    var seen: Int
}

private enum JSONByte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
}

/// Parses one document from a buffer without recursion: open containers live on `frames`, finished values
/// on `values` and keys on `keys`, so each container's elements are copied once into an exactly sized array.
struct JSONParserCore<Builder: JSONTreeBuilder> {
    let base: UnsafePointer<UInt8>?
    let buffer: UnsafeBufferPointer<UInt8>
    let end: Int
    let maxDepth: Int
    var i = 0
    var frames: [JSONFrame] = []
    var values: [Builder.Node] = []
    var keys: [JSONKey] = []
    /// Key sets of the large open objects, innermost last.
    var seenKeys: [[String: Int]] = []
    /// Decoded bytes of a string with escapes.
    var scratch: [UInt8] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buffer = buffer
        self.base = buffer.baseAddress
        self.end = buffer.count
        self.maxDepth = maxDepth
        // Room for a typical profile, so that the stacks are not regrown while parsing one.
        frames.reserveCapacity(8)
        values.reserveCapacity(32)
        keys.reserveCapacity(32)
    }

    @inline(__always) func byte(_ at: Int) -> UInt8 { base.unsafelyUnwrapped[at] }

    @inline(__always) mutating func skipWhitespace() {
        while i < end {
            let b = byte(i)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    mutating func parseDocument() throws(JSONError) -> Builder.Node {
        if JSONParser.hasBOM(buffer) { i = 3 }
        skipWhitespace()
        guard i < end else { throw JSONError(reason: JSONError.emptyInput, offset: i, line: 1, column: 1) }
        var node: Builder.Node
        value: while true {
            // A value starts at `i` (whitespace skipped).
            guard i < end else { throw unexpected(expecting: "a JSON value", inValue: true) }
            let start = i
            switch byte(i) {
            case JSONByte.openBrace:
                try open(isObject: true)
                skipWhitespace()
                if i < end, byte(i) == JSONByte.closeBrace {
                    i += 1
                    frames.removeLast()
                    node = Builder.object([], at: start)
                } else {
                    try parseKey(afterComma: false)
                    continue value
                }
            case JSONByte.openBracket:
                try open(isObject: false)
                skipWhitespace()
                if i < end, byte(i) == JSONByte.closeBracket {
                    i += 1
                    frames.removeLast()
                    node = Builder.array([], at: start)
                } else {
                    continue value
                }
            case JSONByte.quote:
                node = Builder.string(try parseString(), at: start)
            case JSONByte.minus, JSONByte.zero...JSONByte.nine:
                node = Builder.number(try parseNumber(), at: start)
            case UInt8(ascii: "t") where matches("true"):
                i += 4
                node = Builder.bool(true, at: start)
            case UInt8(ascii: "f") where matches("false"):
                i += 5
                node = Builder.bool(false, at: start)
            case UInt8(ascii: "n") where matches("null"):
                i += 4
                node = Builder.null(at: start)
            case let b where isLetter(b):
                var j = i
                while j < end, isLetter(byte(j)) || (byte(j) >= JSONByte.zero && byte(j) <= JSONByte.nine) || byte(j) == UInt8(ascii: "_") {
                    j += 1
                }
                let word = text(i..<min(j, i + 40))
                throw error("unknown literal '\(word)': expected true, false or null", at: i, inValue: true)
            default:
                if let last = frames.last, !last.isObject, values.count > last.valueBase,
                   byte(i) == JSONByte.closeBracket {
                    throw error("expected a JSON value after ',' in an array, found ']'", at: i, inValue: true)
                }
                throw unexpected(expecting: "a JSON value", inValue: true)
            }

            // A value is complete: add it to its container, then close every container that ends here.
            while true {
                guard let top = frames.last else {
                    skipWhitespace()
                    guard i == end else { throw unexpected(expecting: "end of input after the JSON value", inValue: false) }
                    return node
                }
                values.append(node)
                skipWhitespace()
                let b: UInt8 = i < end ? byte(i) : 0
                if top.isObject {
                    if b == JSONByte.comma {
                        i += 1
                        skipWhitespace()
                        try parseKey(afterComma: true)
                        continue value
                    } else if b == JSONByte.closeBrace {
                        i += 1
                        node = closeObject()
                    } else {
                        throw unexpected(expecting: "',' or '}' after an object member", inValue: false)
                    }
                } else {
                    if b == JSONByte.comma {
                        i += 1
                        skipWhitespace()
                        continue value
                    } else if b == JSONByte.closeBracket {
                        i += 1
                        let frame = frames.removeLast()
                        let elements = Array(values[frame.valueBase...])
                        values.removeSubrange(frame.valueBase...)
                        node = Builder.array(elements, at: frame.offset)
                    } else {
                        throw unexpected(expecting: "',' or ']' after an array element", inValue: false)
                    }
                }
            }
        }
    }

    private mutating func open(isObject: Bool) throws(JSONError) {
        guard frames.count < maxDepth else {
            throw error("nesting too deep: more than \(maxDepth) levels of arrays and objects", at: i, inValue: true)
        }
        frames.append(JSONFrame(isObject: isObject, offset: i, valueBase: values.count, keyBase: keys.count, seen: -1))
        i += 1
    }

    private mutating func closeObject() -> Builder.Node {
        let frame = frames.removeLast()
        if frame.seen >= 0 { seenKeys.removeLast() }
        var members: [Builder.Member] = []
        members.reserveCapacity(values.count - frame.valueBase)
        var k = frame.keyBase
        for v in frame.valueBase..<values.count {
            members.append(Builder.member(key: keys[k].key, keyOffset: keys[k].offset, value: values[v]))
            k += 1
        }
        values.removeSubrange(frame.valueBase...)
        keys.removeSubrange(frame.keyBase...)
        return Builder.object(members, at: frame.offset)
    }

    /// Reads `"key"` and `:` at `i`, leaving `i` at the member's value.
    private mutating func parseKey(afterComma: Bool) throws(JSONError) {
        guard i < end, byte(i) == JSONByte.quote else {
            throw unexpected(expecting: afterComma ? "a string key after ',' in an object" : "a string key or '}' in an object", inValue: false)
        }
        let keyOffset = i
        let key = try parseString()
        try checkDuplicate(key, at: keyOffset)
        keys.append(JSONKey(key: key, offset: keyOffset))
        skipWhitespace()
        guard i < end, byte(i) == JSONByte.colon else {
            throw unexpected(expecting: "':' after an object key", inValue: true)
        }
        i += 1
        skipWhitespace()
    }

    private mutating func checkDuplicate(_ key: String, at offset: Int) throws(JSONError) {
        let top = frames.count - 1
        let keyBase = frames[top].keyBase
        let seen = frames[top].seen
        var first: Int?
        if seen >= 0 {
            first = seenKeys[seen][key]
        } else {
            for k in keyBase..<keys.count where keys[k].key == key {
                first = keys[k].offset
                break
            }
            if first == nil, keys.count - keyBase >= 16 {
                // From here on a linear search per key would make large objects quadratic.
                var set = [String: Int](minimumCapacity: 64)
                for k in keyBase..<keys.count { set[keys[k].key] = keys[k].offset }
                frames[top].seen = seenKeys.count
                seenKeys.append(set)
            }
        }
        if let first {
            let firstAt = JSONParser.location(of: first, in: buffer)
            throw error("duplicate key '\(Self.display(key))' (first at line \(firstAt.line), column \(firstAt.column))",
                        at: offset, inValue: false)
        }
        if frames[top].seen >= 0 { seenKeys[frames[top].seen][key] = offset }
    }

    // MARK: Scalars

    @inline(__always) private func matches(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard end - i >= n else { return false }
        let w = word.utf8Start
        for k in 0..<n where byte(i + k) != w[k] { return false }
        return true
    }

    @inline(__always) private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= JSONByte.zero && b <= JSONByte.nine }

    private mutating func parseNumber() throws(JSONError) -> String {
        let start = i
        if byte(i) == JSONByte.minus { i += 1 }
        if i < end, byte(i) == JSONByte.zero {
            i += 1
            if i < end, isDigit(byte(i)) { throw badNumber(start, "leading zeros are not allowed") }
        } else if i < end, isDigit(byte(i)) {
            while i < end, isDigit(byte(i)) { i += 1 }
        } else {
            throw badNumber(start, "expected a digit after '-'")
        }
        if i < end, byte(i) == JSONByte.dot {
            i += 1
            guard i < end, isDigit(byte(i)) else { throw badNumber(start, "expected a digit after the decimal point") }
            while i < end, isDigit(byte(i)) { i += 1 }
        }
        if i < end, byte(i) | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, byte(i) == JSONByte.plus || byte(i) == JSONByte.minus { i += 1 }
            guard i < end, isDigit(byte(i)) else { throw badNumber(start, "expected a digit in the exponent") }
            while i < end, isDigit(byte(i)) { i += 1 }
        }
        return text(start..<i)
    }

    private func badNumber(_ start: Int, _ problem: String) -> JSONError {
        var j = start
        while j < end, j - start < 40 {
            let b = byte(j)
            guard isDigit(b) || b == JSONByte.minus || b == JSONByte.plus || b == JSONByte.dot || b | 0x20 == UInt8(ascii: "e") else { break }
            j += 1
        }
        return error("invalid number '\(text(start..<j))': \(problem)", at: start, inValue: true)
    }

    private func text(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// Reads a string starting at the opening quote at `i`.
    private mutating func parseString() throws(JSONError) -> String {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes, so the string is the input bytes as they are. Plain ASCII is skipped
        // 8 bytes at a time; a word with anything else in it is looked at byte by byte.
        fast: while i < end {
            while end - i >= 8, Self.isPlainASCII(UnsafeRawPointer(base.unsafelyUnwrapped + i).loadUnaligned(as: UInt64.self)) {
                i += 8
            }
            let stop = min(i + 8, end)
            while i < stop {
                let b = byte(i)
                if b == JSONByte.quote {
                    let s = text(start..<i)
                    i += 1
                    return s
                } else if b == JSONByte.backslash {
                    break fast
                } else if b < 0x20 {
                    throw controlCharacter(b)
                } else if b >= 0x80 {
                    try skipUTF8Sequence()
                } else {
                    i += 1
                }
            }
        }
        guard i < end else { throw unterminatedString(open) }
        // Slow path: copy into `scratch`, decoding escapes.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: i - start))
        while i < end {
            let b = byte(i)
            if b == JSONByte.quote {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if b == JSONByte.backslash {
                try parseEscape(open)
            } else if b < 0x20 {
                throw controlCharacter(b)
            } else if b >= 0x80 {
                let s = i
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(start: base.unsafelyUnwrapped + s, count: i - s))
            } else {
                scratch.append(b)
                i += 1
            }
        }
        throw unterminatedString(open)
    }

    /// Whether all 8 bytes are ASCII from space up, other than `"` and `\`. A `true` is always right;
    /// a `false` may be cautious, and the caller then looks at the bytes one by one.
    @inline(__always) static func isPlainASCII(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasByteBelow(_ v: UInt64, _ n: UInt64) -> Bool { (v &- ones &* n) & ~v & high != 0 }
        return x & high == 0
            && !hasByteBelow(x, 0x20)
            && !hasByteBelow(x ^ (ones &* 0x22), 1)
            && !hasByteBelow(x ^ (ones &* 0x5C), 1)
    }

    private mutating func parseEscape(_ open: Int) throws(JSONError) {
        let at = i
        guard i + 1 < end else { throw unterminatedString(open) }
        let e = byte(i + 1)
        i += 2
        switch e {
        case JSONByte.quote: scratch.append(JSONByte.quote)
        case JSONByte.backslash: scratch.append(JSONByte.backslash)
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeAt: at)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard i + 1 < end, byte(i) == JSONByte.backslash, byte(i + 1) == UInt8(ascii: "u") else {
                    throw error("lone high surrogate '\(text(at..<at + 6))' in a string", at: at, inValue: true)
                }
                let lowAt = i
                i += 2
                let low = try hex4(escapeAt: lowAt)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("lone high surrogate '\(text(at..<at + 6))' in a string", at: at, inValue: true)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error("lone low surrogate '\(text(at..<at + 6))' in a string", at: at, inValue: true)
            }
            appendUTF8(scalar)
        default:
            if e >= 0x20 && e < 0x7F || e >= 0x80 && UTF8Check.sequenceLength(base.unsafelyUnwrapped, at + 1, end) > 0 {
                throw error("invalid escape '\\\(describeChar(at + 1, quoted: false))' in a string", at: at, inValue: true)
            }
            throw error("invalid escape in a string: '\\' followed by \(describeChar(at + 1, quoted: false))", at: at, inValue: true)
        }
    }

    /// Reads the 4 hex digits after `\u` (at `i`).
    private mutating func hex4(escapeAt at: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            guard i + k < end else { throw error("invalid unicode escape '\(text(at..<i + k))': expected 4 hexadecimal digits", at: at, inValue: true) }
            let b = byte(i + k)
            let digit: UInt32
            switch b {
            case JSONByte.zero...JSONByte.nine: digit = UInt32(b - JSONByte.zero)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default:
                let shown = b >= 0x20 && b < 0x7F && b != JSONByte.quote ? text(at..<i + k + 1) : text(at..<i + k)
                throw error("invalid unicode escape '\(shown)': expected 4 hexadecimal digits", at: at, inValue: true)
            }
            value = value << 4 | digit
        }
        i += 4
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Steps over one well-formed multi-byte UTF-8 sequence at `i`, or throws naming its first byte.
    @inline(__always) private mutating func skipUTF8Sequence() throws(JSONError) {
        let n = UTF8Check.sequenceLength(base.unsafelyUnwrapped, i, end)
        guard n > 0 else { throw invalidUTF8(at: i) }
        i += n
    }

    // MARK: Errors

    private func unterminatedString(_ open: Int) -> JSONError {
        error("unterminated string: end of input before the closing '\"'", at: open, inValue: true)
    }

    private func controlCharacter(_ b: UInt8) -> JSONError {
        error("unescaped control character \(UTF8Check.codePoint(b)) in a string", at: i, inValue: true)
    }

    private func invalidUTF8(at offset: Int) -> JSONError {
        error("invalid UTF-8 byte \(UTF8Check.hex(byte(offset))) at byte offset \(offset)", at: offset, inValue: true)
    }

    /// `expected X, found Y` at `i`; an ill-formed UTF-8 byte is reported as such.
    private func unexpected(expecting expected: String, inValue: Bool) -> JSONError {
        if i < end, byte(i) >= 0x80, UTF8Check.sequenceLength(base.unsafelyUnwrapped, i, end) == 0 {
            return invalidUTF8(at: i)
        }
        return error("expected \(expected), found \(describeChar(i, quoted: true))", at: i, inValue: inValue)
    }

    /// The character at `at` for a message: `'x'`, `end of input`, `a line break`, `control character U+0001`.
    private func describeChar(_ at: Int, quoted: Bool) -> String {
        guard at < end else { return "end of input" }
        let b = byte(at)
        let shown: String
        if b >= 0x80 {
            let n = UTF8Check.sequenceLength(base.unsafelyUnwrapped, at, end)
            guard n > 0 else { return "invalid UTF-8 byte \(UTF8Check.hex(b))" }
            shown = text(at..<at + n)
        } else if b == UInt8(ascii: "'") {
            return quoted ? "\"'\"" : "'"
        } else if b >= 0x20 && b < 0x7F {
            shown = String(UnicodeScalar(b))
        } else {
            return UTF8Check.describeControl(b)
        }
        return quoted ? "'\(shown)'" : shown
    }

    static func display(_ key: String) -> String {
        var out = ""
        for scalar in key.unicodeScalars.prefix(60) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u" + UTF8Check.hex4(scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return key.unicodeScalars.count > 60 ? out + "..." : out
    }

    func error(_ reason: String, at offset: Int, inValue: Bool) -> JSONError {
        let location = JSONParser.location(of: offset, in: buffer)
        return JSONError(reason: reason, offset: offset, line: location.line, column: location.column,
                         path: path(inValue: inValue))
    }

    /// The path of the value being read: every open container's current element, except that when the
    /// error is about the innermost container's own punctuation (`inValue` false) the path stops at it.
    private func path(inValue: Bool) -> JSONPath {
        var components: [JSONPath.Component] = []
        for (n, frame) in frames.enumerated() {
            let isInnermost = n == frames.count - 1
            let next = n + 1 < frames.count ? frames[n + 1] : nil
            // Elements finished in this container: up to the next frame's base, or all of them.
            let finished = (next?.valueBase ?? values.count) - frame.valueBase
            let keyCount = (next?.keyBase ?? keys.count) - frame.keyBase
            if frame.isObject {
                // A key without its value yet names the member being read.
                if keyCount > finished, !isInnermost || inValue {
                    components.append(.key(keys[frame.keyBase + finished].key))
                }
            } else if !isInnermost || inValue {
                components.append(.index(finished))
            }
        }
        return JSONPath(components)
    }
}

/// UTF-8 well-formedness (Unicode Table 3-7) and byte descriptions shared by the JSON and CSV readers.
enum UTF8Check {
    /// The length of the well-formed sequence starting at `i` (a non-ASCII lead byte), or 0 if it is ill-formed.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < end && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(1) && cont(2) ? 3 : 0
        case 0xED:
            return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The offset of the first byte of the first ill-formed sequence in `bytes`, or nil if all is well-formed.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let p = bytes.baseAddress else { return nil }
        var i = 0
        let end = bytes.count
        while i < end {
            if p[i] < 0x80 {
                i += 1
            } else {
                let n = sequenceLength(p, i, end)
                if n == 0 { return i }
                i += n
            }
        }
        return nil
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x\(digits[Int(b >> 4)])\(digits[Int(b & 0xF)])"
    }

    static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).map { digits[Int(v >> (12 - 4 * UInt32($0)) & 0xF)] })
    }

    static func codePoint(_ b: UInt8) -> String { "U+" + hex4(UInt32(b)) }

    static func describeControl(_ b: UInt8) -> String {
        switch b {
        case 0x09: "a tab"
        case 0x0A: "a line break"
        case 0x0D: "a carriage return"
        default: "control character \(codePoint(b))"
        }
    }
}
