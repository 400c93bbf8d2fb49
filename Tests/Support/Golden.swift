import Foundation
import Testing

/// Compares `actual` with the golden file `name` under `directory`; `RECORD_GOLDEN=1 swift test` rewrites it instead.
/// A missing golden is a failure, never silently created.
public func assertGolden(_ actual: String, _ name: String, in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file \(name); run RECORD_GOLDEN=1 swift test to create it", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("golden \(name) differs:\n--- expected\n\(expected)\n--- actual\n\(actual)", sourceLocation: sourceLocation)
    }
}
