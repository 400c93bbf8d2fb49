import Foundation
import Testing
import TestSupport
@testable import Eligibility

@Suite("JSON reader")
struct JSONParserTests {
    static let profile = #"""
    {"case_id":"c1","state":"CA","county":"Fresno","members":[{"relationship":"caregiver","age":30,"earned_income":1200.50},{"relationship":"child","age":4}],"resources":250,"enrolled":["snap"],"child_welfare":{"stage":"investigation"}}
    """#

    @Test func profileParses() throws {
        let v = try JSONParser.parse(Self.profile)
        #expect(v["case_id"] == "c1")
        #expect(v["members"]?[0]?["earned_income"] == .number("1200.50"))
        #expect(v["members"]?[1]?["age"] == .number("4"))
        #expect(v["child_welfare"]?["stage"]?.stringValue == "investigation")
        #expect(v.objectValue?.keys == ["case_id", "state", "county", "members", "resources", "enrolled", "child_welfare"])
    }

    @Test("numbers keep their exact text", arguments: [
        "1829.00", "-3", "1e2", "0", "-0", "0.5", "-0.0", "1E-7", "2.50e+10", "10",
        "123456789012345678901234567890.000000000000000000001",
    ])
    func exactNumbers(text: String) throws {
        #expect(try JSONParser.parse(text) == .number(text))
        #expect(try JSONParser.parse("[\(text)]") == .array([.number(text)]))
        #expect(JSONWriter.string(.number(text)) == text)
    }

    @Test("valid documents", arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("\"\"", .string("")),
        ("\"caf\u{e9} \u{1F600}\"", .string("caf\u{e9} \u{1F600}")),
        (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{c}\n\r\t")),
        (#""\u00e9\u00E9""#, .string("\u{e9}\u{e9}")),
        (#""\ud83d\ude00""#, .string("\u{1F600}")),
        (#""\u0000""#, .string("\u{0}")),
        (#""x\u0041y""#, .string("xAy")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        ("[ 1 , [ ] , { } ]", .array([1, [], .object(JSONObject())])),
        ("\r\n\t{\"b\":1,\"a\":[null,true]}\n", ["b": 1, "a": [nil, true]]),
    ] as [(String, JSONValue)])
    func validDocuments(input: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(input) == expected)
        #expect(try JSONParser.parse(Array(input.utf8)) == expected)
        #expect(try JSONParser.parseNode(input).value == expected)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8)
        #expect(try JSONParser.parse(bytes) == ["a": 1])
        // Columns do not count the mark; offsets do.
        let bad: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\" 1}".utf8)
        #expect(throws: JSONError(reason: "expected ':' after an object key, found '1'", offset: 8, line: 1, column: 6,
                                  path: JSONPath([.key("a")]))) {
            try JSONParser.parse(bad)
        }
    }

    static let invalid: [(String, String)] = [
        ("", "empty input: expected a JSON value"),
        ("  \n\t ", "empty input: expected a JSON value"),
        ("\u{FEFF}", "empty input: expected a JSON value"),
        ("[1,2", "line 1, column 5: expected ',' or ']' after an array element, found end of input"),
        ("[1 2]", "line 1, column 4: expected ',' or ']' after an array element, found '2'"),
        ("{\"a\":1]", "line 1, column 7: expected ',' or '}' after an object member, found ']'"),
        ("{\n  \"a\": 1,\n  \"b\": [1, 2]]\n}", "line 3, column 14: expected ',' or '}' after an object member, found ']'"),
        ("[1] x", "line 1, column 5: expected end of input after the JSON value, found 'x'"),
        ("{} {}", "line 1, column 4: expected end of input after the JSON value, found '{'"),
        ("1 2", "line 1, column 3: expected end of input after the JSON value, found '2'"),
        ("[", "line 1, column 2: expected a JSON value, found end of input (at [0])"),
        ("[1,]", "line 1, column 4: expected a JSON value after ',' in an array, found ']' (at [1])"),
        ("[,1]", "line 1, column 2: expected a JSON value, found ',' (at [0])"),
        ("{\"a\":1,}", "line 1, column 8: expected a string key after ',' in an object, found '}'"),
        ("{1:2}", "line 1, column 2: expected a string key or '}' in an object, found '1'"),
        ("{'a':2}", "line 1, column 2: expected a string key or '}' in an object, found \"'\""),
        ("{\"a\" 1}", "line 1, column 6: expected ':' after an object key, found '1' (at a)"),
        ("{\"a\":}", "line 1, column 6: expected a JSON value, found '}' (at a)"),
        ("{\"a\":1,\"a\":2}", "line 1, column 8: duplicate key 'a' (first at line 1, column 2)"),
        ("{\"x\":{\n\"a\":1,\n  \"a\":2}}", "line 3, column 3: duplicate key 'a' (first at line 2, column 1) (at x)"),
        ("01", "line 1, column 1: invalid number '01': leading zeros are not allowed"),
        ("-01.5", "line 1, column 1: invalid number '-01.5': leading zeros are not allowed"),
        ("-", "line 1, column 1: invalid number '-': expected a digit after '-'"),
        ("[-x]", "line 1, column 2: invalid number '-': expected a digit after '-' (at [0])"),
        ("1.", "line 1, column 1: invalid number '1.': expected a digit after the decimal point"),
        ("1.e5", "line 1, column 1: invalid number '1.e5': expected a digit after the decimal point"),
        ("1e", "line 1, column 1: invalid number '1e': expected a digit in the exponent"),
        ("2E+", "line 1, column 1: invalid number '2E+': expected a digit in the exponent"),
        (".5", "line 1, column 1: expected a JSON value, found '.'"),
        ("+1", "line 1, column 1: expected a JSON value, found '+'"),
        ("1.5.3", "line 1, column 4: expected end of input after the JSON value, found '.'"),
        ("tru", "line 1, column 1: unknown literal 'tru': expected true, false or null"),
        ("True", "line 1, column 1: unknown literal 'True': expected true, false or null"),
        ("[NaN]", "line 1, column 2: unknown literal 'NaN': expected true, false or null (at [0])"),
        ("nulls", "line 1, column 5: expected end of input after the JSON value, found 's'"),
        ("\"abc", "line 1, column 1: unterminated string: end of input before the closing '\"'"),
        ("[\"a\\", "line 1, column 2: unterminated string: end of input before the closing '\"' (at [0])"),
        ("\"a\tb\"", "line 1, column 3: unescaped control character U+0009 in a string"),
        ("\"a\nb\"", "line 1, column 3: unescaped control character U+000A in a string"),
        ("\"\u{1}\"", "line 1, column 2: unescaped control character U+0001 in a string"),
        ("\"\\x\"", "line 1, column 2: invalid escape '\\x' in a string"),
        ("\"\\\u{e9}\"", "line 1, column 2: invalid escape '\\\u{e9}' in a string"),
        ("\"\\\n\"", "line 1, column 2: invalid escape in a string: '\\' followed by a line break"),
        ("\"\\u12G4\"", "line 1, column 2: invalid unicode escape '\\u12G': expected 4 hexadecimal digits"),
        ("\"\\u12\"", "line 1, column 2: invalid unicode escape '\\u12': expected 4 hexadecimal digits"),
        ("\"\\u12", "line 1, column 2: invalid unicode escape '\\u12': expected 4 hexadecimal digits"),
        ("\"\\uD800\"", "line 1, column 2: lone high surrogate '\\uD800' in a string"),
        ("\"\\ud83d\\u0041\"", "line 1, column 2: lone high surrogate '\\ud83d' in a string"),
        ("\"\\ud83dx\"", "line 1, column 2: lone high surrogate '\\ud83d' in a string"),
        ("\"\\uDC00\"", "line 1, column 2: lone low surrogate '\\uDC00' in a string"),
        ("\u{e9}", "line 1, column 1: expected a JSON value, found '\u{e9}'"),
        ("{\"n\u{e9}\u{e9}\":x}", "line 1, column 8: unknown literal 'x': expected true, false or null (at [\"n\u{e9}\u{e9}\"])"),
        ("[\r\n1,\r\n]", "line 3, column 1: expected a JSON value after ',' in an array, found ']' (at [1])"),
        ("{\"members\":[{\"age\":3},{\"age\":01}]}",
         "line 1, column 30: invalid number '01': leading zeros are not allowed (at members[1].age)"),
        ("{\"members\":[{\"age\":3},{\"age\":1]}",
         "line 1, column 31: expected ',' or '}' after an object member, found ']' (at members[1])"),
        ("{\"first name\":[1,}", "line 1, column 18: expected a JSON value, found '}' (at [\"first name\"][1])"),
    ]

    @Test("invalid documents give exact messages", arguments: invalid)
    func invalidDocuments(input: String, message: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(input) }
        do {
            _ = try JSONParser.parse(input)
        } catch {
            #expect(error.description == message)
        }
        do {
            _ = try JSONParser.parseNode(input)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("invalid UTF-8 names the byte offset", arguments: [
        ([0x22, 0x61, 0xFF, 0x22] as [UInt8], "line 1, column 3: invalid UTF-8 byte 0xFF at byte offset 2"),
        // Latin-1 é, then a quote that is not a continuation byte.
        (Array("{\"caf".utf8) + [0xE9] + Array("\":1}".utf8), "line 1, column 6: invalid UTF-8 byte 0xE9 at byte offset 5"),
        (Array("[1,\n ".utf8) + [0xC0, 0x80] + Array("]".utf8), "line 2, column 2: invalid UTF-8 byte 0xC0 at byte offset 5 (at [1])"),
        // An encoded surrogate (U+D800) and an overlong slash.
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "line 1, column 2: invalid UTF-8 byte 0xED at byte offset 1"),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], "line 1, column 2: invalid UTF-8 byte 0xE0 at byte offset 1"),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "line 1, column 2: invalid UTF-8 byte 0xF4 at byte offset 1"),
        // Truncated at the end of input.
        ([0x22, 0xE2, 0x82], "line 1, column 2: invalid UTF-8 byte 0xE2 at byte offset 1"),
        ([0x5B, 0x80, 0x5D], "line 1, column 2: invalid UTF-8 byte 0x80 at byte offset 1 (at [0])"),
        ([0x22, 0x5C, 0xFF, 0x22], "line 1, column 2: invalid escape in a string: '\\' followed by invalid UTF-8 byte 0xFF"),
    ] as [([UInt8], String)])
    func invalidUTF8(bytes: [UInt8], message: String) {
        do {
            _ = try JSONParser.parse(bytes)
            Issue.record("parsed invalid UTF-8")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func errorFields() {
        do {
            _ = try JSONParser.parse("{\n  \"members\": [ {\"age\": x} ]\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == "unknown literal 'x': expected true, false or null")
            #expect(error.offset == 25)
            #expect(error.line == 2)
            #expect(error.column == 24)
            #expect(error.path == JSONPath([.key("members"), .index(0), .key("age")]))
            #expect(error.message == "unknown literal 'x': expected true, false or null (at members[0].age)")
        }
    }

    @Test func nodesRecordOffsets() throws {
        let text = "{\"a\": [1, \"x\"],\n \"b\": null}"
        let node = try JSONParser.parseNode(text)
        #expect(node.offset == 0)
        #expect(node.member("a")?.keyOffset == 1)
        #expect(node["a"]?.offset == 6)
        #expect(node["a"]?[0]?.offset == 7)
        #expect(node["a"]?[1]?.offset == 10)
        #expect(node["a"]?[1]?.kind == .string("x"))
        #expect(node["b"]?.offset == 22)
        #expect(node["b"]?.kindDescription == "null")
        #expect(node["missing"] == nil)
        let at = JSONParser.location(of: node["b"]!.offset, in: Array(text.utf8))
        #expect(at.line == 2 && at.column == 7)
    }

    @Test func locationCountsCharactersAndSkipsTheByteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("\u{e9}\u{e9}x\nab".utf8)
        let first = JSONParser.location(of: 7, in: bytes)  // the x after two 2-byte characters
        #expect(first.line == 1 && first.column == 3)
        let second = JSONParser.location(of: 10, in: bytes)
        #expect(second.line == 2 && second.column == 2)
        let past = JSONParser.location(of: 99, in: bytes)
        #expect(past.line == 2 && past.column == 3)
    }

    @Test func nestingLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var v = try JSONParser.parse(ok)
        var depth = 0
        while case .array(let a) = v, let first = a.first { v = first; depth += 1 }
        #expect(depth == 511)
        let objects = String(repeating: "{\"a\":", count: 512) + "1" + String(repeating: "}", count: 512)
        #expect(try JSONParser.parse(objects)["a"] != nil)

        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        do {
            _ = try JSONParser.parse(tooDeep)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == "nesting too deep: more than 512 levels of arrays and objects")
            #expect(error.column == 513)
            #expect(error.path.components.count == 512)
            #expect(error.description.count < 200)
        }
        #expect(throws: JSONError.self) { try JSONParser.parse(tooDeep, maxDepth: 512) }
        #expect(try JSONParser.parse("[[1]]", maxDepth: 2) == [[1]])
        #expect(throws: JSONError.self) { try JSONParser.parse("[[[1]]]", maxDepth: 2) }
    }

    @Test func hostileNestingFailsFastWithoutRecursion() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes) }
        let mixed = Array(String(repeating: "{\"a\":[", count: 200_000).utf8)
        #expect(throws: JSONError.self) { try JSONParser.parseNode(mixed) }
    }

    @Test func largeObjectsStayLinear() throws {
        var text = "{"
        for k in 0..<50_000 { text += "\"k\(k)\":\(k)," }
        text += "\"last\":0}"
        let v = try JSONParser.parse(text)
        #expect(v.objectValue?.count == 50_001)
        #expect(v["k49999"] == 49999)
        #expect(v.objectValue?.position(of: "last") == 50_000)
        let dup = text.replacingOccurrences(of: "\"last\"", with: "\"k7\"")
        #expect(throws: JSONError.self) { try JSONParser.parse(dup) }
    }

    /// 50 MB documents parse or fail in linear time. The records carry long notes so that the test stays
    /// quick in a debug build; the throughput of small records is measured by the benchmark, not here.
    @Test func fiftyMegabytes() throws {
        let note = String(repeating: "called the family back; ", count: 170)
        let record = Array(Self.profile.dropLast().utf8) + Array(",\"notes\":\"\(note)\"}".utf8)
        let count = 50_000_000 / (record.count + 1)
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(count * (record.count + 1) + 2)
        for k in 0..<count {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: record)
        }
        bytes.append(UInt8(ascii: "]"))
        #expect(bytes.count > 49_000_000)
        let v = try JSONParser.parse(bytes)
        #expect(v.arrayValue?.count == count)
        #expect(v[count - 1]?["members"]?[0]?["earned_income"] == .number("1200.50"))
        #expect(v[count - 1]?["notes"]?.stringValue == note)

        // One 50 MB string left unterminated: the error points at its opening quote.
        var long: [UInt8] = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "a"), count: 50_000_000)
        do {
            _ = try JSONParser.parse(long)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "line 1, column 1: unterminated string: end of input before the closing '\"'")
        }
        // Garbage after it.
        long += Array("\" x".utf8)
        do {
            _ = try JSONParser.parse(long)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == "expected end of input after the JSON value, found 'x'")
            #expect(error.offset == 50_000_003)
        }
        // 50 MB of opening brackets stops at the depth limit.
        let brackets = [UInt8](repeating: UInt8(ascii: "["), count: 50_000_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(brackets) }
    }

    @Test func parsesFromAnyByteCollection() throws {
        let data = Data("[1,\"x\"]".utf8)
        #expect(try JSONParser.parse(data) == [1, "x"])
        let slice = Array("xx[2]".utf8)[2...]
        #expect(try JSONParser.parse(slice) == [2])
        #expect(try JSONParser.parse(AnyCollection(Array("true".utf8))) == true)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func compactAndDeterministic() {
        let v: JSONValue = ["case_id": "c1", "z": [1, .number("1018.00"), nil, true, false], "a": ["nested": [:]], "e": []]
        #expect(JSONWriter.string(v) == #"{"case_id":"c1","z":[1,1018.00,null,true,false],"a":{"nested":{}},"e":[]}"#)
    }

    @Test func pretty() {
        let v: JSONValue = ["case_id": "c1", "programs": [["id": "tanf.ca", "missing": []], 2], "empty": [:]]
        let expected = """
        {
          "case_id": "c1",
          "programs": [
            {
              "id": "tanf.ca",
              "missing": []
            },
            2
          ],
          "empty": {}
        }
        """
        #expect(JSONWriter.string(v, style: .pretty) == expected)
        #expect(JSONWriter.string([], style: .pretty) == "[]")
        #expect(JSONWriter.string("x", style: .pretty) == "\"x\"")
    }

    @Test("string escaping", arguments: [
        ("plain", #""plain""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{0}\u{1}\u{8}\u{c}\u{1f}", #""\u0000\u0001\u0008\u000c\u001f""#),
        ("caf\u{e9} \u{1F600} \u{2028} /", "\"caf\u{e9} \u{1F600} \u{2028} /\""),
        ("\u{7f}", "\"\u{7f}\""),
        ("", #""""#),
    ])
    func escaping(input: String, expected: String) throws {
        #expect(JSONWriter.string(.string(input)) == expected)
        #expect(try JSONParser.parse(expected) == .string(input))
    }

    @Test func streamingMatchesTrees() {
        var w = JSONWriter()
        w.beginObject()
        w.member("case_id", "c1")
        w.key("programs")
        w.beginArray()
        w.beginObject()
        w.key("id"); w.string("snap")
        w.key("benefit"); w.number("291.00")
        w.key("count"); w.number(3)
        w.key("enrolled"); w.bool(false)
        w.key("note"); w.null()
        w.endObject()
        w.endArray()
        w.member("extra", ["x": [1]])
        w.endObject()
        let tree: JSONValue = ["case_id": "c1",
                               "programs": [["id": "snap", "benefit": .number("291.00"), "count": 3, "enrolled": false, "note": nil]],
                               "extra": ["x": [1]]]
        #expect(w.text == JSONWriter.string(tree))

        var p = JSONWriter(style: .pretty)
        p.beginObject(); p.key("a"); p.beginArray(); p.number(1); p.number(2); p.endArray(); p.endObject()
        #expect(p.text == JSONWriter.string(["a": [1, 2]], style: .pretty))

        // Reused for the next document, as a JSON Lines writer does.
        w.reset()
        w.beginArray(); w.endArray()
        #expect(w.text == "[]")
    }

    @Test func numberValidation() {
        for good in ["0", "-0", "1829.00", "1e2", "1E+2", "-3.5e-7"] { #expect(JSONWriter.isNumber(good), "\(good)") }
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "1,000", "NaN", "1 "] { #expect(!JSONWriter.isNumber(bad), "\(bad)") }
    }

    @Test func roundTrips() throws {
        let texts = [
            JSONParserTests.profile,
            #"{"a":[],"b":{},"c":[[[]]],"d":"\u0001\"","e":-0.000,"f":1E+400,"g":"\ud83d\ude00"}"#,
            #"[null,true,false,"",0,{"":""}]"#,
        ]
        for text in texts {
            let v = try JSONParser.parse(text)
            let compact = JSONWriter.string(v)
            #expect(try JSONParser.parse(compact) == v)
            let pretty = JSONWriter.string(v, style: .pretty)
            #expect(try JSONParser.parse(pretty) == v)
            #expect(JSONWriter.string(try JSONParser.parse(pretty)) == compact)
        }
        // Compact output of compact input is byte-identical.
        #expect(JSONWriter.string(try JSONParser.parse(JSONParserTests.profile)) == JSONParserTests.profile)
    }

    @Test func generatedRoundTrips() throws {
        var rng = SplitMix(seed: 42)
        for _ in 0..<300 {
            let v = Self.randomValue(&rng, depth: 0)
            let text = JSONWriter.string(v)
            #expect(try JSONParser.parse(text) == v, "\(text)")
            #expect(try JSONParser.parse(JSONWriter.string(v, style: .pretty)) == v)
        }
    }

    static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        switch rng.next() % (depth > 4 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(["0", "-1", "1829.00", "3.14159", "2e10", "-7E-3", "12345678901234567890"][Int(rng.next() % 7)])
        case 3, 4: return .string(randomString(&rng))
        case 5: return .array((0..<Int(rng.next() % 5)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var o = JSONObject()
            for _ in 0..<Int(rng.next() % 5) { o[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(o)
        }
    }

    static func randomString(_ rng: inout SplitMix) -> String {
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{e9}", "\u{1F600}", "\u{2028}", "\u{0}"]
        return String((0..<Int(rng.next() % 8)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test func objectsKeepOrderAndLookUp() {
        var o = JSONObject([(key: "b", value: 1), (key: "a", value: 2), (key: "b", value: 3)])
        #expect(o.keys == ["b", "a"])
        #expect(o["b"] == 3)
        o["c"] = "x"
        o["a"] = nil
        #expect(o.keys == ["b", "c"])
        #expect(!o.contains("a"))
        // Large objects use an index; it stays right through edits.
        var big = JSONObject()
        for k in 0..<40 { big["k\(k)"] = .integer(k) }
        big["k3"] = nil
        big["k39"] = "last"
        #expect(big.count == 39)
        #expect(big["k4"] == 4)
        #expect(big["k3"] == nil)
        #expect(big["k39"] == "last")
        #expect(big.position(of: "k4") == 3)
    }

    @Test func equalityIsOrdered() {
        #expect(JSONValue(dictionaryLiteral: ("a", 1), ("b", 2)) != JSONValue(dictionaryLiteral: ("b", 2), ("a", 1)))
        #expect(JSONValue.number("1.0") != .number("1"))
    }

    @Test func accessors() throws {
        let v = try JSONParser.parse(#"{"s":"x","n":1.50,"b":true,"z":null,"a":[1],"o":{}}"#)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["n"]?.numberText == "1.50")
        #expect(v["b"]?.boolValue == true)
        #expect(v["z"]?.isNull == true)
        #expect(v["a"]?.arrayValue?.count == 1)
        #expect(v["o"]?.objectValue?.isEmpty == true)
        #expect(v["a"]?[5] == nil)
        #expect(v["s"]?["x"] == nil)
        #expect(v["a"]?.kindDescription == "an array")
        #expect(v["n"]?.kindDescription == "a number")
    }

    @Test func pathDescriptions() {
        #expect(JSONPath.root.description == "")
        #expect(JSONPath([.key("members"), .index(0), .key("earned_income")]).description == "members[0].earned_income")
        #expect(JSONPath([.key("child_welfare"), .key("stage")]).description == "child_welfare.stage")
        #expect(JSONPath([.index(2), .key("first name"), .key("0x")]).description == #"[2]["first name"]["0x"]"#)
        #expect(JSONPath.root.appending(key: "a").appending(index: 1).description == "a[1]")
    }
}


@Suite("JSON writer static keys") struct JSONStaticKeyTests {
    @Test(arguments: [JSONWriter.Style.compact, .pretty])
    func staticKeysWriteWhatStringKeysWrite(_ style: JSONWriter.Style) {
        var a = JSONWriter(style: style), b = JSONWriter(style: style)
        a.beginObject(); a.key(static: "case_id"); a.string("c-1"); a.member(static: "state", "CA"); a.key(static: "ok"); a.bool(true); a.endObject()
        b.beginObject(); b.key("case_id"); b.string("c-1"); b.member("state", "CA"); b.key("ok"); b.bool(true); b.endObject()
        #expect(a.text == b.text)
        #expect(style == .pretty || a.text == #"{"case_id":"c-1","state":"CA","ok":true}"#)
    }

    @Test func smallAndLargeStringsAreEscapedAlike() {
        var w = JSONWriter()
        w.beginArray(); w.string("a\"b"); w.string(String(repeating: "x", count: 40) + "\n"); w.string("é"); w.endArray()
        #expect(w.text == #"["a\"b","\#(String(repeating: "x", count: 40))\n","é"]"#)
    }
}
