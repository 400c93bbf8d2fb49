import Testing
@testable import ScreenerCLI

/// The batch progress line: shown on a terminal only, throttled, with an ETA when the input size is known.
@Suite struct ProgressTests {
    @Test func lineWithAndWithoutAKnownSize() {
        #expect(Progress.line(records: 1000, bytes: 500, totalBytes: 1000, elapsed: 2) == "\r1000 records, 500 records/s, 50%, about 2s left   ")
        #expect(Progress.line(records: 1000, bytes: 500, totalBytes: nil, elapsed: 4) == "\r1000 records, 250 records/s   ")
        #expect(Progress.line(records: 10, bytes: 2000, totalBytes: 1000, elapsed: 1) == "\r10 records, 10 records/s, 100%, about 0s left   ")
    }

    @Test func nothingWhenNotATerminalAndThrottledWhenItIs() {
        var written: [String] = []
        let console = Console(out: { _ in }, err: { written.append($0) })
        let off = Progress(console: console, enabled: false, totalBytes: 100)
        off.update(5, 50)
        off.finish()
        #expect(written.isEmpty)
        let on = Progress(console: console, enabled: true, totalBytes: 100)
        on.update(5, 50)
        on.update(6, 60)  // within half a second of the last: not drawn
        #expect(written.count == 1)
        on.finish()
        #expect(written.count == 2)
        #expect(written[1].hasPrefix("\r ") && written[1].hasSuffix("\r"))
    }
}
