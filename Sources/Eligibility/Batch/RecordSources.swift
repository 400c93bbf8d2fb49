import Foundation

/// JSON Lines input: one profile per line; blank lines are skipped.
public struct JSONLinesSource: RecordSource {
    var lines: LineReader
    public private(set) var bytesRead = 0

    public init(lines: LineReader) { self.lines = lines }

    public mutating func next(max: Int) throws -> [BatchRecord]? {
        var records: [BatchRecord] = []
        records.reserveCapacity(max)
        while records.count < max, let line = try lines.next() {
            bytesRead += line.length + 1
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if line.isTruncated {
                records.append(BatchRecord(line: line.number, payload: .unreadable(caseId: nil, issues: [ProfileIssue("", "line is \(line.length) bytes, longer than any profile can be")])))
                continue
            }
            records.append(BatchRecord(line: line.number, payload: .json(line.bytes)))
        }
        return records.isEmpty ? nil : records
    }
}

/// CSV input: a header row, then one row per member with a household's rows together.
public struct CSVSource: RecordSource {
    var reader: CSVReader
    let rules: RuleSet
    var households: CSVHouseholds?
    /// The row being read, its storage reused from row to row.
    var row = CSVRow()
    var ended = false
    /// Header columns that name no fact; the caller warns about them once.
    public private(set) var unknownColumns: [String] = []
    public private(set) var bytesRead = 0

    public init(reader: CSVReader, rules: RuleSet) {
        self.reader = reader
        self.rules = rules
    }

    public mutating func next(max: Int) throws -> [BatchRecord]? {
        var records: [BatchRecord] = []
        while records.count < max, !ended {
            guard let result = reader.read(into: &row) else {
                ended = true
                if let last = households?.finish() { records.append(last) }
                break
            }
            switch result {
            case .failure(let error):
                // A row that cannot be read ends the household before it, and is itself counted as an error.
                if let done = households?.finish() { records.append(done) }
                records.append(BatchRecord(line: error.line, payload: .unreadable(caseId: nil, issues: [ProfileIssue("", error.description)])))
            case .success:
                bytesRead += row.bytes.count + row.count
                guard households != nil else {
                    households = CSVHouseholds(header: row.strings, rules: rules)
                    unknownColumns = households!.unknownColumns
                    continue
                }
                if let done = households!.add(row) { records.append(done) }
            }
        }
        return records.isEmpty ? nil : records
    }
}
