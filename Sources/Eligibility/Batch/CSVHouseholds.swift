/// Turns CSV rows (one per household member, consecutive rows sharing `case_id`) into one profile per household.
///
/// Columns are fact names: household facts as in the contract, nested ones dotted (`child_welfare.stage`),
/// member facts plain (`age`) or prefixed (`members.age`); list cells are `;`-separated; an empty cell is unknown.
/// Reading the input only groups rows into households (and catches split ones), keeping their bytes; turning a
/// household's rows into a profile happens on the batch workers, in parallel: as JSON bytes for the fast profile
/// reader (`CSVHousehold.json()`), or as a JSON tree where the tree must decide (`CSVHousehold.profile()`).
public struct CSVHouseholds {
    let layout: CSVLayout
    let caseIdColumn: Int?
    /// Header names that are not facts: reported once by the caller.
    public let unknownColumns: [String]

    private var current = CSVRows()
    private var currentCaseId: String?
    private var currentIsSplit = false
    /// Households already finished, to catch one split by another. 64-bit hashes keep memory small.
    private var finished: Set<Int> = []

    public init(header: [String], rules: RuleSet) {
        var cols: [CSVLayout.Column] = []
        var unknown: [String] = []
        for raw in header {
            let name = raw.trimmedCell
            if let i = rules.householdFactIndex[name] {
                cols.append(.household(name.split(separator: ".").map(String.init), rules.householdFacts[i].type))
                continue
            }
            var memberName = name
            for prefix in ["members.", "member."] where name.hasPrefix(prefix) { memberName = String(name.dropFirst(prefix.count)) }
            if let i = rules.memberFactIndex[memberName] {
                cols.append(.member(memberName, rules.memberFacts[i].type))
            } else {
                cols.append(.ignored)
                unknown.append(name)
            }
        }
        layout = CSVLayout(columns: cols, enumHasNone: rules.enums.map { $0.values.contains("none") })
        caseIdColumn = header.firstIndex { $0.trimmedCell == "case_id" }
        unknownColumns = unknown
    }

    /// Adds one data row; returns the household it completed, if the row starts a new one.
    public mutating func add(_ row: [String], line: Int) -> BatchRecord? { add(CSVRow(fields: row, line: line)) }

    /// Adds one data row as read (`CSVReader.read(into:)`); returns the household it completed, if any.
    public mutating func add(_ row: CSVRow) -> BatchRecord? {
        let caseId = caseIdColumn.flatMap { $0 < row.count ? row.string($0).trimmedCell : nil } ?? ""
        var completed: BatchRecord?
        if let currentCaseId, caseId != currentCaseId { completed = finish() }
        if current.isEmpty {
            currentCaseId = caseId
            // A household seen before and split by another: this part is reported, not merged.
            currentIsSplit = !caseId.isEmpty && finished.contains(caseId.hashValue)
        }
        current.append(row)
        return completed
    }

    /// Completes the last household at the end of the input.
    public mutating func finish() -> BatchRecord? {
        guard !current.isEmpty else { return nil }
        // The next household starts with room for one like this one: households of a caseload are much alike.
        defer { current = CSVRows(room: current); currentCaseId = nil }
        let line = current.lines[0]
        let caseId = currentCaseId ?? ""
        if currentIsSplit {
            return BatchRecord(line: line, payload: .unreadable(caseId: caseId, issues: [ProfileIssue("case_id",
                "rows of household \"\(caseId)\" are split by another household (line \(line)); keep each household's rows together")]))
        }
        if !caseId.isEmpty { finished.insert(caseId.hashValue) }
        return BatchRecord(line: line, payload: .csvHousehold(CSVHousehold(layout: layout, caseId: caseId, rows: current)))
    }
}

/// What the columns of a CSV caseload mean: shared, unchanged, by every household read from it.
final class CSVLayout: Sendable {
    enum Column {
        case household([String], ValueType)
        case member(String, ValueType)
        case ignored
    }
    let columns: [Column]
    let enumHasNone: [Bool]
    /// For each household column, which household field it fills: two columns naming one field share it, so
    /// they must agree like two rows do.
    let fieldOfColumn: [Int]
    let fieldCount: Int
    /// How `CSVHousehold.json()` writes a household; nil for a header it does not cover (a field nested deeper
    /// than `key.sub`, a key both a value and an object, a member fact named by two columns): those households
    /// take the tree.
    let plan: JSONPlan?

    init(columns: [Column], enumHasNone: [Bool]) {
        self.columns = columns
        self.enumHasNone = enumHasNone
        var fields: [[String]: Int] = [:]
        var paths: [[String]] = []
        fieldOfColumn = columns.map { column in
            guard case .household(let path, _) = column else { return -1 }
            if let i = fields[path] { return i }
            fields[path] = fields.count
            paths.append(path)
            return fields.count - 1
        }
        fieldCount = fields.count
        plan = JSONPlan(columns: columns, paths: paths, fieldOfColumn: fieldOfColumn)
    }
}

/// What writing a household as JSON needs of the header, worked out once: each column's role with its key
/// already written (`"age":`), and the profile's top-level keys, each one field or an object of `key.sub` fields.
struct JSONPlan: Sendable {
    enum Role { case household, member, ignored }
    struct Column: Sendable {
        let role: Role
        let type: ValueType
        /// The household field a household column fills.
        let field: Int
        /// `"name":` for a member column.
        let key: [UInt8]
    }
    struct Key: Sendable {
        let key: [UInt8]
        /// The fields under the key: one with no sub-key (a value), or several with theirs (`"stage":`).
        let fields: [(sub: [UInt8]?, field: Int, type: ValueType)]
    }
    let columns: [Column]
    let keys: [Key]
    let keyOfField: [Int]

    init?(columns: [CSVLayout.Column], paths: [[String]], fieldOfColumn: [Int]) {
        func key(_ name: String) -> [UInt8] {
            var bytes: [UInt8] = []
            JSONWriter.appendQuoted(name, to: &bytes)
            return bytes + [UInt8(ascii: ":")]
        }
        var names: Set<String> = []
        var planned: [Column] = []
        var types = [ValueType](repeating: .text, count: paths.count)
        for (k, column) in columns.enumerated() {
            switch column {
            case .household(_, let type):
                planned.append(Column(role: .household, type: type, field: fieldOfColumn[k], key: []))
                types[fieldOfColumn[k]] = type  // columns naming one field name one fact
            case .member(let name, let type):
                guard names.insert(name).inserted else { return nil }
                planned.append(Column(role: .member, type: type, field: -1, key: key(name)))
            case .ignored:
                planned.append(Column(role: .ignored, type: .text, field: -1, key: []))
            }
        }
        var keyNames: [String] = [], keys: [(key: [UInt8], fields: [(sub: [UInt8]?, field: Int, type: ValueType)])] = []
        var keyOfField: [Int] = []
        for (field, path) in paths.enumerated() {
            guard (1...2).contains(path.count) else { return nil }
            let sub = path.count == 2 ? key(path[1]) : nil
            if let t = keyNames.firstIndex(of: path[0]) {
                // A key that is both a value and an object is left to the tree, which says what it makes of it.
                guard sub != nil, keys[t].fields.allSatisfy({ $0.sub != nil }) else { return nil }
                keys[t].fields.append((sub, field, types[field]))
                keyOfField.append(t)
            } else {
                keyNames.append(path[0])
                keys.append((key(path[0]), [(sub, field, types[field])]))
                keyOfField.append(keys.count - 1)
            }
        }
        self.columns = planned
        self.keys = keys.map { Key(key: $0.key, fields: $0.fields) }
        self.keyOfField = keyOfField
    }
}

/// The rows of one household (or of the one being read) in three arrays rather than a string per cell.
struct CSVRows: Sendable {
    var bytes: [UInt8] = []
    /// Where each cell ends in `bytes`, row after row.
    var ends: [Int32] = []
    /// Where each row's cells end in `ends`.
    var rowEnds: [Int32] = []
    var lines: [Int] = []

    var isEmpty: Bool { rowEnds.isEmpty }
    var count: Int { rowEnds.count }

    init() {}

    /// Empty, with room for as many rows and cells as `other` holds.
    init(room other: CSVRows) {
        bytes.reserveCapacity(other.bytes.count)
        ends.reserveCapacity(other.ends.count)
        rowEnds.reserveCapacity(other.rowEnds.count)
        lines.reserveCapacity(other.lines.count)
    }

    mutating func append(_ row: CSVRow) {
        let base = Int32(bytes.count), first = ends.count
        bytes.append(contentsOf: row.bytes)
        // Copied at once, then moved past the rows before: a row has dozens of cells.
        ends.append(contentsOf: row.ends)
        if base != 0 { ends.withUnsafeMutableBufferPointer { for k in first..<$0.count { $0[k] += base } } }
        rowEnds.append(Int32(ends.count))
        lines.append(row.line)
    }

    /// The cells of row r as indices into `ends`.
    func cells(_ r: Int) -> Range<Int> { rowEnds.span(r) }

    /// Cell c's bytes as read.
    func cell(_ c: Int) -> Range<Int> { ends.span(c) }

    /// Cell c's bytes, without surrounding spaces or tabs (or a trailing carriage return), as `trimmedCell` does.
    func trimmed(_ c: Int) -> Range<Int> { CSVRows.trimmed(cell(c), bytes) }

    /// A range of bytes without surrounding spaces or tabs (or a trailing carriage return), as `trimmedCell` trims.
    static func trimmed<Bytes: RandomAccessCollection<UInt8>>(_ range: Range<Int>, _ bytes: Bytes) -> Range<Int> where Bytes.Index == Int {
        var (start, end) = (range.lowerBound, range.upperBound)
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// Whether cell c trimmed to `kept` is sure to be trimmed as `trimmedCell` trims text: a space or tab before a
    /// byte of a character outside ASCII might combine with it into one character, which `trimmedCell` keeps.
    func trimsLikeText(_ c: Int, kept: Range<Int>) -> Bool {
        !(kept.lowerBound > cell(c).lowerBound && kept.lowerBound < kept.upperBound && bytes[kept.lowerBound] >= 0x80)
    }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func sameBytes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where bytes[a.lowerBound + k] != bytes[b.lowerBound + k] { return false }
        return true
    }

    /// Whether a range holds ASCII only.
    func isASCII(_ range: Range<Int>) -> Bool {
        for i in range where bytes[i] >= 0x80 { return false }
        return true
    }
}

/// One household's rows of a CSV caseload, not yet turned into a profile.
public struct CSVHousehold: Sendable {
    let layout: CSVLayout
    let caseId: String
    let rows: CSVRows

    /// The household as a profile (the JSON contract), or every problem with its rows.
    public func profile() -> Result<JSONValue, ProfileErrors> {
        var issues: [ProfileIssue] = []
        var household = JSONObject()
        // The first value of each household column and the line it came from: the other rows must agree.
        var origin = [(text: String, line: Int)?](repeating: nil, count: layout.fieldCount)
        var members: [JSONValue] = []
        members.reserveCapacity(rows.count)
        let columns = layout.columns
        for r in 0..<rows.count {
            let cells = rows.cells(r), rowLine = rows.lines[r]
            if cells.count != columns.count {
                issues.append(ProfileIssue("", "line \(rowLine): expected \(columns.count) fields as in the header, got \(cells.count)"))
                continue
            }
            var member = JSONObject()
            for (k, column) in columns.enumerated() {
                if case .ignored = column { continue }
                let c = cells.lowerBound + k
                let text = rows.string(rows.cell(c)).trimmedCell
                if text.isEmpty { continue }
                switch column {
                case .ignored: continue
                case .member(let name, let type):
                    member[name] = value(text, type)
                case .household(let path, let type):
                    let field = layout.fieldOfColumn[k]
                    if let (first, firstLine) = origin[field] {
                        if first != text {
                            issues.append(ProfileIssue(path.joined(separator: "."), "differs between rows of one household: \"\(first)\" on line \(firstLine), \"\(text)\" on line \(rowLine)"))
                        }
                        continue
                    }
                    origin[field] = (text, rowLine)
                    household.set(path: path[...], value(text, type))
                }
            }
            members.append(.object(member))
        }
        if !issues.isEmpty { return .failure(ProfileErrors(caseId: caseId.isEmpty ? nil : caseId, issues: issues)) }
        household["members"] = .array(members)
        return .success(.object(household))
    }

    /// A cell as the JSON value the profile contract expects for the fact's type; anything else is passed on as text so validation names it.
    func value(_ text: String, _ type: ValueType) -> JSONValue {
        switch type {
        case .boolean:
            let word = text.lowercased()
            return CSVHousehold.yes.contains(word) ? .bool(true) : CSVHousehold.no.contains(word) ? .bool(false) : .string(text)
        case .integer, .decimal, .percent, .money:
            // Spreadsheets write money as $1,200.50; the contract's number is 1200.50.
            return CSVHousehold.number(text, type).map(JSONValue.number) ?? .string(text)
        case .set(let e):
            // An empty cell is unknown; "none" (when not a value of the enum) or "[]" is the empty list.
            if text == "[]" || (text.lowercased() == "none" && !layout.enumHasNone[e]) { return .array([]) }
            return .array(text.split(separator: ";").map { .string(String($0).trimmedCell) }.filter { $0 != .string("") })
        default:
            return .string(text)
        }
    }

    /// How a yes/no cell may be written, in lower case; any other text is passed on for validation to name.
    static let yes = ["true", "yes", "y", "1"], no = ["false", "no", "n", "0"]

    /// A number cell as the number's text (money without `$` and thousands separators), or nil if it is not one.
    static func number(_ text: String, _ type: ValueType) -> String? {
        var t = text
        if type == .money {
            if t.hasPrefix("$") { t.removeFirst() }
            t.removeAll { $0 == "," }
        }
        return Exact(decimal: t) != nil ? t : nil
    }

    /// The household as JSON bytes, for the profile reader's fast path, with the same content as `profile()`;
    /// nil when the household takes the tree path: rows that disagree or are ragged (reported there), a layout the
    /// one pass does not cover, or a cell whose text JSON would not carry as it is (a number written `+5` or `.5`,
    /// a cell of yes/no or of a list with characters outside ASCII).
    func json() -> [UInt8]? {
        guard let plan = layout.plan else { return nil }
        // Cells are read through a pointer: slices of it cost no reference counting.
        return rows.bytes.withUnsafeBufferPointer { json(plan, $0) }
    }

    private func json(_ plan: JSONPlan, _ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let columns = plan.columns
        var first = [Int](repeating: -1, count: layout.fieldCount)  // the cell that first gave each household field
        var members: [UInt8] = [UInt8(ascii: "[")]
        members.reserveCapacity(rows.bytes.count * 2)
        for r in 0..<rows.count {
            let cells = rows.cells(r)
            guard cells.count == columns.count else { return nil }
            members.append(contentsOf: r == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ","), UInt8(ascii: "{")])
            var firstInMember = true
            for (k, column) in columns.enumerated() where column.role != .ignored {
                let c = cells.lowerBound + k
                let cell = rows.trimmed(c)
                if cell.isEmpty { continue }
                if column.role == .member {
                    if !firstInMember { members.append(UInt8(ascii: ",")) }
                    firstInMember = false
                    members.append(contentsOf: column.key)
                    guard appendValue(c, cell, column.type, bytes, to: &members) else { return nil }
                } else if first[column.field] >= 0 {
                    // Rows must agree; equal bytes may still be trimmed differently from text: the tree decides both.
                    guard rows.sameBytes(rows.trimmed(first[column.field]), cell), rows.trimsLikeText(c, kept: cell) else { return nil }
                } else {
                    first[column.field] = c
                }
            }
            members.append(UInt8(ascii: "}"))
        }
        members.append(UInt8(ascii: "]"))
        // Top-level keys in the order the tree inserts them: by the first cell of any of their fields.
        var firstOfKey = [Int](repeating: .max, count: plan.keys.count)
        for (field, c) in first.enumerated() where c >= 0 { firstOfKey[plan.keyOfField[field]] = min(firstOfKey[plan.keyOfField[field]], c) }
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(members.count + rows.bytes.count + 64)
        for t in firstOfKey.indices.filter({ firstOfKey[$0] != .max }).sorted(by: { firstOfKey[$0] < firstOfKey[$1] }) {
            let key = plan.keys[t]
            out.append(contentsOf: key.key)
            if key.fields.count == 1, key.fields[0].sub == nil {
                let c = first[key.fields[0].field]
                guard appendValue(c, rows.trimmed(c), key.fields[0].type, bytes, to: &out) else { return nil }
            } else {
                // Sub-keys in the order their cells came.
                out.append(UInt8(ascii: "{"))
                for (n, f) in key.fields.filter({ first[$0.field] >= 0 }).sorted(by: { first[$0.field] < first[$1.field] }).enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: f.sub ?? [])
                    let c = first[f.field]
                    guard appendValue(c, rows.trimmed(c), f.type, bytes, to: &out) else { return nil }
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""members":"#.utf8)
        out.append(contentsOf: members)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends cell c (its trimmed bytes `cell`) as `value(_:_:)` would make it; false when the tree must decide.
    private func appendValue(_ c: Int, _ cell: Range<Int>, _ type: ValueType, _ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let ascii = rows.isASCII(cell)
        if !ascii && !rows.trimsLikeText(c, kept: cell) { return false }
        switch type {
        case .boolean:
            guard ascii else { return false }
            if Self.isWord(bytes[cell], of: Self.yes) {
                out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
            } else if Self.isWord(bytes[cell], of: Self.no) {
                out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
            } else {
                appendString(cell, bytes, to: &out)
            }
        case .integer, .decimal, .percent, .money:
            guard ascii else { return false }
            // Spreadsheets write money as $1,200.50; the contract's number is 1200.50.
            var number = UnsafeBufferPointer(rebasing: bytes[cell])
            if type == .money, number.first == UInt8(ascii: "$") { number = UnsafeBufferPointer(rebasing: number.dropFirst()) }
            let written = type == .money && number.contains(UInt8(ascii: ","))
                ? number.filter { $0 != UInt8(ascii: ",") }.withUnsafeBufferPointer { Self.appendNumber($0, to: &out) }
                : Self.appendNumber(number, to: &out)
            if written { return true }
            // Anything else Exact reads (`+5`, `.5`, `5.`, more digits than fit) is left to the tree; what it
            // does not read is text.
            if CSVHousehold.number(rows.string(cell), type) != nil { return false }
            appendString(cell, bytes, to: &out)
        case .set(let e):
            guard ascii else { return false }
            let cellBytes = bytes[cell]
            if cellBytes.elementsEqual([UInt8(ascii: "["), UInt8(ascii: "]")]) || (!layout.enumHasNone[e] && Self.isWord(cellBytes, of: ["none"])) {
                out.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
                return true
            }
            out.append(UInt8(ascii: "["))
            var n = 0
            for part in cellBytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
                let kept = CSVRows.trimmed(part.startIndex..<part.endIndex, bytes)
                if kept.isEmpty { continue }
                if n > 0 { out.append(UInt8(ascii: ",")) }
                n += 1
                appendString(kept, bytes, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            appendString(cell, bytes, to: &out)
        }
        return true
    }

    /// Appends a number written in JSON's own syntax, short enough to be exact, as it is; false for anything else.
    private static func appendNumber(_ number: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        guard number.count <= 18, JSONWriter.isNumber(number), !number.contains(where: { $0 == 0x65 || $0 == 0x45 }) else { return false }
        out.append(contentsOf: number)
        return true
    }

    /// Whether ASCII bytes are one of the (lower-case) words, ignoring case.
    private static func isWord(_ bytes: some Collection<UInt8>, of words: [String]) -> Bool {
        words.contains { word in
            word.utf8.count == bytes.count && zip(bytes, word.utf8).allSatisfy { b, w in (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) == w }
        }
    }

    private func appendString(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        JSONWriter.appendEscaped(UnsafeBufferPointer(rebasing: bytes[range]), to: &out)
    }
}

extension JSONObject {
    /// Sets a nested member, creating objects along a dotted path.
    mutating func set(path: ArraySlice<String>, _ value: JSONValue) {
        guard let key = path.first else { return }
        if path.count == 1 { self[key] = value; return }
        var inner = self[key]?.objectValue ?? JSONObject()
        inner.set(path: path.dropFirst(), value)
        self[key] = .object(inner)
    }
}

extension String {
    /// The cell without surrounding spaces, tabs or a stray carriage return.
    var trimmedCell: String {
        // Most cells have nothing to trim: looking at the first and last bytes avoids walking characters.
        func blank(_ b: UInt8?) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
        if !blank(utf8.first) && !blank(utf8.last) { return self }
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" || s.last == "\r" { s.removeLast() }
        return String(s)
    }
}
