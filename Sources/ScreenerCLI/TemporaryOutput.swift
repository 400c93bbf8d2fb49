import Foundation

/// An output file written under a temporary name beside its final path and renamed into place only when complete.
/// A path that is not a regular file (/dev/null, a named pipe) is written directly: there is nothing to rename.
final class TemporaryOutput: @unchecked Sendable {
    let finalPath: String
    let temporaryPath: String
    private let handle: FileHandle
    private let lock = NSLock()
    private let direct: Bool

    init(finalPath: String) throws {
        self.finalPath = finalPath
        var status = stat()
        direct = stat(finalPath, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
        if direct {
            temporaryPath = finalPath
            guard let h = FileHandle(forWritingAtPath: finalPath) else { throw LoadErrorMessage("cannot write '\(finalPath)'") }
            handle = h
            return
        }
        let url = URL(fileURLWithPath: finalPath)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let h = FileHandle(forWritingAtPath: temporaryPath) else {
            throw LoadErrorMessage("cannot write '\(finalPath)': the directory does not exist or is not writable")
        }
        handle = h
    }

    /// Paths to remove if the run is interrupted (none when writing directly).
    var partialPath: String? { direct ? nil : temporaryPath }

    func write(_ bytes: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        handle.write(Data(bytes))
    }

    /// Closes and renames into place, replacing any earlier file of that name.
    func commit() throws {
        try handle.close()
        if direct { return }
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
    }

    func discard() {
        try? handle.close()
        if !direct { unlink(temporaryPath) }
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
        let paths = outputs.compactMap(\.partialPath)
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
