import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the streaming readers (`LineReader`, `CSVReader`) get their bytes: a file, standard input, memory.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer` and returns how many; 0 means the end of the input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A read failed (the disk, the pipe); the message is lower-case and names the system error.
public struct ByteSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads a file descriptor with `read(2)`, straight into the reader's buffer (no `Data` in between).
public struct FileByteSource: ByteSource {
    public let fileDescriptor: Int32
    /// Keeps the handle, and so the descriptor, open while this source is in use.
    private let handle: FileHandle?

    public init(_ handle: FileHandle) {
        self.handle = handle
        self.fileDescriptor = handle.fileDescriptor
    }

    /// A descriptor the caller keeps open.
    public init(fileDescriptor: Int32) {
        self.handle = nil
        self.fileDescriptor = fileDescriptor
    }

    public static var standardInput: FileByteSource { FileByteSource(fileDescriptor: 0) }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(fileDescriptor, base, buffer.count)
            #elseif canImport(Musl)
            let n = Musl.read(fileDescriptor, base, buffer.count)
            #else
            let n = Glibc.read(fileDescriptor, base, buffer.count)
            #endif
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            throw ByteSourceError("read error: \(String(cString: strerror(code)).lowercased())")
        }
    }
}

/// Bytes already in memory, handed out at most `maxReadSize` at a time (small sizes exercise chunk boundaries).
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    private let maxReadSize: Int

    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        self.bytes = bytes
        self.maxReadSize = max(1, maxReadSize)
    }

    public init(_ text: String, maxReadSize: Int = .max) {
        self.init(Array(text.utf8), maxReadSize: maxReadSize)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, maxReadSize, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// Bytes from a sequence of chunks (for example blocks produced by another stage), chunk boundaries kept.
public struct ChunkByteSource<Chunks: IteratorProtocol>: ByteSource where Chunks.Element == [UInt8] {
    private var chunks: Chunks
    private var current: [UInt8] = []
    private var position = 0

    public init(_ chunks: Chunks) { self.chunks = chunks }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while position == current.count {
            guard let next = chunks.next() else { return 0 }
            current = next
            position = 0
        }
        let n = min(buffer.count, current.count - position)
        guard n > 0 else { return 0 }
        current.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// The buffer shared by the streaming readers: bytes `storage[start..<end]` are read but not yet consumed.
/// Memory stays at one chunk however large the input.
struct ChunkBuffer {
    var source: any ByteSource
    var storage: [UInt8]
    var start = 0
    var end = 0
    let chunkSize: Int
    private(set) var atEnd = false
    /// A read error, reported once by the reader; the input then counts as ended.
    var readError: ByteSourceError?
    private var startedReading = false

    init(source: any ByteSource, chunkSize: Int) {
        self.source = source
        self.chunkSize = max(1, chunkSize)
        // At least 4 bytes so that a byte-order mark can be recognised whatever the chunk size.
        self.storage = [UInt8](repeating: 0, count: max(4, self.chunkSize))
    }

    var isEmpty: Bool { start == end }

    /// Reads the next chunk once the buffer is used up; false at the end of the input or on a read error.
    mutating func refill() -> Bool {
        precondition(start == end)
        guard !atEnd else { return false }
        start = 0
        end = 0
        if !startedReading {
            startedReading = true
            // Skip a UTF-8 byte-order mark at the very start: read until 3 bytes are here or the input ends.
            while end < 3, readMore() {}
            if end >= 3, storage[0] == 0xEF, storage[1] == 0xBB, storage[2] == 0xBF { start = 3 }
            if start < end { return true }
            start = 0
            end = 0
        }
        while end == 0 {
            guard readMore() else { return false }
        }
        return true
    }

    /// Makes at least `count` (at most 4) unread bytes available from `start`, moving them to the front of the
    /// buffer when needed; false if the input ends first.
    mutating func ensureAvailable(_ count: Int) -> Bool {
        precondition(count <= 4)
        if end - start >= count { return true }
        if start > 0 {
            let n = end - start
            for k in 0..<n { storage[k] = storage[start + k] }
            start = 0
            end = n
        }
        while end - start < count {
            guard readMore() else { return false }
        }
        return true
    }

    /// Appends up to `chunkSize` bytes after `end`; false at the end of the input.
    private mutating func readMore() -> Bool {
        guard !atEnd else { return false }
        let room = min(chunkSize, storage.count - end)
        let at = end
        do {
            let n = try storage.withUnsafeMutableBytes { raw in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[at..<at + room]))
            }
            if n == 0 { atEnd = true }
            end += n
            return n > 0
        } catch let error as ByteSourceError {
            readError = error
        } catch {
            readError = ByteSourceError("read error: \(error)")
        }
        atEnd = true
        return false
    }
}
