import Foundation

/// One CSV record: its fields as written (ragged rows are returned as they are) and the 1-based line where it starts.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// One CSV record as bytes: every field's unquoted bytes one after another and where each field ends.
/// A batch reads millions of records: a row holds two arrays, reused from record to record, instead of a string
/// per field.
public struct CSVRow: Sendable {
    /// The 1-based line where the record starts.
    public internal(set) var line = 1
    var bytes: [UInt8] = []
    var ends: [Int32] = []

    public init() {}

    /// A row of the given fields (for callers that have strings).
    public init(fields: [String], line: Int) {
        self.line = line
        for f in fields {
            bytes.append(contentsOf: f.utf8)
            ends.append(Int32(bytes.count))
        }
    }

    public var count: Int { ends.count }

    /// Field k's bytes, valid UTF-8.
    public func string(_ k: Int) -> String { String(decoding: bytes[ends.span(k)], as: UTF8.self) }

    public var strings: [String] { (0..<count).map(string) }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }
}

extension Array where Element == Int32 {
    /// Where item k lies, for a list of where items end one after another (cells in bytes, rows in cells).
    func span(_ k: Int) -> Range<Int> { (k == 0 ? 0 : Int(self[k - 1]))..<Int(self[k]) }
}

/// A record that could not be read. `line` is where the record starts; `field` is 1-based when known.
/// `description`: `line 3, field 2: unexpected '"' in an unquoted field`.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let field: Int?
    /// Lower-case, without position or final period.
    public let reason: String

    public init(line: Int, field: Int?, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "line \(line), field \(field): \(reason)" }
        return "line \(line): \(reason)"
    }
}

/// An RFC 4180 reader that streams: it reads chunks (1 MiB by default) from a `ByteSource`, so a file of any
/// size is read in bounded memory, and yields each record or error in input order.
///
/// - Fields are separated by `,` (or `delimiter`); records end at LF, CRLF or a lone CR.
/// - A quoted field may hold the delimiter, line breaks and quotes written twice (`""`); the quotes are removed.
/// - Spaces are part of fields. An empty field is `""`. An empty line is not a record and is skipped.
/// - A UTF-8 byte-order mark at the start is skipped; a last record without a line break is read.
/// - Errors do not stop the reader: a record with an error is returned as `.failure` and reading resumes at
///   the next line (or, for invalid UTF-8, at the next record). Errors: a quote inside an unquoted field,
///   anything but a delimiter or line break after a closing quote, a quoted field still open at the end of
///   the input, invalid UTF-8, a record longer than `maxRecordLength` (a missing closing quote usually), and
///   read failures (which end the input).
///
/// ```
/// for result in CSVReader(fileHandle: handle) {
///     switch result { case .success(let record): ...; case .failure(let error): ... }
/// }
/// ```
public struct CSVReader: Sequence, IteratorProtocol {
    public static let defaultChunkSize = 1 << 20
    public static let defaultMaxRecordLength = 1 << 24

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
        /// After an error: skip to the next line break, quotes and all.
        case skipLine
    }

    private var input: ChunkBuffer
    private let delimiter: UInt8
    private let maxRecordLength: Int
    private var state = State.fieldStart
    private var line = 1
    /// The previous byte was a CR ending a line, so an LF right after it belongs to the same line break.
    private var afterCR = false
    private var recordLine = 1
    private var recordLength = 0
    /// The record being read; its current field is the bytes after the last field's end.
    private var row = CSVRow()
    /// Whether the current field may hold bytes outside ASCII, which then need a UTF-8 check.
    private var fieldMayBeUTF8 = false
    /// Runs of ordinary bytes are copied at once; off, every byte goes through the state machine (tests compare the two).
    var copiesRuns = true
    /// The first problem found in a record that is otherwise well-formed (invalid UTF-8), reported at its end.
    private var recordError: CSVError?
    private var finished = false

    public init(source: some ByteSource, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = defaultChunkSize,
                maxRecordLength: Int = defaultMaxRecordLength) {
        input = ChunkBuffer(source: source, chunkSize: chunkSize)
        self.delimiter = delimiter
        self.maxRecordLength = Swift.max(1, maxRecordLength)
    }

    public init(fileHandle: FileHandle, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = defaultChunkSize,
                maxRecordLength: Int = defaultMaxRecordLength) {
        self.init(source: FileByteSource(fileHandle), delimiter: delimiter, chunkSize: chunkSize, maxRecordLength: maxRecordLength)
    }

    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = defaultChunkSize,
                maxRecordLength: Int = defaultMaxRecordLength) {
        self.init(source: MemoryByteSource(bytes), delimiter: delimiter, chunkSize: chunkSize, maxRecordLength: maxRecordLength)
    }

    public init(string: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = defaultChunkSize,
                maxRecordLength: Int = defaultMaxRecordLength) {
        self.init(bytes: Array(string.utf8), delimiter: delimiter, chunkSize: chunkSize, maxRecordLength: maxRecordLength)
    }

    /// The next record or error, or nil at the end of the input.
    public mutating func next() -> Result<CSVRecord, CSVError>? {
        var record = CSVRow()
        switch read(into: &record) {
        case nil: return nil
        case .failure(let error)?: return .failure(error)
        case .success?: return .success(CSVRecord(line: record.line, fields: record.strings))
        }
    }

    /// Reads the next record into `record`, reusing its storage; nil at the end of the input.
    public mutating func read(into record: inout CSVRow) -> Result<Void, CSVError>? {
        let result = readRecord()
        if case .success? = result {
            swap(&row, &record)
            row.removeAll()
        }
        return result
    }

    private mutating func readRecord() -> Result<Void, CSVError>? {
        guard !finished else { return nil }
        while true {
            if input.isEmpty, !input.refill() {
                return endOfInput()
            }
            var i = input.start
            let end = input.end
            // The chunk is not changed while it is scanned: reading it through a local costs no reference counting per byte.
            let storage = input.storage
            while i < end {
                // Inside a field, runs of ordinary bytes (most of the input) are copied at once; the byte that
                // ends a run goes through the state machine below. A run stops short of the record length limit.
                if copiesRuns, !afterCR, state == .unquoted || state == .quoted || state == .fieldStart, recordLength < maxRecordLength {
                    let limit = Swift.min(end, i + (maxRecordLength - recordLength))
                    var j = i
                    let quoted = state == .quoted
                    var seen: UInt8 = 0
                    while j < limit {
                        let c = storage[j]
                        if c == UInt8(ascii: "\"") || c == 0x0A || c == 0x0D || (!quoted && c == delimiter) { break }
                        seen |= c
                        j += 1
                    }
                    if seen >= 0x80 { fieldMayBeUTF8 = true }
                    if j > i {
                        // A field that starts with an ordinary byte is unquoted.
                        if state == .fieldStart { state = .unquoted }
                        let run = i..<j
                        storage.withUnsafeBufferPointer { row.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[run])) }
                        recordLength += j - i
                        i = j
                        continue
                    }
                }
                let b = storage[i]
                i += 1
                if b >= 0x80 { fieldMayBeUTF8 = true }
                // An LF right after a CR completes a CRLF line break that was already counted.
                if afterCR {
                    afterCR = false
                    if b == 0x0A {
                        if state == .quoted { row.bytes.append(b) }
                        continue
                    }
                }
                if b == 0x0A || b == 0x0D {
                    line += 1
                    afterCR = b == 0x0D
                }
                recordLength += 1
                switch state {
                case .fieldStart:
                    if b == UInt8(ascii: "\"") {
                        state = .quoted
                    } else if b == delimiter {
                        endField()
                    } else if b == 0x0A || b == 0x0D {
                        if row.ends.isEmpty {
                            // An empty line: no record.
                            startRecord()
                        } else {
                            endField()
                            input.start = i
                            return endRecord()
                        }
                    } else {
                        row.bytes.append(b)
                        state = .unquoted
                    }
                case .unquoted:
                    if b == delimiter {
                        endField()
                        state = .fieldStart
                    } else if b == 0x0A || b == 0x0D {
                        endField()
                        input.start = i
                        return endRecord()
                    } else if b == UInt8(ascii: "\"") {
                        input.start = i
                        return fail("unexpected '\"' in an unquoted field")
                    } else {
                        row.bytes.append(b)
                    }
                case .quoted:
                    if b == UInt8(ascii: "\"") {
                        state = .quoteInQuoted
                    } else {
                        row.bytes.append(b)
                    }
                case .quoteInQuoted:
                    if b == UInt8(ascii: "\"") {
                        row.bytes.append(b)
                        state = .quoted
                    } else if b == delimiter {
                        endField()
                        state = .fieldStart
                    } else if b == 0x0A || b == 0x0D {
                        endField()
                        input.start = i
                        return endRecord()
                    } else {
                        input.start = i - 1
                        let what = describeNext()
                        input.start += 1
                        return fail("unexpected \(what) after a closing quote")
                    }
                case .skipLine:
                    if b == 0x0A || b == 0x0D { startRecord() }
                }
                if recordLength > maxRecordLength, state != .skipLine {
                    input.start = i
                    let reason = state == .quoted
                        ? "quoted field longer than \(maxRecordLength) bytes; is a closing '\"' missing?"
                        : "record longer than \(maxRecordLength) bytes"
                    return fail(reason)
                }
            }
            input.start = end
        }
    }

    private mutating func endOfInput() -> Result<Void, CSVError>? {
        finished = true
        if let error = input.readError {
            return .failure(CSVError(line: line, field: nil, reason: error.message))
        }
        switch state {
        case .fieldStart where row.ends.isEmpty, .skipLine:
            return nil
        case .quoted:
            let error = CSVError(line: recordLine, field: row.ends.count + 1,
                                 reason: "unterminated quoted field: end of input before the closing '\"'")
            return .failure(error)
        case .fieldStart, .unquoted, .quoteInQuoted:
            endField()
            return endRecord()
        }
    }

    private mutating func endField() {
        let start = row.ends.last.map(Int.init) ?? 0
        // Plain ASCII, most fields, needs no check.
        let bad = !fieldMayBeUTF8 ? nil : row.bytes.withUnsafeBufferPointer { all -> Int? in
            UTF8Check.firstInvalid(UnsafeBufferPointer(rebasing: all[start...])).map { start + $0 }
        }
        fieldMayBeUTF8 = false
        if let bad {
            if recordError == nil {
                recordError = CSVError(line: recordLine, field: row.ends.count + 1,
                                       reason: "invalid UTF-8 byte \(UTF8Check.hex(row.bytes[bad]))")
            }
            row.bytes.removeSubrange(start...)
        }
        row.ends.append(Int32(row.bytes.count))
        state = .fieldStart
    }

    private mutating func endRecord() -> Result<Void, CSVError> {
        let result: Result<Void, CSVError>
        if let recordError {
            result = .failure(recordError)
            startRecord()
        } else {
            row.line = recordLine
            result = .success(())
            // The row is handed over by the caller (`read(into:)`) before the next record starts.
            resetRecordState()
        }
        return result
    }

    /// Reports an error in the current record and skips the rest of its line. Called just after the byte
    /// at fault; when that byte is a line break (a quoted field too long), the next record starts after it.
    private mutating func fail(_ reason: String) -> Result<Void, CSVError> {
        let error = CSVError(line: recordLine, field: row.ends.count + 1, reason: reason)
        let atFault = input.storage[input.start - 1]
        startRecord()
        if !isLineBreak(atFault) { state = .skipLine }
        return .failure(error)
    }

    private func isLineBreak(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }

    private mutating func startRecord() {
        row.removeAll()
        resetRecordState()
    }

    private mutating func resetRecordState() {
        fieldMayBeUTF8 = false
        recordError = nil
        recordLength = 0
        recordLine = line
        state = .fieldStart
    }

    /// The character at `input.start` for a message: `'x'`, `a space`, `control character U+0001`, a whole
    /// UTF-8 character (read ahead into the next chunk if need be), or `byte 0xFF` if it is not UTF-8.
    private mutating func describeNext() -> String {
        let b = input.storage[input.start]
        if b == 0x20 { return "a space" }
        if b == UInt8(ascii: "'") { return "\"'\"" }
        if b > 0x20, b < 0x7F { return "'\(UnicodeScalar(b))'" }
        if b < 0x80 { return UTF8Check.describeControl(b) }
        let wanted = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        _ = input.ensureAvailable(wanted)
        let start = input.start, end = input.end
        let n = input.storage.withUnsafeBufferPointer { UTF8Check.sequenceLength($0.baseAddress!, start, end) }
        guard n > 0 else { return "byte \(UTF8Check.hex(b))" }
        return "'" + String(decoding: input.storage[start..<start + n], as: UTF8.self) + "'"
    }
}

/// Writes RFC 4180 CSV into a byte buffer. A field is quoted only when it must be: when it holds the
/// delimiter, a quote (written twice), CR or LF, or starts or ends with a space or tab; a record whose only
/// field is empty is written `""` so that it is not read back as an empty line. Lines end with LF by default.
public struct CSVWriter: Sendable {
    public enum LineEnding: Sendable { case lf, crlf }

    public let lineEnding: LineEnding
    public let delimiter: UInt8
    /// The output so far.
    public private(set) var bytes: [UInt8] = []
    private var fieldsInRecord = 0
    private var lastFieldWasEmpty = false

    public init(lineEnding: LineEnding = .lf, delimiter: UInt8 = UInt8(ascii: ","), reservingCapacity capacity: Int = 0) {
        self.lineEnding = lineEnding
        self.delimiter = delimiter
        bytes.reserveCapacity(capacity)
    }

    /// The output as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the output, keeping its storage.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fieldsInRecord = 0
        lastFieldWasEmpty = false
    }

    /// Writes a whole record and its line break. A record with no fields writes nothing.
    public mutating func writeRecord(_ fields: [String]) {
        for f in fields { field(f) }
        endRecord()
    }

    /// Writes one field of the current record.
    public mutating func field(_ value: String) {
        if fieldsInRecord > 0 { bytes.append(delimiter) }
        fieldsInRecord += 1
        var value = value
        value.withUTF8 { utf8 in
            lastFieldWasEmpty = utf8.isEmpty
            Self.appendField(utf8, delimiter: delimiter, to: &bytes)
        }
    }

    /// Appends one field's text, quoted when it needs to be, as `field(_:)` writes it, to any byte buffer:
    /// for rows written without a writer (brief batch results) that must match a writer's bytes.
    static func appendField(_ utf8: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = UInt8(ascii: ","), to bytes: inout [UInt8]) {
        guard needsQuotes(utf8, delimiter: delimiter) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for (k, b) in utf8.enumerated() where b == UInt8(ascii: "\"") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...k]))
            bytes.append(b)
            runStart = k + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Ends the current record with a line break.
    public mutating func endRecord() {
        guard fieldsInRecord > 0 else { return }
        if fieldsInRecord == 1, lastFieldWasEmpty {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: "\""))
        }
        if lineEnding == .crlf { bytes.append(0x0D) }
        bytes.append(0x0A)
        fieldsInRecord = 0
    }

    /// Whether `value` must be quoted.
    public static func needsQuotes(_ value: String, delimiter: UInt8 = UInt8(ascii: ",")) -> Bool {
        var value = value
        return value.withUTF8 { needsQuotes($0, delimiter: delimiter) }
    }

    private static func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        for b in utf8 where b == delimiter || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D { return true }
        return false
    }
}
