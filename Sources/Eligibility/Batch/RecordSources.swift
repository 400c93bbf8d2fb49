import Foundation

/// JSON Lines input: one profile per line; blank lines are skipped.
public struct JSONLinesSource: RecordSource {
    var lines: LineReader
    public private(set) var bytesRead = 0

    public init(lines: LineReader) { self.lines = lines }

    public mutating func next(max: Int) throws -> [BatchRecord]? {
        // The chunk's lines are read one after another into one buffer, which their records share.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lastChunkBytes)
        var lines: [(number: Int, range: Range<Int>?, length: Int)] = []
        lines.reserveCapacity(max)
        while lines.count < max, let line = try self.lines.next(appendingTo: &bytes) {
            bytesRead += line.length + 1
            // Through a pointer: a slice of the buffer would count a reference to it for every line.
            let blank = bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[line.range]).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
            if blank {
                bytes.removeSubrange(line.range)
                continue
            }
            // A cut line is no profile: it is reported, and its bytes are not kept.
            let truncated = line.range.count < line.length
            if truncated { bytes.removeSubrange(line.range) }
            lines.append((line.number, truncated ? nil : line.range, line.length))
        }
        guard !lines.isEmpty else { return nil }
        lastChunkBytes = Swift.max(lastChunkBytes, bytes.count)
        return lines.map { line in
            guard let range = line.range else {
                return BatchRecord(line: line.number, payload: .unreadable(caseId: nil, issues: [ProfileIssue("", "line is \(line.length) bytes, longer than any profile can be")]))
            }
            return BatchRecord(line: line.number, payload: .json(bytes[range]))
        }
    }

    /// The largest chunk so far, in bytes: the next chunk's buffer is reserved at that size, not grown to it.
    private var lastChunkBytes = 0
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
