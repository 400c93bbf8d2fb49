import Foundation

/// Where a command writes: standard output and standard error, replaceable in tests.
public final class Console: @unchecked Sendable {
    public var out: (String) -> Void
    /// Bytes to standard output as they are (batch results, megabytes at a time): no detour through `String`.
    /// By default they go through `out`, which is what tests replace.
    public var outBytes: ([UInt8]) -> Void = { _ in }
    public var err: (String) -> Void
    /// Whether standard error is a terminal (progress lines are shown only then).
    public var errIsTerminal: Bool
    public var readInput: () -> [UInt8]
    /// One line of standard input without its line break; nil at the end of input (the interview reads answers this way).
    public var readLine: () -> String?
    /// Whether standard input is a terminal: piped answers are echoed so a transcript reads like a session.
    public var inIsTerminal: Bool

    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errIsTerminal: Bool = false,
                readInput: @escaping () -> [UInt8] = { [] }, readLine: @escaping () -> String? = { nil }, inIsTerminal: Bool = false) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
        self.readInput = readInput
        self.readLine = readLine
        self.inIsTerminal = inIsTerminal
        outBytes = { [unowned self] bytes in self.out(String(decoding: bytes, as: UTF8.self)) }
    }

    /// The process's own standard streams.
    public static func standard() -> Console {
        let console = Console(out: { FileHandle.standardOutput.write(Data($0.utf8)) },
                              err: { FileHandle.standardError.write(Data($0.utf8)) },
                              errIsTerminal: isatty(2) == 1,
                              readInput: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) },
                              readLine: { Swift.readLine(strippingNewline: true) },
                              inIsTerminal: isatty(0) == 1)
        console.outBytes = { bytes in _ = bytes.withUnsafeBytes { OutputDescriptor.writeAll(1, $0) } }
        return console
    }
}
