import Foundation
import Testing
@testable import ScreenerCLI

/// Output files: whatever way the bytes take (staged in blocks past the page cache, through the cache, or back
/// through the cache after the file system refuses the bypass), the file holds exactly the bytes written, in order.
@Suite struct TemporaryOutputTests {
    enum Way: CaseIterable { case bypassingTheCache, throughTheCache, refusedThenThroughTheCache }

    /// Pieces written one after another, around the block (4,096) and stage (8,192 here) sizes.
    static let writes: [[Int]] = [
        [], [1], [4095], [4096], [4097], [8191], [8192], [8193], [3 * 8192 + 17],
        [100, 4000, 5000, 1, 8192, 12_000, 3], Array(repeating: 777, count: 60),
    ]

    @Test(arguments: Way.allCases, writes)
    func theFileHoldsExactlyTheBytesWritten(_ way: Way, _ sizes: [Int]) throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("out.jsonl").path
        let output = try TemporaryOutput(finalPath: path, stageSize: 8192, bypassCache: way != .throughTheCache,
                                         misalignedBy: way == .refusedThenThroughTheCache ? 1 : 0)
        var expected: [UInt8] = []
        for (k, size) in sizes.enumerated() {
            let piece = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k) }
            output.write(piece)
            expected += piece
        }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing under the final name before commit")
        try output.commit()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == expected.count)
        #expect(written == expected)
        #expect(!FileManager.default.fileExists(atPath: output.temporaryPath))
    }

    @Test func discardingLeavesNoFile() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("out.jsonl").path
        let output = try TemporaryOutput(finalPath: path, stageSize: 8192)
        output.write([UInt8](repeating: 65, count: 20_000))
        output.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: output.temporaryPath))
    }
}
