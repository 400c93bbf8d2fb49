import Eligibility
import Foundation

/// `screener batch IN [-o OUT] ...`: rescreens a caseload in JSON Lines or CSV, in parallel, nothing lost.
enum BatchCommand {
    static let usage = """
    usage: screener batch IN [-o OUT] [--errors FILE] [--summary FILE] [--jobs N] [--detail brief|full]
                          [--input-format jsonl|csv] [--output-format jsonl|csv] [--as-of DATE] [--rules DIR] [--strict]
      IN is a .jsonl or .csv file, or - for standard input (JSON Lines unless --input-format csv)
      OUT defaults to standard output; errors default to standard error; --jobs defaults to every core
      --detail brief leaves out names, citations, explanations, reasons, missing facts and questions
      --no-progress hides the progress line on a terminal; --parse-only reads and validates without
      screening (the benchmark floor); --chunk N sets how many records a worker takes at a time (256)
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let args = try Arguments(argv, options: ["rules", "as-of", "output", "errors", "summary", "jobs", "detail", "input-format", "output-format", "chunk"],
                                 flags: ["strict", "parse-only", "no-progress"], shortNames: ["-o": "--output", "-j": "--jobs"])
        guard args.positionals.count == 1 else { throw Arguments.UsageError(message: "batch takes one input file (or - for standard input)") }
        let input = args.positionals[0]
        let inputFormat = args.values["input-format"] ?? (input.lowercased().hasSuffix(".csv") ? "csv" : "jsonl")
        guard inputFormat == "jsonl" || inputFormat == "csv" else { throw Arguments.UsageError(message: "--input-format must be jsonl or csv, got '\(inputFormat)'") }
        let output = args.values["output"]
        let outputFormatText = args.values["output-format"] ?? (output?.lowercased().hasSuffix(".csv") == true ? "csv" : "jsonl")
        guard let outputFormat = BatchOutputFormat(rawValue: outputFormatText) else { throw Arguments.UsageError(message: "--output-format must be jsonl or csv, got '\(outputFormatText)'") }
        let detailText = args.values["detail"] ?? "full"
        guard let detail = Screener.Detail(rawValue: detailText) else { throw Arguments.UsageError(message: "--detail must be brief or full, got '\(detailText)'") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var jobs = cores
        if let j = args.values["jobs"] {
            guard let n = Int(j), n >= 1, n <= 256 else { throw Arguments.UsageError(message: "--jobs expects a whole number from 1 to 256, got '\(j)'") }
            jobs = n
        }
        let chunkText = args.values["chunk"] ?? "256"
        guard let chunk = Int(chunkText), (1...100_000).contains(chunk) else {
            throw Arguments.UsageError(message: "--chunk expects a whole number from 1 to 100000, got '\(chunkText)'")
        }
        let asOf = try args.asOf()

        let handle: FileHandle
        var totalBytes: Int?
        if input == "-" {
            handle = .standardInput
        } else {
            guard let h = FileHandle(forReadingAtPath: input) else {
                console.err("error: cannot read '\(input)': no such file or not readable\n")
                return 2
            }
            handle = h
            totalBytes = (try? FileManager.default.attributesOfItem(atPath: input))?[.size] as? Int
        }
        guard let rules = loadRules(args, asOf: asOf, console: console) else { return 2 }

        // Outputs go to temporary files renamed at the end: an interrupted run never leaves a partial file under the final name.
        var outputs: [TemporaryOutput] = []
        func open(_ path: String?) throws -> TemporaryOutput? {
            guard let path, path != "-" else { return nil }
            let t = try TemporaryOutput(finalPath: path)
            outputs.append(t)
            return t
        }
        let outFile: TemporaryOutput?, errFile: TemporaryOutput?
        do {
            outFile = try open(output)
            errFile = try open(args.values["errors"])
        } catch {
            for o in outputs { o.discard() }
            console.err("error: \(error)\n")
            return 2
        }
        let interruption = Interruption.install(outputs)
        defer { interruption.cancel() }

        let write: ([UInt8]) -> Void = outFile.map { f in { f.write($0) } } ?? console.outBytes
        let writeErrors: ([UInt8]) -> Void = errFile.map { f in { f.write($0) } } ?? { console.err(String(decoding: $0, as: UTF8.self)) }
        let options = BatchOptions(jobs: jobs, detail: detail, format: outputFormat, asOf: asOf, strict: args.flags.contains("strict"),
                                   parseOnly: args.flags.contains("parse-only"), chunkSize: chunk)
        let runner = BatchRunner(rules: rules, options: options)
        let progress = Progress(console: console, enabled: console.errIsTerminal && !args.flags.contains("no-progress"), totalBytes: totalBytes)
        let summary: BatchSummary
        do {
            if inputFormat == "csv" {
                var source = CSVSource(reader: CSVReader(source: FileByteSource(handle)), rules: rules)
                summary = try runner.run(&source, write: write, writeErrors: writeErrors, progress: progress.update)
                for column in source.unknownColumns { console.err("warning: column '\(column)' is not a fact in the rules; ignored\n") }
            } else {
                var source = JSONLinesSource(lines: LineReader(fileHandle: handle))
                summary = try runner.run(&source, write: write, writeErrors: writeErrors, progress: progress.update)
            }
        } catch {
            for o in outputs { o.discard() }
            console.err("error: reading '\(input)': \(error)\n")
            return 2
        }
        progress.finish()
        do {
            // If one output cannot be completed, the others are not put in place either: a run leaves all or nothing.
            for (k, o) in outputs.enumerated() {
                do { try o.commit() } catch {
                    for rest in outputs[(k + 1)...] { rest.discard() }
                    throw error
                }
            }
            if let path = args.values["summary"] {
                let s = try TemporaryOutput(finalPath: path)
                s.write(Array(summary.json(tierOrder: rules.tiers.map(\.info.id)).utf8))
                try s.commit()
            }
        } catch {
            console.err("error: \(error)\n")
            return 2
        }
        console.err(summary.text(tierOrder: rules.tiers.map(\.info.id)))
        return summary.errors > 0 ? 1 : 0
    }
}

/// Progress on a terminal: records done, records per second and, when the input size is known, time left.
final class Progress: @unchecked Sendable {
    let console: Console
    let enabled: Bool
    let totalBytes: Int?
    let started = Date()
    var last = Date.distantPast
    var shown = false

    init(console: Console, enabled: Bool, totalBytes: Int?) {
        self.console = console; self.enabled = enabled; self.totalBytes = totalBytes
    }

    func update(_ records: Int, _ bytes: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.5 else { return }
        last = now
        console.err(Progress.line(records: records, bytes: bytes, totalBytes: totalBytes, elapsed: now.timeIntervalSince(started)))
        shown = true
    }

    /// One progress line, drawn over the last: records done, the rate, and with a known input size, the share done and time left.
    static func line(records: Int, bytes: Int, totalBytes: Int?, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(records) / elapsed : 0
        var line = "\r\(records) records, \(Int(rate)) records/s"
        if let total = totalBytes, bytes > 0, total > 0 {
            let left = elapsed * Double(total - min(bytes, total)) / Double(bytes)
            line += ", \(min(bytes, total) * 100 / total)%, about \(Int(left.rounded()))s left"
        }
        return line + "   "
    }

    func finish() { if shown { console.err("\r" + String(repeating: " ", count: 70) + "\r") } }
}
