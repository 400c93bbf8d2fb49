/// Constant pieces of output, encoded once and kept one after another in a block of memory of their own.
final class Fragments: Sendable {
    // Output that repeats for every record (keys, ids, punctuation) is copied from here by number: a piece is
    // two offsets and a pointer, with no string escaping and no reference counting per record.
    /// Where each piece starts in `bytes`, and one more entry for where the last one ends.
    nonisolated(unsafe) private let starts: UnsafeMutableBufferPointer<Int32>
    nonisolated(unsafe) private let bytes: UnsafeMutableBufferPointer<UInt8>

    /// Collects pieces, numbered in the order they are added.
    struct Builder {
        private(set) var bytes: [UInt8] = []
        private(set) var starts: [Int32] = [0]
        var count: Int { starts.count - 1 }

        /// Adds a piece and returns its number.
        @discardableResult
        mutating func add(_ piece: [UInt8]) -> Int {
            bytes.append(contentsOf: piece)
            starts.append(Int32(bytes.count))
            return starts.count - 2
        }

        @discardableResult
        mutating func add(_ text: String) -> Int { add(Array(text.utf8)) }
    }

    /// Bytes readable past the end of every piece, so that a short piece is copied in whole 16-byte words.
    static let padding = 64

    init(_ builder: Builder) {
        starts = RuleSet.pinned(builder.starts)
        bytes = RuleSet.pinned(builder.bytes + repeatElement(0, count: Fragments.padding))
    }

    deinit {
        starts.deallocate()
        bytes.deallocate()
    }

    /// Piece `i`, valid as long as the fragments are; `Fragments.padding` bytes past its end may be read.
    @inline(__always)
    subscript(_ i: Int) -> Piece {
        let start = Int(starts[i])
        return Piece(bytes: UnsafeBufferPointer(start: bytes.baseAddress! + start, count: Int(starts[i + 1]) - start))
    }

    /// A piece of output and the padding after it.
    struct Piece {
        let bytes: UnsafeBufferPointer<UInt8>
    }
}

extension ByteBuffer {
    /// Appends a piece of fragments: most are short, and are copied in four 16-byte words (past their end into
    /// room the buffer keeps) rather than through a call to `memcpy` for a few dozen bytes.
    @inline(__always)
    mutating func append(_ piece: Fragments.Piece) {
        let n = piece.bytes.count
        guard n <= Fragments.padding else { return append(piece.bytes) }
        withRoom(Fragments.padding) { end in
            let from = UnsafeRawPointer(piece.bytes.baseAddress!), to = UnsafeMutableRawPointer(end)
            for offset in stride(from: 0, to: Fragments.padding, by: 16) {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self), toByteOffset: offset, as: SIMD16<UInt8>.self)
            }
            return n
        }
    }
}
