import Foundation

/// An output file written under a temporary name beside its final path and renamed into place only when complete.
final class TemporaryOutput: @unchecked Sendable {
    let finalPath: String
    let temporaryPath: String
    private let handle: FileHandle
    private let lock = NSLock()

    init(finalPath: String) throws {
        self.finalPath = finalPath
        let url = URL(fileURLWithPath: finalPath)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let h = FileHandle(forWritingAtPath: temporaryPath) else {
            throw LoadErrorMessage("cannot write '\(finalPath)': the directory does not exist or is not writable")
        }
        handle = h
    }

    func write(_ bytes: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        handle.write(Data(bytes))
    }

    /// Closes and renames into place, replacing any earlier file of that name.
    func commit() throws {
        try handle.close()
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
    }

    func discard() {
        try? handle.close()
        unlink(temporaryPath)
    }
}

/// A message-only error for the command layer.
struct LoadErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Removes temporary outputs when the run is interrupted (Ctrl-C, kill), then exits with the conventional status.
final class Interruption: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    static func install(_ outputs: [TemporaryOutput]) -> Interruption {
        let i = Interruption()
        let paths = outputs.map(\.temporaryPath)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler {
                for p in paths { unlink(p) }
                FileHandle.standardError.write(Data("\ninterrupted: no output file was written\n".utf8))
                _exit(128 + sig)
            }
            s.resume()
            i.sources.append(s)
        }
        return i
    }

    func cancel() {
        for s in sources { s.cancel() }
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
    }
}
