import Foundation

/// An output file written under a temporary name beside its final path and renamed into place only when complete.
/// A path that is not a regular file (/dev/null, a named pipe) is written directly: there is nothing to rename.
/// Bytes go to the file descriptor as they are (no copy into `Data`); the first failed write (a full disk) is kept,
/// and `commit` reports it instead of putting an incomplete file in place.
final class TemporaryOutput: @unchecked Sendable {
    let finalPath: String
    let temporaryPath: String
    private let descriptor: Int32
    private let lock = NSLock()
    private let direct: Bool
    /// errno of the first write that failed; 0 while all is well.
    private var failure: Int32 = 0

    init(finalPath: String) throws {
        self.finalPath = finalPath
        var status = stat()
        direct = stat(finalPath, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
        if direct {
            temporaryPath = finalPath
            descriptor = open(finalPath, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw LoadErrorMessage("cannot write '\(finalPath)': \(String(cString: strerror(errno)))") }
            return
        }
        let url = URL(fileURLWithPath: finalPath)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LoadErrorMessage("cannot write '\(finalPath)': the directory does not exist or is not writable")
        }
    }

    /// Paths to remove if the run is interrupted (none when writing directly).
    var partialPath: String? { direct ? nil : temporaryPath }

    func write(_ bytes: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        guard failure == 0 else { return }
        failure = bytes.withUnsafeBytes { OutputDescriptor.writeAll(descriptor, $0) }
    }

    /// Closes and renames into place (atomically replacing any earlier file of that name); throws, leaving no
    /// file under the final name, when a write failed.
    func commit() throws {
        let closed = close(descriptor) == 0 ? 0 : errno
        let problem = failure != 0 ? failure : closed
        if problem != 0 {
            if !direct { unlink(temporaryPath) }
            throw LoadErrorMessage("cannot write '\(finalPath)': \(String(cString: strerror(problem)))")
        }
        if direct { return }
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw LoadErrorMessage("cannot write '\(finalPath)': \(reason)")
        }
    }

    func discard() {
        close(descriptor)
        if !direct { unlink(temporaryPath) }
    }
}

/// Writing bytes to a file descriptor in full: a write may take only part of them, or be interrupted by a signal.
enum OutputDescriptor {
    /// 0 when every byte was written, else the errno of the failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
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
