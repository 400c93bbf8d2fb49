/// Turns CSV rows (one per household member, consecutive rows sharing `case_id`) into one profile per household.
///
/// Columns are fact names: household facts as in the contract, nested ones dotted (`child_welfare.stage`),
/// member facts plain (`age`) or prefixed (`members.age`); list cells are `;`-separated; an empty cell is unknown.
public struct CSVHouseholds {
    enum Column {
        case household([String], ValueType)
        case member(String, ValueType)
        case ignored
    }
    let rules: RuleSet
    let columns: [Column]
    let caseIdColumn: Int?
    let enumHasNone: [Bool]
    /// Header names that are not facts: reported once by the caller.
    public let unknownColumns: [String]

    private var current: [(row: [String], line: Int)] = []
    private var currentCaseId: String?
    private var currentIsSplit = false
    /// Households already finished, to catch one split by another. 64-bit hashes keep memory small.
    private var finished: Set<Int> = []

    public init(header: [String], rules: RuleSet) {
        self.rules = rules
        var cols: [Column] = []
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
        columns = cols
        enumHasNone = rules.enums.map { $0.values.contains("none") }
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
        var issues: [ProfileIssue] = []
        var household = JSONObject()
        var origin: [String: (String, Int)] = [:]
        var members: [JSONValue] = []
        for (row, rowLine) in current {
            if row.count != columns.count {
                issues.append(ProfileIssue("", "line \(rowLine): expected \(columns.count) fields as in the header, got \(row.count)"))
                continue
            }
            var member = JSONObject()
            for (cell, column) in zip(row, columns) {
                let text = cell.trimmedCell
                if text.isEmpty { continue }
                switch column {
                case .ignored: continue
                case .member(let name, let type):
                    member[name] = value(text, type)
                case .household(let path, let type):
                    let key = path.joined(separator: ".")
                    if let (first, firstLine) = origin[key] {
                        if first != text {
                            issues.append(ProfileIssue(key, "differs between rows of one household: \"\(first)\" on line \(firstLine), \"\(text)\" on line \(rowLine)"))
                        }
                        continue
                    }
                    origin[key] = (text, rowLine)
                    household.set(path: path[...], value(text, type))
                }
            }
            members.append(.object(member))
        }
        if !issues.isEmpty {
            return BatchRecord(line: line, payload: .unreadable(caseId: caseId.isEmpty ? nil : caseId, issues: issues))
        }
        household["members"] = .array(members)
        return BatchRecord(line: line, payload: .profile(.object(household)))
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
            if text == "[]" || (text.lowercased() == "none" && !enumHasNone[e]) { return .array([]) }
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
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" || s.last == "\r" { s.removeLast() }
        return String(s)
    }
}
