import Foundation

/// Where a command writes: standard output and standard error, replaceable in tests.
public final class Console: @unchecked Sendable {
    public var out: (String) -> Void
    public var err: (String) -> Void
    /// Whether standard error is a terminal (progress lines are shown only then).
    public var errIsTerminal: Bool
    public var readInput: () -> [UInt8]

    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errIsTerminal: Bool = false, readInput: @escaping () -> [UInt8] = { [] }) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
        self.readInput = readInput
    }

    /// The process's own standard streams.
    public static func standard() -> Console {
        Console(out: { FileHandle.standardOutput.write(Data($0.utf8)) },
                err: { FileHandle.standardError.write(Data($0.utf8)) },
                errIsTerminal: isatty(2) == 1,
                readInput: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) })
    }
}
