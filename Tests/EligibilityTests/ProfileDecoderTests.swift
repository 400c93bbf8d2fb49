import Foundation
import Testing
import TestSupport
@testable import Eligibility

/// The direct profile decoder against the JSON-tree reader: whatever the decoder accepts it must read exactly
/// as the tree path does, and everything else (every error, warning or oddity) it must leave to the tree path.
struct ProfileDecoderTests {
    static let reader = ProfileReader(rules: ProfileReaderTests.rules)
    static let asOf = Fixture.day("2026-11-01")

    /// Everything observable about a read profile, for comparing the two paths.
    struct Snapshot: Equatable, CustomStringConvertible {
        let caseId: String
        let state: String
        let screeningDate: Day
        let household: [Value]
        let members: [Value]
        let memberCount: Int
        let memberFactCount: Int
        let texts: [String]
        let warnings: [String]

        init(_ p: Profile) {
            caseId = p.caseId
            state = p.state
            screeningDate = p.screeningDate
            household = p.facts.household
            members = p.facts.members
            memberCount = p.facts.memberCount
            memberFactCount = p.facts.memberFactCount
            texts = p.facts.texts
            warnings = p.warnings
        }

        var description: String {
            "\(caseId) \(state) \(screeningDate) household \(household) members \(memberCount)×\(memberFactCount) \(members) texts \(texts) warnings \(warnings)"
        }
    }

    /// A read result in comparable form.
    enum Outcome: Equatable {
        case profile(Snapshot)
        case errors(ProfileErrors)
        init(_ r: Result<Profile, ProfileErrors>) {
            switch r {
            case .success(let p): self = .profile(Snapshot(p))
            case .failure(let e): self = .errors(e)
            }
        }
    }

    /// Checks the decoder against the tree path on `bytes` (strict and not) and returns whether the decoder
    /// accepted them. The public `read` must give the tree path's result either way.
    @discardableResult
    static func expectAgreement(_ bytes: [UInt8], reader: ProfileReader = reader, asOf: Day = asOf,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let direct = reader.decoder.decode(bytes, asOf: asOf)
        for strict in [false, true] {
            let tree = Outcome(reader.readTree(json: bytes, asOf: asOf, strict: strict))
            let read = Outcome(reader.read(json: bytes, asOf: asOf, strict: strict))
            #expect(read == tree, "read differs from the tree path on \(show(bytes))", sourceLocation: sourceLocation)
            if let direct {
                #expect(Outcome.profile(Snapshot(direct)) == tree, "decoder differs from the tree path on \(show(bytes))", sourceLocation: sourceLocation)
            }
        }
        return direct != nil
    }

    static func show(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(400), as: UTF8.self)
        return bytes.count > 400 ? text + "…" : text
    }

    static func examples() throws -> [(name: String, bytes: [UInt8])] {
        let dir = Fixture.packageRoot.appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { ($0, Array(try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    // MARK: Equivalence on real profiles

    @Test func examplesAsWrittenAndMinified() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 5)
        for (name, bytes) in examples {
            #expect(Self.expectAgreement(bytes), "decoder gave up on \(name)")
            let minified = JSONWriter.encode(try JSONParser.parse(bytes), style: .compact)
            #expect(!minified.contains(UInt8(ascii: "\n")))
            #expect(Self.expectAgreement(minified), "decoder gave up on minified \(name)")
        }
    }

    @Test func smallCaseload() throws {
        let text = try String(contentsOf: Fixture.packageRoot.appendingPathComponent("examples/caseload-small.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 10)
        for line in lines {
            #expect(Self.expectAgreement(Array(line.utf8)), "decoder gave up on \(line.prefix(60))")
        }
    }

    @Test func generatedCaseload() {
        var rng = SplitMix(seed: 2026)
        var accepted = 0
        for n in 1...3000 {
            let record = CaseloadRecord.random(n, &rng)
            if Self.expectAgreement(Array(record.utf8)) { accepted += 1 } else { Issue.record("decoder gave up on \(record)") }
        }
        #expect(accepted == 3000)
    }

    /// Facts of every kind the shipped rules lack: decimals, percentages, integers without bounds, deeper groups,
    /// member texts, and texts equal to rule constants, in every order.
    static let otherRules: ProfileReader = {
        let rules = try! Fixture.rules("""
            enum color "Color"
              red "Red"
              green "Green"
              blue "Blue"
            end
            fact county : text "County?"
            fact share : percent "Share?"
            fact ratio : decimal "Ratio?"
            fact tally : integer "Tally?"
            fact a.b.c : yes/no "Deep?"
            fact a.b.d : color "Deep color?"
            fact a.e : set of color "Colors?"
            member fact id : text "Id?"
            member fact note : text "Note?"
            member fact birth_date : date "Born?"
            member fact age : integer "Age?"
              range 0 to 120
            let named = county = "Fresno" or county = "m1" or county = "ca" or county = "" or county = "Doña Ana" or state = "CA"
            """)
        return ProfileReader(rules: rules)
    }()

    @Test(arguments: [
        #"{"case_id":"m1","state":"CA","members":[{"id":"m1","note":"Fresno"},{"id":"x","note":""}],"county":"Fresno"}"#,
        #"{"members":[{"id":"x2"},{"note":"n"}],"county":"Kern","case_id":"c","state":"ca"}"#,
        #"{"case_id":"c","state":"tx","county":"ca","members":[{}]}"#,
        #"{"case_id":"c","state":"Ny","county":"","members":[{"id":""}]}"#,
        #"{"case_id":"c","state":"CA","county":"Doña Ana","members":[{"id":"Doña Ana","note":"ü"}]}"#,
        #"{"case_id":"Fresno","state":"CA","members":[{}]}"#,
        #"{"case_id":"c","state":"CA","share":12.5,"ratio":-0.75,"tally":-40,"members":[{"age":7}]}"#,
        #"{"case_id":"c","state":"CA","share":0,"ratio":-0,"tally":123456789012345678,"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","ratio":0.000000000000000001,"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","ratio":1.5e2,"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","ratio":12345678901234567890,"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{"b":{"c":true,"d":"blue"},"e":["red","blue","red"]},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{"b":null,"e":[]},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":null,"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{"b":{}},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{"b":{"c":true},"b":{}},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{"b":{"d":"purple"}},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":{"b":{"c":true,"x":1}},"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","a":[],"members":[{}]}"#,
        #"{"case_id":"c","state":"CA","screening_date":"2026-11-01","members":[{"birth_date":"2026-11-01"}]}"#,
        #"{"case_id":"c","state":"CA","screening_date":"2026-11-01","members":[{"birth_date":"2026-11-02"}]}"#,
        #"{"case_id":"c","state":"CA","members":[{"birth_date":"2026-11-02"}],"screening_date":"2026-12-01"}"#,
        #"{"case_id":"c","state":"CA","members":[{"id":"a","note":"b"},{"id":"c"}],"county":"d"}"#,
        #"{"case_id":"c","state":"CA","members":[{"id":"a\u0041"}]}"#,
    ])
    func otherFactKinds(_ json: String) {
        Self.expectAgreement(Array(json.utf8), reader: Self.otherRules)
    }

    @Test func membersBeforeTheHouseholdKeepTheTreePathsTextOrder() throws {
        let json = #"{"members":[{"id":"first"},{"id":"Fresno"},{"note":"second"}],"case_id":"c7","state":"tx","county":"Kern"}"#
        let profile = try #require(Self.otherRules.decoder.decode(Array(json.utf8), asOf: Self.asOf))
        // Household texts (with the state as given, then its code), then members' texts, as the tree path adds them.
        #expect(profile.facts.texts == ["c7", "tx", "Kern", "TX", "first", "second"])
        Self.expectAgreement(Array(json.utf8), reader: Self.otherRules)
    }

    // MARK: What the decoder leaves to the tree path

    /// A valid compact profile with `extra` (members without braces) added to the household.
    static func profile(_ extra: String = "", members: String = #"[{"relationship":"caregiver","age":30},{"relationship":"child","age":4}]"#) -> String {
        #"{"case_id":"c1","state":"CA","screening_date":"2026-11-01","members":\#(members)\#(extra.isEmpty ? "" : "," + extra)}"#
    }

    /// Each oddity, and whether the decoder must give up on it (it may also give up on valid input it does not handle).
    static let oddities: [(String, mustGiveUp: Bool)] = [
        // syntax
        ("", true), (" ", true), ("\n", true), ("{}", true), ("[]", true), ("null", true), ("\"CA\"", true),
        (profile() + "x", true), (profile() + "}", true), (profile() + " \r\n\t", false), (String(profile().dropLast()), true),
        ("\u{FEFF}" + profile(), false), (profile(#""rent":1598.00,"#).replacingOccurrences(of: ",,", with: ","), true),
        (profile(#""rent":1598.00"#).replacingOccurrences(of: "1598.00", with: "1598.00,"), true),
        (profile().replacingOccurrences(of: ":", with: " : "), false),
        (profile().replacingOccurrences(of: ",", with: " ,\n  "), false),
        (profile().replacingOccurrences(of: "\"c1\"", with: "'c1'"), true),
        // escapes and Unicode
        (profile(#""county":"Los\u0020Angeles""#), false), (profile(#""county":"Fres\"no""#), false),
        (profile(#""county":"Doña Ana""#), false), (profile("\"county\":\"Fres\u{1}no\""), true),
        (profile("\"county\":\"Fres\u{7F}no\""), false), (profile("\"county\":\"\u{212A}ern\""), false),
        (profile(#""c\u006funty":"Kern""#), false), (profile(#""housing":"st\u0061ble""#), false),
        (profile(#""housing":"\u212Aern""#), true), (profile("\"enrolled\":[\"sn\u{0061}p\"]"), false),
        // duplicates, unknown fields, nesting
        (profile(#""rent":100,"rent":100"#), true), (profile(#""case_id":"c1""#), true),
        (profile(#""members":[]"#), true), (profile(#""child_welfare":{"stage":"none","stage":"none"}"#), true),
        (profile(#""rnt":100"#), true), (profile(#""child_welfare":{"stag":"none"}"#), true),
        (profile(#""child_welfare.stage":"none""#), true), (profile(#""extra":{"a":[1,{"b":2}]}"#), true),
        (profile(members: #"[{"age":30,"agee":4}]"#), true), (profile(members: #"[{"age":30,"age":30}]"#), true),
        (profile(#""child_welfare":{"stage":"none","substantiated":{"x":1}}"#), true),
        (profile(#""rent":{}"#), true), (profile(#""rent":[]"#), true), (profile(members: #"[{"age":[30]}]"#), true),
        // wrong types
        (profile(#""rent":"100""#), true), (profile(#""utility_shutoff_notice":"yes""#), true),
        (profile(#""utility_shutoff_notice":1"#), true), (profile(#""utility_shutoff_notice":tru"#), true),
        (profile(#""utility_shutoff_notice":trueish"#), true), (profile(#""county":7"#), true),
        (profile(#""housing":3"#), true), (profile(#""housing":"castle""#), true), (profile(#""housing":"Stable""#), true),
        (profile(#""enrolled":"snap""#), true), (profile(#""enrolled":[1]"#), true), (profile(#""enrolled":["snapp"]"#), true),
        (profile(#""enrolled":[null]"#), true), (profile(#""enrolled":["snap",]"#), true), (profile(#""enrolled":[,]"#), true),
        (profile(#""child_welfare":"none""#), true), (profile(#""child_welfare":[]"#), true),
        (profile(members: #"[{"age":"30"}]"#), true), (profile(members: #"[{"birth_date":20250101}]"#), true),
        (profile(members: #"[{"birth_date":"2025-02-30"}]"#), true), (profile(members: #"[{"birth_date":"2025-2-3"}]"#), true),
        (profile(members: #"[{"birth_date":"2025-02-03x"}]"#), true), (profile(members: #"[{"birth_date":"2025/02/03"}]"#), true),
        (profile(members: #"[{"birth_date":"2027-01-01"}]"#), true), (profile(members: #"[{"birth_date":"0000-01-01"}]"#), true),
        // numbers
        (profile(#""rent":1e3"#), true), (profile(#""rent":1E3"#), true), (profile(#""rent":1.5e2"#), true),
        (profile(#""rent":-0"#), false), (profile(#""rent":-0.00"#), false), (profile(#""rent":-5"#), true),
        (profile(#""rent":-0.01"#), true), (profile(#""rent":01"#), true), (profile(#""rent":00"#), true),
        (profile(#""rent":1."#), true), (profile(#""rent":.5"#), true), (profile(#""rent":+1"#), true), (profile(#""rent":-"#), true),
        (profile(#""rent":100.005"#), true), (profile(#""rent":100.500"#), false), (profile(#""rent":100.0000000000000000001"#), true),
        (profile(#""rent":999999999.99"#), false), (profile(#""rent":1000000000"#), true), (profile(#""rent":1000000000.00"#), true),
        (profile(#""rent":99999999999999999999999"#), true), (profile(#""rent":9223372036854775807"#), true),
        (profile(#""rent":9223372036854775808"#), true), (profile(#""rent":0.000000000000000000001"#), true),
        (profile(#""rent":1.2.3"#), true), (profile(#""rent":12abc"#), true), (profile(#""rent":NaN"#), true),
        (profile(members: #"[{"age":4.0}]"#), false), (profile(members: #"[{"age":4.5}]"#), true), (profile(members: #"[{"age":121}]"#), true),
        (profile(members: #"[{"age":-1}]"#), true), (profile(members: #"[{"age":-0}]"#), false), (profile(members: #"[{"age":1e1}]"#), true),
        (profile(members: #"[{"pregnancy_month":0}]"#), true), (profile(members: #"[{"pregnancy_month":9}]"#), false),
        // nulls and required fields
        (profile(#""rent":null"#), false), (profile(#""child_welfare":null"#), false), (profile(#""child_welfare":{"stage":null}"#), false),
        (profile(#""enrolled":null"#), false), (profile(members: #"[{"age":null,"id":null}]"#), false), (profile(#""rent":nul"#), true),
        (#"{"case_id":null,"state":"CA","members":[{}]}"#, true), (#"{"state":"CA","members":[{}]}"#, true),
        (#"{"case_id":"","state":"CA","members":[{}]}"#, true), (#"{"case_id":"c","state":null,"members":[{}]}"#, true),
        (#"{"case_id":"c","members":[{}]}"#, true), (#"{"case_id":"c","state":"CA"}"#, true),
        (#"{"case_id":"c","state":"CA","members":null}"#, true), (#"{"case_id":"c","state":"CA","members":[]}"#, true),
        (#"{"case_id":"c","state":"CA","members":{}}"#, true), (#"{"case_id":"c","state":"CA","members":[{},5]}"#, true),
        (#"{"case_id":"c","state":"CA","members":[[]]}"#, true), (#"{"case_id":"c","state":"CA","members":[{}],"screening_date":null}"#, false),
        // states
        (profile().replacingOccurrences(of: "\"CA\"", with: "\"ca\""), false), (profile().replacingOccurrences(of: "\"CA\"", with: "\"nY\""), false),
        (profile().replacingOccurrences(of: "\"CA\"", with: "\"XX\""), true), (profile().replacingOccurrences(of: "\"CA\"", with: "\"California\""), true),
        (profile().replacingOccurrences(of: "\"CA\"", with: "\"C\""), true), (profile().replacingOccurrences(of: "\"CA\"", with: "\"CAL\""), true),
        (profile().replacingOccurrences(of: "\"CA\"", with: "\"\u{212A}S\""), false), (profile().replacingOccurrences(of: "\"CA\"", with: "\"C\\u0041\""), false),
        (profile().replacingOccurrences(of: "\"CA\"", with: "\"\""), true), (profile().replacingOccurrences(of: "\"CA\"", with: "\"C1\""), true),
    ]

    @Test func oddities() {
        for (json, mustGiveUp) in Self.oddities {
            let accepted = Self.expectAgreement(Array(json.utf8))
            if mustGiveUp { #expect(!accepted, "decoder accepted \(json)") }
        }
    }

    @Test func screeningDatesAroundTheEarliestRule() throws {
        let earliest = try #require(ProfileReaderTests.rules.earliestParameterDate)
        for offset in [-1, 0] {
            let date = earliest.adding(days: offset)!
            let given = Array(#"{"case_id":"c","state":"CA","members":[{}],"screening_date":"\#(date)"}"#.utf8)
            let defaulted = Array(#"{"case_id":"c","state":"CA","members":[{}]}"#.utf8)
            #expect(Self.expectAgreement(given) == (offset == 0))
            #expect(Self.expectAgreement(defaulted, asOf: date) == (offset == 0))
        }
    }

    @Test func moreMembersThanTheCap() {
        for n in [1, 2, 99, 100, 101, 150] {
            let members = "[" + Array(repeating: #"{"age":20}"#, count: n).joined(separator: ",") + "]"
            let accepted = Self.expectAgreement(Array(Self.profile(members: members).utf8))
            #expect(accepted == (n <= ProfileReader.maxMembers))
        }
    }

    @Test func aBlankCaseloadLineAndOtherBytes() {
        for bytes: [UInt8] in [[], [0], [0xFF], [0xEF, 0xBB, 0xBF], [0x7B], [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]] {
            #expect(!Self.expectAgreement(bytes))
        }
        // Ill-formed UTF-8 in a text.
        var bytes = Array(Self.profile(#""county":"Kern""#).utf8)
        let k = bytes.firstIndex(of: UInt8(ascii: "K"))!
        for bad: [UInt8] in [[0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xC0, 0xAF]] {
            bytes.replaceSubrange(k..<k + 1, with: bad)
            #expect(!Self.expectAgreement(bytes))
            bytes = Array(Self.profile(#""county":"Kern""#).utf8)
        }
    }

    @Test func namesAreMatchedWithTheirClosingQuote() {
        let plain = ["a", "in", "in_school", "seven77", "eight888", "fifteen15151515", "sixteen161616161", "seventeen17171717", "del\u{7F}"]
        let names = FieldNames(plain + ["doña", "", "q\"uote", "back\\slash", "tab\t"])
        func find(_ text: String) -> Int {
            Array(text.utf8).withUnsafeBufferPointer { names.find($0.baseAddress!, available: $0.count) }
        }
        for (k, name) in plain.enumerated() {
            // At the end of the input (read byte by byte) and with more after it (read by words).
            #expect(find(name + "\"") == k, "\(name)")
            #expect(find(name + "\":1,\"more\":[1,2,3,4,5,6,7,8]}") == k, "\(name)")
            #expect(names.lengths[k] == name.utf8.count)
            #expect(find(name + "x\"") == -1, "\(name)")
            #expect(find(name) == -1, "\(name)")
            #expect(find(String(name.dropLast()) + "\":1,\"more\":[1,2,3,4,5,6,7,8]}") == -1, "\(name)")
        }
        // Names that ASCII bytes cannot prove equal are never matched.
        for text in ["doña\"", "\"", "\"\"", "q\"uote\"", "back\\slash\"", "tab\t\"", "", "i"] { #expect(find(text) == -1, "\(text)") }
    }

    // MARK: Mutations

    /// Bytes a mutation puts in: JSON punctuation, digits, letters of literals, escapes and non-ASCII.
    static let alphabet: [UInt8] = Array(#"{}[]:,"\ -+.0123456789eEtrufalsn"#.utf8) + [0x09, 0x0A, 0x0D, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xE2, 0xFF]

    @Test func mutatedRecordsAgree() throws {
        var rng = SplitMix(seed: 11)
        var seeds: [[UInt8]] = try Self.examples().map { JSONWriter.encode(try JSONParser.parse($0.bytes), style: .compact) }
        for n in 1...40 { seeds.append(Array(CaseloadRecord.random(n, &rng).utf8)) }
        var accepted = 0
        for round in 0..<6000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count + 1))
                let b = Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
                switch rng.next() % 5 {
                case 0 where at < bytes.count: bytes[at] = b
                case 1 where at < bytes.count: bytes.remove(at: at)
                case 2: bytes.insert(b, at: at)
                case 3 where at < bytes.count:
                    // Repeat a stretch (duplicated keys, members, values).
                    let len = min(bytes.count - at, 1 + Int(rng.next() % 40))
                    bytes.insert(contentsOf: bytes[at..<at + len], at: at)
                default:
                    // A digit changed in place keeps the record valid more often.
                    if let d = bytes.indices.filter({ (48...57).contains(bytes[$0]) }).randomElement(using: &rng) {
                        bytes[d] = UInt8(48 + rng.next() % 10)
                    }
                }
            }
            if Self.expectAgreement(bytes) { accepted += 1 }
        }
        // Some mutations leave a valid profile, which the decoder should still read.
        #expect(accepted > 300)
    }
}

/// Profiles like the benchmark caseload's (`Benchmarks/Sources/caseload`), with more variety: key order,
/// spacing, nulls, lower-case states, non-ASCII texts, member ids and birth dates. Every one is valid.
enum CaseloadRecord {
    static let states = ["CA", "MA", "VT", "NJ", "AL", "NC", "WI", "MI", "TN", "TX", "NY", "ca", "Ny", "dc", "PR"]
    static let counties = ["Los Angeles", "Fresno", "Kern", "Suffolk", "Chittenden", "Mecklenburg", "Doña Ana", "Wayne", "Shelby", ""]
    static let stages = ["none", "screened_out", "referral", "investigation", "in_home_case", "out_of_home_case", "reunification", "post_permanency"]
    static let housing = ["stable", "at_risk", "doubled_up", "shelter", "unsheltered"]
    static let programs = ["tanf", "snap", "wic", "medicaid", "chip", "ssi", "liheap", "child_care_subsidy", "head_start", "early_head_start",
                           "housing_voucher", "supportive_housing"]
    static let needs = ["food", "housing", "utilities", "child_care", "transportation", "car_repair", "employment", "mental_health",
                        "substance_use", "domestic_violence", "legal", "health_care", "baby_supplies"]
    static let allegations = ["neglect", "physical_abuse", "sexual_abuse", "emotional_abuse"]
    static let relationships = ["caregiver", "spouse", "parent", "grandparent", "other_relative", "child", "foster_child", "other"]

    static func random(_ n: Int, _ rng: inout SplitMix) -> String {
        func below(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
        func chance(_ percent: Int) -> Bool { below(100) < percent }
        func pick(_ items: [String]) -> String { items[below(items.count)] }
        func money() -> String {
            let cents = [0, 0, 150_00, 900_00, 2500_00, below(300_000_00), 999_999_999_99][below(7)]
            switch below(4) {
            case 0: return "\(cents / 100)"
            case 1: return "\(cents / 100).\(String(format: "%02d", cents % 100))"
            case 2: return "\(cents / 100).\(cents % 100 / 10)"
            default: return "\(cents / 100).\(String(format: "%02d", cents % 100))0"
            }
        }
        func bool() -> String { chance(50) ? "true" : "false" }
        func list(_ items: [String]) -> String { "[" + items.filter { _ in chance(15) }.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        func maybeNull(_ v: String) -> String { chance(3) ? "null" : v }

        var top: [(String, String)] = [("case_id", chance(5) ? "\"cäse-\(n)\"" : "\"c-\(n)\""), ("state", "\"\(pick(states))\"")]
        if chance(90) { top.append(("screening_date", chance(5) ? "null" : "\"2026-11-01\"")) }
        if chance(90) { top.append(("county", maybeNull("\"\(pick(counties))\""))) }
        for key in ["resources", "vehicle_value", "rent"] where chance(70) { top.append((key, maybeNull(money()))) }
        if chance(90) { top.append(("housing", maybeNull("\"\(pick(housing))\""))) }
        for key in ["utility_shutoff_notice", "consent_to_share"] where chance(80) { top.append((key, maybeNull(bool()))) }
        if chance(90) { top.append(("enrolled", maybeNull(list(programs)))) }
        if chance(90) { top.append(("needs", maybeNull(list(needs)))) }
        if chance(90) {
            var cw: [(String, String)] = [("stage", maybeNull("\"\(pick(stages))\""))]
            if chance(30) { cw.append(("allegations", list(allegations))) }
            for key in ["substantiated", "imminent_risk_of_removal", "housing_barrier_to_reunification"] where chance(40) { cw.append((key, bool())) }
            top.append(("child_welfare", chance(3) ? "null" : object(cw, &rng)))
        }
        var members: [String] = []
        for m in 0..<(1 + below(8)) {
            var fields: [(String, String)] = [("relationship", "\"\(m == 0 ? "caregiver" : pick(relationships))\"")]
            if chance(30) { fields.append(("id", "\"m\(m + 1)\"")) }
            let age = below(90)
            if chance(90) { fields.append(("age", "\(age)")) }
            if chance(20) { fields.append(("birth_date", "\"\(2026 - age - 1)-0\(1 + below(9))-1\(below(10))\"")) }
            for key in ["earned_income", "unearned_income"] where chance(60) { fields.append((key, maybeNull(money()))) }
            for key in ["pregnant", "postpartum", "breastfeeding", "in_school", "disabled", "receives_ssi", "in_foster_care",
                        "aging_out_of_foster_care"] where chance(30) { fields.append((key, maybeNull(bool()))) }
            if chance(10) { fields.append(("pregnancy_month", "\(1 + below(9))")) }
            if chance(70) { fields.append(("citizenship", "\"\(pick(["citizen", "qualified_immigrant", "other"]))\"")) }
            if chance(40) { fields.append(("tanf_months_used", "\(below(1001))")) }
            members.append(object(fields, &rng))
        }
        top.append(("members", "[" + members.joined(separator: chance(10) ? ", " : ",") + "]"))
        return object(top, &rng)
    }

    /// An object of the members in a shuffled order (sometimes), compact or spaced.
    static func object(_ fields: [(String, String)], _ rng: inout SplitMix) -> String {
        var fields = fields
        if rng.next() % 3 == 0 { fields.shuffle(using: &rng) }
        let spaced = rng.next() % 8 == 0
        return "{" + fields.map { spaced ? "\"\($0.0)\": \($0.1)" : "\"\($0.0)\":\($0.1)" }.joined(separator: spaced ? ", " : ",") + "}"
    }
}
