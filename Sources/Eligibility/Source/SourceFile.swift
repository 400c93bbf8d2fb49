/// A rule file's text with the offsets of its line starts, so any byte offset maps to line and column.
public struct SourceFile: Sendable, Hashable {
    public let path: String
    /// The file's bytes as UTF-8; invalid sequences were replaced when read.
    public let text: [UInt8]
    public let lineStarts: [Int]

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        // Rule files are text: replace anything that is not valid UTF-8 so that offsets stay stable.
        let decoded = String(decoding: bytes, as: UTF8.self)
        self.text = Array(decoded.utf8)
        var starts = [0]
        for (i, b) in self.text.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, text.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        let lineStart = lineStarts[lo]
        let column = String(decoding: text[lineStart..<clamped], as: UTF8.self).count + 1
        return SourceLocation(line: lo + 1, column: column)
    }

    /// The text of a 1-based line without its line break.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : text.count
        while end > start, text[end - 1] == UInt8(ascii: "\n") || text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: text[start..<end], as: UTF8.self)
    }

    public func slice(_ range: SourceRange) -> String {
        let lo = max(0, min(range.start, text.count)), hi = max(lo, min(range.end, text.count))
        return String(decoding: text[lo..<hi], as: UTF8.self)
    }
}

/// A 1-based line and column in a source file.
public struct SourceLocation: Sendable, Hashable, Comparable {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A half-open byte range in one source file; `file` indexes the loaded file list.
public struct SourceRange: Sendable, Hashable {
    public let file: Int
    public let start: Int
    public let end: Int
    public init(file: Int, start: Int, end: Int) { self.file = file; self.start = start; self.end = max(start, end) }
    /// The range covering both.
    public func to(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }
    public static let none = SourceRange(file: -1, start: 0, end: 0)
}
