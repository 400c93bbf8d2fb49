import Foundation
import Testing
import TestSupport

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// What a run of the built `screener` printed and returned.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// The `screener` executable that `swift build` / `swift test` produced.
func screenerExecutable() -> URL {
    let candidates = [".build/debug/screener", ".build/release/screener"]
    for c in candidates {
        let url = repositoryRoot.appendingPathComponent(c)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return repositoryRoot.appendingPathComponent(candidates[0])
}

/// Runs the built `screener` as a separate process from the repository root, feeding `stdin`.
func runScreener(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Run {
    let process = Process()
    process.executableURL = screenerExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    var env = ProcessInfo.processInfo.environment
    env["SWIFT_BACKTRACE"] = "enable=no"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// Compares with `Golden/<name>` of this target; `RECORD_GOLDEN=1 swift test` rewrites it instead.
func assertGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    TestSupport.assertGolden(actual, name, in: repositoryRoot.appendingPathComponent("Tests/ScreenerCLITests/Golden"), sourceLocation: sourceLocation)
}

/// A scratch directory removed when the test ends.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("screener-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
