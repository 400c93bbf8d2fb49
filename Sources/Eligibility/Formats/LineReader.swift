import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of input, without its line break.
public struct InputLine: Sendable, Equatable {
    /// 1-based.
    public let number: Int
    /// The line's bytes (a final CR removed); at most the reader's `maxLineLength` of them.
    public let bytes: [UInt8]
    /// The line's full length in bytes; more than `bytes.count` when the line was too long and was cut.
    public let length: Int

    public init(number: Int, bytes: [UInt8], length: Int? = nil) {
        self.number = number
        self.bytes = bytes
        self.length = length ?? bytes.count
    }

    public var isTruncated: Bool { length > bytes.count }
    /// The line as text; invalid UTF-8 is replaced (the JSON parser reports it precisely from `bytes`).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Splits a stream into lines, for JSON Lines: reads large chunks (1 MiB by default) and keeps memory at
/// one chunk plus the current line, whatever the size of the input.
///
/// - Lines end at LF; a CR before the LF is removed, so CRLF files read the same.
/// - A last line without a line break is still returned; an empty input has no lines; a line break at the
///   end does not make an extra empty line. Empty lines in the middle are returned (the caller decides).
/// - A UTF-8 byte-order mark at the start is removed.
/// - A line longer than `maxLineLength` is returned cut to that length with `isTruncated` set and its full
///   `length`, so the caller can report it; the reader carries on with the next line.
///
/// ```
/// var lines = LineReader(fileHandle: .standardInput)
/// while let line = try lines.next() { ... line.number, line.bytes ... }
/// ```
public struct LineReader {
    public static let defaultChunkSize = 1 << 20
    public static let defaultMaxLineLength = 1 << 28

    private var input: ChunkBuffer
    private let maxLineLength: Int
    private var lineNumber = 0
    /// The start of a line that continues past the current chunk.
    private var pending: [UInt8] = []

    public init(source: some ByteSource, chunkSize: Int = defaultChunkSize, maxLineLength: Int = defaultMaxLineLength) {
        input = ChunkBuffer(source: source, chunkSize: chunkSize)
        self.maxLineLength = max(1, maxLineLength)
    }

    public init(fileHandle: FileHandle, chunkSize: Int = defaultChunkSize, maxLineLength: Int = defaultMaxLineLength) {
        self.init(source: FileByteSource(fileHandle), chunkSize: chunkSize, maxLineLength: maxLineLength)
    }

    public init(bytes: [UInt8], chunkSize: Int = defaultChunkSize, maxLineLength: Int = defaultMaxLineLength) {
        self.init(source: MemoryByteSource(bytes), chunkSize: chunkSize, maxLineLength: maxLineLength)
    }

    /// The next line, or nil at the end of the input. Throws `ByteSourceError` when a read fails
    /// (after returning the lines read before it).
    public mutating func next() throws -> InputLine? {
        var bytes: [UInt8] = []
        guard let line = try next(appendingTo: &bytes) else { return nil }
        return InputLine(number: line.number, bytes: bytes, length: line.length)
    }

    /// A line read into the end of a buffer of the caller's: where its bytes lie (a final CR removed; at most
    /// `maxLineLength` of them), its number and its full length. Many lines read into one buffer take one allocation.
    public mutating func next(appendingTo buffer: inout [UInt8]) throws -> (number: Int, range: Range<Int>, length: Int)? {
        let first = buffer.count
        guard let length = try read(appendingTo: &buffer) else { return nil }
        return (lineNumber, first..<buffer.count, length)
    }

    /// Appends the next line's bytes to `out` and returns its full length, or nil at the end of the input.
    private mutating func read(appendingTo out: inout [UInt8]) throws -> Int? {
        pending.removeAll(keepingCapacity: true)
        var length = 0
        var lastByte: UInt8 = 0
        var sawBytes = false
        while true {
            if input.isEmpty {
                guard input.refill() else {
                    if let error = input.readError {
                        input.readError = nil
                        throw error
                    }
                    guard sawBytes else { return nil }
                    return finish(length: length, lastByte: lastByte, into: &out)
                }
            }
            sawBytes = true
            let start = input.start, end = input.end
            let newline: Int? = input.storage.withUnsafeBufferPointer { buf in
                guard let found = memchr(buf.baseAddress! + start, Int32(UInt8(ascii: "\n")), end - start) else { return nil }
                return buf.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            let stop = newline ?? end
            if pending.isEmpty, length == 0, let newline {
                // The whole line is in this chunk: copy it out once.
                input.start = newline + 1
                var lineEnd = newline
                if lineEnd > start, input.storage[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                lineNumber += 1
                // Through a pointer: appending a slice of the storage would count a reference to it per line.
                let end = min(lineEnd, start + maxLineLength)
                input.storage.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
                return lineEnd - start
            }
            let room = maxLineLength - pending.count
            if room > 0 { pending.append(contentsOf: input.storage[start..<min(stop, start + room)]) }
            length += stop - start
            if stop > start { lastByte = input.storage[stop - 1] }
            if let newline {
                input.start = newline + 1
                return finish(length: length, lastByte: lastByte, into: &out)
            }
            input.start = end
        }
    }

    /// Ends the line in `pending`, removing a final CR (which may lie beyond the cut of a truncated line).
    private mutating func finish(length: Int, lastByte: UInt8, into out: inout [UInt8]) -> Int {
        lineNumber += 1
        var length = length
        if lastByte == 0x0D {
            length -= 1
            if pending.count > length { pending.removeLast() }
        }
        out.append(contentsOf: pending)
        return length
    }
}
