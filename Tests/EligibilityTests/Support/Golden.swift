import Foundation
import Testing

/// The golden files of this test target: Tests/EligibilityTests/Golden, found from this file's own path.
let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares `actual` with the golden file `Golden/<name>`; `RECORD_GOLDEN=1 swift test` rewrites it instead.
/// `filePath` is accepted for older callers and ignored: goldens always live in the target's Golden folder.
func assertGolden(_ actual: String, _ name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = goldenDirectory
    let url = dir.appendingPathComponent(name)
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
