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

    init(_ builder: Builder) {
        starts = RuleSet.pinned(builder.starts)
        bytes = RuleSet.pinned(builder.bytes)
    }

    deinit {
        starts.deallocate()
        bytes.deallocate()
    }

    /// Piece `i`, valid as long as the fragments are.
    @inline(__always)
    subscript(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(starts[i])
        return UnsafeBufferPointer(start: bytes.baseAddress! + start, count: Int(starts[i + 1]) - start)
    }
}
