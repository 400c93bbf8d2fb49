import Foundation
import Testing
import TestSupport

/// The golden files of this test target: Tests/EligibilityTests/Golden, found from this file's own path.
let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares `actual` with `Golden/<name>` of this target (`RECORD_GOLDEN=1 swift test` rewrites it).
/// `filePath` is accepted for older callers and ignored: goldens always live in the target's Golden folder.
func assertGolden(_ actual: String, _ name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) {
    TestSupport.assertGolden(actual, name, in: goldenDirectory, sourceLocation: sourceLocation)
}
