import Testing
@testable import Eligibility

/// JSON Lines records: a chunk's lines share one buffer, and blank lines, carriage returns and lines too long to be a
/// profile come out as they did when each line had its own bytes.
struct JSONLinesSourceTests {
    /// Every record of `text` in chunks of `max`: its line and its bytes as text, or the problem reported.
    static func records(_ text: String, max: Int, chunkSize: Int = 7, maxLineLength: Int = 16) throws -> [String] {
        var source = JSONLinesSource(lines: LineReader(bytes: Array(text.utf8), chunkSize: chunkSize, maxLineLength: maxLineLength))
        var out: [String] = []
        while let chunk = try source.next(max: max) {
            #expect(chunk.count <= max)
            for record in chunk {
                switch record.payload {
                case .json(let bytes): out.append("\(record.line): \(String(decoding: bytes, as: UTF8.self))")
                case .unreadable(_, let issues): out.append("\(record.line): ! \(issues.map(\.message).joined())")
                default: out.append("\(record.line): ?")
                }
            }
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 100])
    func linesBlanksCarriageReturnsAndCutLines(max: Int) throws {
        let text = "{\"a\":1}\n\n  \t\r\n{\"b\":22}\r\n{\"this line\":\"is far too long\"}\n{\"c\":3}\n\r\n{\"d\":4}"
        #expect(try Self.records(text, max: max) == [
            #"1: {"a":1}"#,
            #"4: {"b":22}"#,
            "5: ! line is 31 bytes, longer than any profile can be",
            #"6: {"c":3}"#,
            #"8: {"d":4}"#,
        ])
    }

    @Test func recordsOfAChunkShareOneBuffer() throws {
        var source = JSONLinesSource(lines: LineReader(bytes: Array("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n".utf8)))
        let chunk = try #require(try source.next(max: 10))
        let bases = chunk.map { record -> UnsafeRawPointer? in
            guard case .json(let bytes) = record.payload else { return nil }
            return bytes.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) - bytes.startIndex }
        }
        #expect(bases.count == 3 && bases.allSatisfy { $0 != nil && $0 == bases[0] })
        #expect(try source.next(max: 10) == nil)
    }

    @Test func emptyInputHasNoChunk() throws {
        #expect(try Self.records("", max: 5).isEmpty)
        #expect(try Self.records("\n \n\r\n", max: 5).isEmpty)
    }
}
