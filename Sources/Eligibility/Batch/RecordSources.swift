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
