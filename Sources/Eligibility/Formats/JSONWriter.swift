/// Writes JSON into a byte buffer, deterministically: members in the order given, numbers from their exact
/// text, one fixed layout per style.
///
/// - `.compact`: no spaces or line breaks: `{"a":[1,2],"b":"x"}`.
/// - `.pretty`: 2-space indent, `": "` after keys, one element per line, `[]` and `{}` when empty.
///
/// Strings escape `"`, `\` and control characters (`\n`, `\r`, `\t`, others as `\u00XX`); everything else,
/// non-ASCII included, is written as UTF-8 as it is. No line break is written after the document.
///
/// Two ways to use it: `write(_:)` a `JSONValue` tree, or stream without a tree:
/// ```
/// var w = JSONWriter()
/// w.beginObject(); w.key("case_id"); w.string("c1"); w.key("amount"); w.number("1018.00"); w.endObject()
/// ```
/// The streaming calls must be balanced and a `key` must precede every value inside an object; the writer
/// does not check this (it is a programming error, not an input error).
public struct JSONWriter: Sendable {
    public enum Style: Sendable { case compact, pretty }

    public let style: Style
    /// The output so far.
    public private(set) var bytes: [UInt8] = []
    private var depth = 0
    /// The current container already has an element, so the next one needs a comma.
    private var needsComma = false
    /// A key was just written; the next value follows it directly.
    private var afterKey = false

    public init(style: Style = .compact, reservingCapacity capacity: Int = 0) {
        self.style = style
        bytes.reserveCapacity(capacity)
    }

    /// The output as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the output, keeping its storage, to write the next document.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        depth = 0
        needsComma = false
        afterKey = false
    }

    /// The document for `value`.
    public static func encode(_ value: JSONValue, style: Style = .compact) -> [UInt8] {
        var w = JSONWriter(style: style)
        w.write(value)
        return w.bytes
    }

    /// The document for `value`, as a string.
    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        String(decoding: encode(value, style: style), as: UTF8.self)
    }

    // MARK: Trees

    /// Writes a whole value (as a document, an array element, or after a key).
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let text): number(text)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for e in elements { write(e) }
            endArray()
        case .object(let object):
            beginObject()
            for m in object.members {
                key(m.key)
                write(m.value)
            }
            endObject()
        }
    }

    // MARK: Streaming

    public mutating func beginObject() {
        prepareValue()
        bytes.append(UInt8(ascii: "{"))
        depth += 1
        needsComma = false
    }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() {
        prepareValue()
        bytes.append(UInt8(ascii: "["))
        depth += 1
        needsComma = false
    }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes a member's key; the next call writes its value.
    public mutating func key(_ key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if style == .pretty { newline() }
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        if style == .pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    /// A key written in the source (`w.key("case_id")`): copied as it is, without scanning for escapes.
    /// Such keys are plain identifiers; anything needing an escape must be written with `key(_: String)`.
    public mutating func key(static key: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if style == .pretty { newline() }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { utf8 in
            assert(!utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }, "a static key needs no escape")
            bytes.append(contentsOf: utf8)
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        if style == .pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    /// A key written in the source and a string value.
    public mutating func member(static name: StaticString, _ value: String) {
        key(static: name)
        string(value)
    }

    public mutating func string(_ value: String) {
        prepareValue()
        appendString(value)
        needsComma = true
    }

    /// Writes a number from its exact decimal text (`"1018.00"`, `"-3"`, `"1e2"`).
    /// The text must be a JSON number: anything else is a programming error and stops the program.
    public mutating func number(_ text: String) {
        precondition(Self.isNumber(text), "JSONWriter.number: '\(text)' is not a JSON number")
        prepareValue()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    public mutating func number(_ value: Int) {
        prepareValue()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        prepareValue()
        let literal: StaticString = value ? "true" : "false"
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    public mutating func null() {
        prepareValue()
        let literal: StaticString = "null"
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    /// A key and a string value.
    public mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// A key and a value tree.
    public mutating func member(_ name: String, _ value: JSONValue) {
        key(name)
        write(value)
    }


    @inline(__always) private mutating func prepareValue() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if style == .pretty, depth > 0 { newline() }
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if style == .pretty, needsComma { newline() }
        bytes.append(bracket)
        needsComma = true
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ value: String) { Self.appendQuoted(value, to: &bytes) }

    /// Appends `value` as a JSON string, quoted and escaped as `string(_:)` writes it, to any byte buffer:
    /// for output written without a writer (brief batch results) that must match a writer's bytes.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        // Contiguous UTF-8 (native and small strings) is read in place; only bridged text is copied first.
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &bytes) }) { return done }
        var copy = value
        copy.withUTF8 { appendEscaped($0, to: &bytes) }
    }

    static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: they are copied at once.
        if !needsEscaping(utf8) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var runStart = 0
        for (k, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            if runStart < k { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<k])) }
            runStart = k + 1
            bytes.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether a string has a byte that `string(_:)` escapes: `"`, `\` or a control character.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
        return false
    }

    /// Whether `text` is a number as JSON writes it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    public static func isNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isNumber($0) }
    }

    /// The same for bytes (a CSV cell written into JSON as it is).
    static func isNumber(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func digits() -> Bool {
            let s = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            return i > s
        }
        if i < u.count, u[i] == UInt8(ascii: "-") { i += 1 }
        if i < u.count, u[i] == UInt8(ascii: "0") {
            i += 1
        } else if !digits() {
            return false
        }
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        if i < u.count, u[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return i == u.count
    }
}
