import Foundation
import Testing
import TestSupport
@testable import Eligibility

/// Every record or error, in order: `2: ["a", "b"]` or the error's description.
private func readAll(_ bytes: [UInt8], chunkSize: Int = CSVReader.defaultChunkSize,
                     delimiter: UInt8 = UInt8(ascii: ","), maxRecordLength: Int = CSVReader.defaultMaxRecordLength) -> [String] {
    let reader = CSVReader(source: MemoryByteSource(bytes), delimiter: delimiter, chunkSize: chunkSize, maxRecordLength: maxRecordLength)
    return reader.map { result in
        switch result {
        case .success(let record): "\(record.line): \(record.fields)"
        case .failure(let error): error.description
        }
    }
}

/// A source that fails after handing out some bytes.
private struct FailingSource: ByteSource {
    var bytes: [UInt8]
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !bytes.isEmpty else { throw ByteSourceError("read error: input/output error") }
        let n = min(buffer.count, bytes.count)
        for k in 0..<n { buffer[k] = bytes[k] }
        bytes.removeFirst(n)
        return n
    }
}

@Suite("CSV reader")
struct CSVReaderTests {
    static let cases: [(String, [String])] = [
        ("", []),
        ("\n", []),
        ("a,b,c", [#"1: ["a", "b", "c"]"#]),
        ("a,b\n", [#"1: ["a", "b"]"#]),
        ("a,b\r\nc,d\r\n", [#"1: ["a", "b"]"#, #"2: ["c", "d"]"#]),
        ("a\rb\rc", [#"1: ["a"]"#, #"2: ["b"]"#, #"3: ["c"]"#]),
        ("\u{FEFF}case_id,age\nc1,30", [#"1: ["case_id", "age"]"#, #"2: ["c1", "30"]"#]),
        ("\u{FEFF}", []),
        ("\"a,b\",\"say \"\"hi\"\"\",c", [#"1: ["a,b", "say \"hi\"", "c"]"#]),
        ("\"a\"\"b\"", [#"1: ["a\"b"]"#]),
        ("\"multi\nline\",x\nnext,row\n", [#"1: ["multi\nline", "x"]"#, #"3: ["next", "row"]"#]),
        ("\"multi\r\nline\",x\r\nn\r\n", [#"1: ["multi\r\nline", "x"]"#, #"3: ["n"]"#]),
        (",,\n", [#"1: ["", "", ""]"#]),
        ("a,\n", [#"1: ["a", ""]"#]),
        ("a,", [#"1: ["a", ""]"#]),
        ("\"\"\n", [#"1: [""]"#]),
        ("\"\",\"\"", [#"1: ["", ""]"#]),
        ("a\n\nb\n\n\n", [#"1: ["a"]"#, #"3: ["b"]"#]),
        ("a,b,c\nd\ne,f\n", [#"1: ["a", "b", "c"]"#, #"2: ["d"]"#, #"3: ["e", "f"]"#]),
        (" a , b \n", [#"1: [" a ", " b "]"#]),
        ("snap;wic,child_welfare.stage\n", [#"1: ["snap;wic", "child_welfare.stage"]"#]),
        ("caf\u{e9},\u{1F600}\n", ["1: [\"caf\u{e9}\", \"\u{1F600}\"]"]),
        // Errors, each followed by recovery at the next line.
        ("id,name\n1,ab\"c\n2,ok\n", [#"1: ["id", "name"]"#, "line 2, field 2: unexpected '\"' in an unquoted field", #"3: ["2", "ok"]"#]),
        ("\"abc\"x,y\nz\n", ["line 1, field 1: unexpected 'x' after a closing quote", #"2: ["z"]"#]),
        ("a,\"abc\" ,y\nz", ["line 1, field 2: unexpected a space after a closing quote", #"2: ["z"]"#]),
        ("\"abc\"'\n", ["line 1, field 1: unexpected \"'\" after a closing quote"]),
        ("\"abc\"\u{e9}\n", ["line 1, field 1: unexpected '\u{e9}' after a closing quote"]),
        ("\"x\ny\"z\nok\n", ["line 1, field 1: unexpected 'z' after a closing quote", #"3: ["ok"]"#]),
        ("a,\"unterminated\nb,c\n", ["line 1, field 2: unterminated quoted field: end of input before the closing '\"'"]),
        ("a,b\n\"", [#"1: ["a", "b"]"#, "line 2, field 1: unterminated quoted field: end of input before the closing '\"'"]),
        ("ab\"", ["line 1, field 1: unexpected '\"' in an unquoted field"]),
        ("ab\"\r\nc\r\n", ["line 1, field 1: unexpected '\"' in an unquoted field", #"2: ["c"]"#]),
    ]

    @Test("records and errors", arguments: cases)
    func records(input: String, expected: [String]) {
        let bytes = Array(input.utf8)
        #expect(readAll(bytes) == expected)
        // Chunk boundaries anywhere give the same result.
        for chunkSize in [1, 2, 3, 5, 64] {
            #expect(readAll(bytes, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func invalidUTF8IsReportedAndTheNextRecordRead() {
        let bytes = Array("a,caf".utf8) + [0xE9] + Array("\n\"x\",".utf8) + [0xFF, 0xFE] + Array("\nb\n".utf8)
        let expected = ["line 1, field 2: invalid UTF-8 byte 0xE9", "line 2, field 2: invalid UTF-8 byte 0xFF", #"3: ["b"]"#]
        #expect(readAll(bytes) == expected)
        #expect(readAll(bytes, chunkSize: 1) == expected)
        let afterQuote = Array("\"abc\"".utf8) + [0xFF] + Array("\nb\n".utf8)
        for chunkSize in [1, 5, 6, 64] {
            #expect(readAll(afterQuote, chunkSize: chunkSize) == ["line 1, field 1: unexpected byte 0xFF after a closing quote", #"2: ["b"]"#])
        }
    }

    @Test func recordLengthLimitRecovers() {
        let quoted = Array("\"aaaaaaaaaaaaaaaaaaaa\nok\n".utf8)
        #expect(readAll(quoted, maxRecordLength: 10)
                == ["line 1, field 1: quoted field longer than 10 bytes; is a closing '\"' missing?", #"2: ["ok"]"#])
        let plain = Array("abcdefghijklmnop,x\nok".utf8)
        #expect(readAll(plain, chunkSize: 3, maxRecordLength: 10) == ["line 1, field 1: record longer than 10 bytes", #"2: ["ok"]"#])
        // The limit is per record.
        let many = Array(String(repeating: "abcdefgh\n", count: 100).utf8)
        #expect(readAll(many, maxRecordLength: 10).count == 100)
    }

    @Test func otherDelimiter() {
        #expect(readAll(Array("a\tb,c\t\"d\te\"\n".utf8), delimiter: 0x09) == [#"1: ["a", "b,c", "d\te"]"#])
    }

    @Test func readErrorEndsTheInput() {
        let reader = CSVReader(source: FailingSource(bytes: Array("a,b\nc,d\ne".utf8)), chunkSize: 4)
        let results = reader.map { r in
            switch r {
            case .success(let record): "\(record.line): \(record.fields)"
            case .failure(let error): error.description
            }
        }
        #expect(results == [#"1: ["a", "b"]"#, #"2: ["c", "d"]"#, "line 3: read error: input/output error"])
    }

    @Test func readsFilesInBoundedChunks() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var w = CSVWriter(lineEnding: .crlf)
        w.writeRecord(["case_id", "relationship", "age", "notes"])
        for k in 0..<20_000 { w.writeRecord(["c\(k / 3)", k % 3 == 0 ? "caregiver" : "child", "\(k % 40)", "line one\nline \"two\", end"]) }
        try Data(w.bytes).write(to: url)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var count = 0
        var lastLine = 0
        for result in CSVReader(fileHandle: handle, chunkSize: 4096) {
            let record = try result.get()
            #expect(record.fields.count == 4)
            if count > 0 { #expect(record.fields[3] == "line one\nline \"two\", end") }
            lastLine = record.line
            count += 1
        }
        #expect(count == 20_001)
        #expect(lastLine == 1 + 2 * 20_000 - 1)
    }

    /// Copying runs of ordinary bytes at once must read exactly what the byte-by-byte state machine reads, errors
    /// included: random bytes of every kind the reader treats apart (quotes, delimiters, line breaks, text outside
    /// ASCII, bytes that are not UTF-8), through chunks of many sizes and record length limits.
    @Test func runsReadAsByteByByte() {
        var rng = SplitMix(seed: 19)
        let pieces: [[UInt8]] = [[0x61], [0x62, 0x63, 0x64], [0x2C], [0x22], [0x22, 0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0x20],
                                 [0xC3, 0xA9], [0xFF], [0xE2, 0x82], Array("ordinary,text".utf8), Array("\"quoted, field\"".utf8)]
        for _ in 0..<1500 {
            var bytes: [UInt8] = rng.next() % 8 == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<Int(rng.next() % 40) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            for (chunkSize, maxLength) in [(1, 1 << 24), (3, 7), (16, 1 << 24), (1 << 20, 12), (1 << 20, 1 << 24)] {
                func read(runs: Bool) -> [String] {
                    var reader = CSVReader(source: MemoryByteSource(bytes), chunkSize: chunkSize, maxRecordLength: maxLength)
                    reader.copiesRuns = runs
                    var out: [String] = []
                    while let result = reader.next() {
                        switch result {
                        case .success(let record): out.append("\(record.line): \(record.fields)")
                        case .failure(let error): out.append(error.description)
                        }
                    }
                    return out
                }
                #expect(read(runs: true) == read(runs: false), "\(bytes) in chunks of \(chunkSize), records up to \(maxLength) bytes")
            }
        }
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func quotesOnlyWhenNeeded() {
        var w = CSVWriter()
        w.writeRecord(["plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rx", " lead", "trail ", "\ttab", "caf\u{e9}", "1829.00", ""])
        #expect(w.text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rx\",\" lead\",\"trail \",\"\ttab\",caf\u{e9},1829.00,\n")
    }

    @Test func emptyRecords() {
        var w = CSVWriter()
        w.writeRecord([""])
        w.writeRecord(["", ""])
        w.writeRecord([])
        #expect(w.text == "\"\"\n,\n")
        #expect(readAll(w.bytes) == [#"1: [""]"#, #"2: ["", ""]"#])
    }

    @Test func lineEndingsAndStreaming() {
        var w = CSVWriter(lineEnding: .crlf)
        w.field("a")
        w.field("b c")
        w.endRecord()
        w.writeRecord(["x"])
        #expect(w.text == "a,b c\r\nx\r\n")
        w.reset()
        #expect(w.bytes.isEmpty)
        var t = CSVWriter(delimiter: 0x09)
        t.writeRecord(["a,b", "c\td"])
        #expect(t.text == "a,b\t\"c\td\"\n")
    }

    @Test func needsQuotes() {
        #expect(!CSVWriter.needsQuotes(""))
        #expect(!CSVWriter.needsQuotes("snap;wic"))
        #expect(!CSVWriter.needsQuotes("a b"))
        #expect(CSVWriter.needsQuotes("a,b"))
        #expect(CSVWriter.needsQuotes(" "))
        #expect(!CSVWriter.needsQuotes("a,b", delimiter: 0x09))
    }

    @Test func generatedRoundTrips() {
        var rng = SplitMix(seed: 7)
        let alphabet: [Character] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "\t", ";", "\u{e9}", "\u{1F600}"]
        for lineEnding in [CSVWriter.LineEnding.lf, .crlf] {
            var records: [[String]] = []
            for _ in 0..<300 {
                let count = 1 + Int(rng.next() % 5)
                records.append((0..<count).map { _ in
                    String((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
                })
            }
            var w = CSVWriter(lineEnding: lineEnding)
            for r in records { w.writeRecord(r) }
            for chunkSize in [1, 7, 1 << 20] {
                let read = CSVReader(source: MemoryByteSource(w.bytes), chunkSize: chunkSize).map { try? $0.get().fields }
                #expect(read == records.map { Optional($0) }, "chunk size \(chunkSize)")
            }
        }
    }
}

@Suite("Line reader")
struct LineReaderTests {
    private func lines(_ bytes: [UInt8], chunkSize: Int = LineReader.defaultChunkSize, maxLineLength: Int = LineReader.defaultMaxLineLength) throws -> [String] {
        var reader = LineReader(source: MemoryByteSource(bytes), chunkSize: chunkSize, maxLineLength: maxLineLength)
        var out: [String] = []
        while let line = try reader.next() {
            out.append("\(line.number): \(line.text)" + (line.isTruncated ? " (\(line.length) bytes)" : ""))
        }
        return out
    }

    static let cases: [(String, [String])] = [
        ("", []),
        ("a", ["1: a"]),
        ("a\n", ["1: a"]),
        ("a\nb", ["1: a", "2: b"]),
        ("a\r\nb\r\n", ["1: a", "2: b"]),
        ("\n\n", ["1: ", "2: "]),
        ("a\n\nb", ["1: a", "2: ", "3: b"]),
        ("\r\n", ["1: "]),
        ("a\rb\n", ["1: a\rb"]),
        ("\u{FEFF}{\"case_id\":\"c1\"}\n{}", ["1: {\"case_id\":\"c1\"}", "2: {}"]),
        ("\u{FEFF}", []),
        ("\u{FEFF}\n", ["1: "]),
        ("caf\u{e9}\n\u{1F600}\n", ["1: caf\u{e9}", "2: \u{1F600}"]),
    ]

    @Test("lines", arguments: cases)
    func splits(input: String, expected: [String]) throws {
        let bytes = Array(input.utf8)
        #expect(try lines(bytes) == expected)
        for chunkSize in 1...7 {
            #expect(try lines(bytes, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func longLinesAcrossManyChunks() throws {
        let long = String(repeating: "0123456789", count: 300_000)
        let bytes = Array("short\n\(long)\r\n\(long)".utf8)
        var reader = LineReader(source: MemoryByteSource(bytes), chunkSize: 1000)
        let first = try reader.next()
        #expect(first?.text == "short")
        let second = try reader.next()
        #expect(second?.number == 2 && second?.bytes.count == 3_000_000 && second?.isTruncated == false)
        #expect(second?.text == long)
        let third = try reader.next()
        #expect(third?.number == 3 && third?.text == long)
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func tooLongLinesAreCutAndReported() throws {
        for chunkSize in [1, 2, 3, 1 << 20] {
            #expect(try lines(Array("abcdef\nxy\nabcd\r\nabcdef\r\n".utf8), chunkSize: chunkSize, maxLineLength: 4)
                    == ["1: abcd (6 bytes)", "2: xy", "3: abcd", "4: abcd (6 bytes)"], "chunk size \(chunkSize)")
        }
    }

    @Test func readErrorsAreThrownAfterTheLinesBeforeThem() throws {
        var reader = LineReader(source: FailingSource(bytes: Array("a\nb\nc".utf8)), chunkSize: 2)
        #expect(try reader.next()?.text == "a")
        #expect(try reader.next()?.text == "b")
        #expect(throws: ByteSourceError("read error: input/output error")) { try reader.next() }
    }

    @Test func readsAFileAndFeedsTheJSONParser() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        var w = JSONWriter()
        var text = ""
        for k in 1...1000 {
            w.reset()
            w.write(["case_id": .string("c\(k)"), "resources": .number("\(k).50")])
            text += w.text + (k == 500 ? "\n{bad\n" : "\n")
        }
        try Data(text.utf8).write(to: url)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = LineReader(fileHandle: handle, chunkSize: 4096)
        var ok = 0
        var errors: [String] = []
        while let line = try reader.next() {
            do {
                let v = try JSONParser.parse(line.bytes)
                #expect(v["resources"]?.numberText?.hasSuffix(".50") == true)
                ok += 1
            } catch {
                errors.append("line \(line.number): \(error)")
            }
        }
        #expect(ok == 1000)
        #expect(errors == ["line 501: line 1, column 2: expected a string key or '}' in an object, found 'b'"])
    }
}
