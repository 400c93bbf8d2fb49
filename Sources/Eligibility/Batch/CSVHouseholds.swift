/// Turns CSV rows (one per household member, consecutive rows sharing `case_id`) into one profile per household.
///
/// Columns are fact names: household facts as in the contract, nested ones dotted (`child_welfare.stage`),
/// member facts plain (`age`) or prefixed (`members.age`); list cells are `;`-separated; an empty cell is unknown.
/// Reading the input only groups rows into households (and catches split ones); turning a household's rows into a
/// profile happens on the batch workers (`CSVHousehold.profile()`), in parallel.
public struct CSVHouseholds {
    let layout: CSVLayout
    let caseIdColumn: Int?
    /// Header names that are not facts: reported once by the caller.
    public let unknownColumns: [String]

    private var current: [(row: [String], line: Int)] = []
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
    public mutating func add(_ row: [String], line: Int) -> BatchRecord? {
        let caseId = caseIdColumn.flatMap { $0 < row.count ? row[$0].trimmedCell : nil } ?? ""
        var completed: BatchRecord?
        if let currentCaseId, caseId != currentCaseId { completed = finish() }
        if current.isEmpty {
            currentCaseId = caseId
            // A household seen before and split by another: this part is reported, not merged.
            currentIsSplit = !caseId.isEmpty && finished.contains(caseId.hashValue)
        }
        current.append((row, line))
        return completed
    }

    /// Completes the last household at the end of the input.
    public mutating func finish() -> BatchRecord? {
        guard !current.isEmpty else { return nil }
        defer { current = []; currentCaseId = nil }
        let line = current[0].line
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
    init(columns: [Column], enumHasNone: [Bool]) {
        self.columns = columns
        self.enumHasNone = enumHasNone
        var fields: [[String]: Int] = [:]
        fieldOfColumn = columns.map { column in
            guard case .household(let path, _) = column else { return -1 }
            if let i = fields[path] { return i }
            fields[path] = fields.count
            return fields.count - 1
        }
        fieldCount = fields.count
    }
}

/// One household's rows of a CSV caseload, not yet turned into a profile.
public struct CSVHousehold: Sendable {
    let layout: CSVLayout
    let caseId: String
    let rows: [(row: [String], line: Int)]

    /// The household as a profile (the JSON contract), or every problem with its rows.
    public func profile() -> Result<JSONValue, ProfileErrors> {
        var issues: [ProfileIssue] = []
        var household = JSONObject()
        // The first value of each household column and the line it came from: the other rows must agree.
        var origin = [(text: String, line: Int)?](repeating: nil, count: layout.fieldCount)
        var members: [JSONValue] = []
        members.reserveCapacity(rows.count)
        let columns = layout.columns
        for (row, rowLine) in rows {
            if row.count != columns.count {
                issues.append(ProfileIssue("", "line \(rowLine): expected \(columns.count) fields as in the header, got \(row.count)"))
                continue
            }
            var member = JSONObject()
            for (k, column) in columns.enumerated() {
                if case .ignored = column { continue }
                let text = row[k].trimmedCell
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
            switch text.lowercased() {
            case "true", "yes", "y", "1": return .bool(true)
            case "false", "no", "n", "0": return .bool(false)
            default: return .string(text)
            }
        case .integer, .decimal, .percent, .money:
            // Spreadsheets write money as $1,200.50; the contract's number is 1200.50.
            var t = text
            if type == .money {
                if t.hasPrefix("$") { t.removeFirst() }
                t.removeAll { $0 == "," }
            }
            return Exact(decimal: t) != nil ? .number(t) : .string(text)
        case .set(let e):
            // An empty cell is unknown; "none" (when not a value of the enum) or "[]" is the empty list.
            if text == "[]" || (text.lowercased() == "none" && !layout.enumHasNone[e]) { return .array([]) }
            return .array(text.split(separator: ";").map { .string(String($0).trimmedCell) }.filter { $0 != .string("") })
        default:
            return .string(text)
        }
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
