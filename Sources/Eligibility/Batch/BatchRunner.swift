import Foundation

/// One input record of a batch: a JSON Lines line, or the rows of one CSV household already turned into a profile.
public struct BatchRecord: Sendable {
    public enum Payload: Sendable {
        /// A JSON line's bytes: a slice of the chunk's buffer, which a chunk's lines share (one allocation per chunk).
        case json(ArraySlice<UInt8>)
        case profile(JSONValue)
        /// A CSV household's rows, turned into a profile by the worker that screens it.
        case csvHousehold(CSVHousehold)
        /// The record could not be read at all (a CSV household split by another, a malformed row).
        case unreadable(caseId: String?, issues: [ProfileIssue])
    }
    /// 1-based line in the input where the record starts.
    public let line: Int
    public let payload: Payload
    public init(line: Int, payload: Payload) { self.line = line; self.payload = payload }
}

/// Something that yields input records in order, a chunk at a time, with bounded memory.
public protocol RecordSource {
    /// Up to `max` records; nil at the end of the input.
    mutating func next(max: Int) throws -> [BatchRecord]?
    /// Bytes consumed so far, for progress and ETA.
    var bytesRead: Int { get }
}

/// Output formats of a batch.
public enum BatchOutputFormat: String, Sendable { case jsonl, csv }

/// Options of one batch run.
public struct BatchOptions: Sendable {
    public var jobs: Int
    public var detail: Screener.Detail
    public var format: BatchOutputFormat
    public var asOf: Day
    public var strict: Bool
    /// Read and validate only, without screening: the floor the benchmark compares against.
    public var parseOnly: Bool
    public var chunkSize: Int
    /// Brief results evaluated a block of families at a time (`BlockEvaluator`); false evaluates family by family,
    /// which gives the same bytes (the tests compare the two).
    public var evaluatesInBlocks = true
    public init(jobs: Int, detail: Screener.Detail = .brief, format: BatchOutputFormat = .jsonl, asOf: Day, strict: Bool = false, parseOnly: Bool = false, chunkSize: Int = 512) {
        self.jobs = max(1, jobs); self.detail = detail; self.format = format; self.asOf = asOf
        self.strict = strict; self.parseOnly = parseOnly; self.chunkSize = max(1, chunkSize)
    }
}

/// Rescreens a caseload: records are read in order on the calling thread, screened in parallel chunks,
/// and written back in input order. At most `jobs + 1` chunks are in memory at once, whatever the input size.
public final class BatchRunner: @unchecked Sendable {
    public let rules: RuleSet
    public let options: BatchOptions
    let reader: ProfileReader
    let screener: Screener
    /// Brief results are written from the evaluator's outcomes by these, with their constant pieces encoded once
    /// per run: building a `Screening` and writing it cost more than evaluating the family did.
    let briefJSON: BriefJSON?
    let briefCSV: BriefCSV?

    public init(rules: RuleSet, options: BatchOptions) {
        self.rules = rules
        self.options = options
        reader = ProfileReader(rules: rules)
        screener = Screener(rules: rules)
        let brief = options.detail == .brief && !options.parseOnly
        briefJSON = brief && options.format == .jsonl ? BriefJSON(rules: rules) : nil
        briefCSV = brief && options.format == .csv ? BriefCSV(rules: rules) : nil
    }

    /// What one chunk produced.
    struct ChunkResult {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var summary: BatchSummary
    }

    /// Runs the batch. `write` and `writeErrors` receive bytes in input order, from one thread at a time.
    public func run(_ source: inout some RecordSource, write: @escaping ([UInt8]) -> Void, writeErrors: @escaping ([UInt8]) -> Void,
                    progress: ((Int, Int) -> Void)? = nil) throws -> BatchSummary {
        let started = Date()
        if options.format == .csv { write(Array(ScreeningCSV.header.utf8)) }  // before the writer starts
        let sink = OrderedSink(write: write, writeErrors: writeErrors, programOrder: rules.programs.map(\.info.id),
                               capacity: options.jobs + 2)
        // Workers are threads of our own rather than a dispatch queue's: evaluation recurses as deep as the
        // rules nest, which needs more stack than a dispatch thread has.
        let work = ChunkQueue(capacity: options.jobs)
        let finished = DispatchGroup()
        for _ in 0..<options.jobs {
            finished.enter()
            let worker = Thread {
                var worker = Worker(self)
                while let (index, records) = work.take() { sink.submit(index, self.process(records, &worker)) }
                finished.leave()
            }
            worker.stackSize = BatchRunner.workerStackSize
            worker.start()
        }
        var index = 0
        do {
            while let records = try source.next(max: options.chunkSize) {
                if records.isEmpty { continue }
                work.put((index, records))  // waits while every worker already has a chunk queued
                index += 1
                if let progress { progress(sink.recordsDone, source.bytesRead) }
            }
        } catch {
            work.close()
            finished.wait()
            _ = sink.finish()
            throw error
        }
        work.close()
        finished.wait()
        var summary = sink.finish()
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Stack of each batch worker thread.
    public static let workerStackSize = 512 << 20

    /// What a worker keeps from chunk to chunk: its evaluators and the storage results are written through.
    struct Worker: ~Copyable {
        /// Brief results are evaluated a block of families at a time (nil: family by family, through `outcomes`).
        let block: BlockEvaluator?
        var outcomes: BriefOutcomes
        var json = JSONWriter(style: .compact)
        var jsonScratch = BriefJSON.Scratch()
        var csvScratch = BriefCSV.Scratch()
        /// Profiles read and waiting for their block to be evaluated, in input order.
        var waiting: [Profile] = []
        /// The facts of families already written, whose memory the next records are read into.
        var spareFacts: [Facts] = []

        init(_ runner: BatchRunner) {
            let brief = runner.briefJSON != nil || runner.briefCSV != nil
            block = brief && runner.options.evaluatesInBlocks ? BlockEvaluator(rules: runner.rules) : nil
            outcomes = BriefOutcomes(rules: runner.rules)
        }
    }

    func process(_ records: [BatchRecord], _ worker: inout Worker) -> ChunkResult {
        var result = ChunkResult(summary: BatchSummary(programOrder: []))
        var tally = OutcomeTally(rules: rules)
        for record in records {
            result.summary.recordsRead += 1
            let read: Result<Profile, ProfileErrors>
            switch record.payload {
            case .json(let bytes): read = reader.read(json: bytes, asOf: options.asOf, strict: options.strict, spare: &worker.spareFacts)
            case .profile(let value): read = reader.read(value, asOf: options.asOf, strict: options.strict)
            case .csvHousehold(let household):
                // Most households are written as JSON bytes for the fast reader; the rest take the tree, which reports.
                if let json = household.json() {
                    read = reader.read(json: json[...], asOf: options.asOf, strict: options.strict, spare: &worker.spareFacts)
                } else {
                    read = household.profile().flatMap { reader.read($0, asOf: options.asOf, strict: options.strict) }
                }
            case .unreadable(let caseId, let issues): read = .failure(ProfileErrors(caseId: caseId, issues: issues))
            }
            switch consume read {
            case .failure(let errors):
                result.summary.errors += 1
                appendError(record.line, errors, to: &result.errors)
            case .success(let profile):
                if options.parseOnly { result.summary.screened += 1; continue }
                if worker.block != nil {
                    // Brief results come straight from the evaluator's outcomes: no `Screening` is built.
                    worker.waiting.append(profile)
                    if worker.waiting.count == BlockEvaluator.capacity { screenWaiting(&worker, into: &result, &tally, chunk: records.count) }
                } else if briefJSON != nil || briefCSV != nil {
                    worker.outcomes.read(profile, screener)
                    appendBrief(caseId: profile.caseId, screeningDate: profile.screeningDate, state: profile.state, &worker, into: &result, &tally, chunk: records.count)
                } else {
                    let screening = screener.screen(profile, detail: options.detail)
                    result.summary.add(screening, involved: screening.involvedWithChildWelfare == true)
                    let first = result.output.isEmpty
                    switch options.format {
                    case .jsonl:
                        worker.json.reset()
                        ScreeningJSON.write(screening, to: &worker.json, brief: false)
                        result.output.append(contentsOf: worker.json.bytes)
                        result.output.append(UInt8(ascii: "\n"))
                    case .csv:
                        ScreeningCSV.append(screening, to: &result.output)
                    }
                    if first { BatchRunner.reserve(&result.output, chunk: records.count) }
                }
            }
        }
        screenWaiting(&worker, into: &result, &tally, chunk: records.count)
        if tally.screened > 0 { result.summary.add(tally, rules: rules) }
        return result
    }

    /// Evaluates the profiles waiting for a block and writes their brief results, in order.
    private func screenWaiting(_ worker: inout Worker, into result: inout ChunkResult, _ tally: inout OutcomeTally, chunk: Int) {
        guard let block = worker.block, !worker.waiting.isEmpty else { return }
        block.evaluate(worker.waiting[...])
        for f in worker.waiting.indices {
            worker.outcomes.read(block: block, family: f)
            // What the line echoes, read from the profile in place: copying whole profiles costs a reference count each.
            let caseId = worker.waiting[f].caseId, date = worker.waiting[f].screeningDate, state = worker.waiting[f].state
            appendBrief(caseId: caseId, screeningDate: date, state: state, &worker, into: &result, &tally, chunk: chunk)
        }
        block.forgetTexts()
        // The facts go back for the next records to be read into, held once so that they are reused in place.
        while var profile = worker.waiting.popLast() { worker.spareFacts.append(profile.facts.moveOut()) }
    }

    /// Writes the brief result of the family `worker.outcomes` holds.
    private func appendBrief(caseId: String, screeningDate: Day, state: String, _ worker: inout Worker, into result: inout ChunkResult, _ tally: inout OutcomeTally, chunk: Int) {
        tally.add(worker.outcomes)
        let first = result.output.isEmpty
        if let briefJSON {
            briefJSON.append(worker.outcomes, caseId: caseId, screeningDate: screeningDate, scratch: &worker.jsonScratch, to: &result.output)
        } else if let briefCSV {
            briefCSV.append(worker.outcomes, caseId: caseId, screeningDate: screeningDate, state: state,
                            scratch: &worker.csvScratch, to: &result.output)
        }
        if first { BatchRunner.reserve(&result.output, chunk: chunk) }
    }

    /// Room for a chunk's results at the first result's length and a quarter more, once that result is written:
    /// growing the output as it fills would copy it again and again.
    private static func reserve(_ output: inout [UInt8], chunk: Int) {
        output.reserveCapacity(chunk * output.count * 5 / 4)
    }

    /// One JSON line per bad record: where it was, its case id when readable, the first problem, and all of them.
    func appendError(_ line: Int, _ errors: ProfileErrors, to out: inout [UInt8]) {
        var w = JSONWriter(style: .compact)
        w.beginObject()
        w.key(static: "line"); w.number(line)
        if let id = errors.caseId { w.member(static: "case_id", id) } else { w.key(static: "case_id"); w.null() }
        let first = errors.issues.first
        w.member(static: "path", first?.path ?? "")
        w.member(static: "message", first?.message ?? "unreadable record")
        if errors.issues.count > 1 {
            w.key(static: "issues")
            w.beginArray()
            for issue in errors.issues {
                w.beginObject()
                w.member(static: "path", issue.path)
                w.member(static: "message", issue.message)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        out.append(contentsOf: w.bytes)
        out.append(UInt8(ascii: "\n"))
    }
}

/// Receives chunk results in any order and writes them in input order, on a thread of its own: a worker hands its
/// result over and goes back to screening while the output is written (a disk that is slower than screening would
/// otherwise stall every worker in turn). At most `capacity` results wait to be written, so memory stays bounded.
final class OrderedSink: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Int: BatchRunner.ChunkResult] = [:]
    private var next = 0
    /// Results in input order, waiting for the writer.
    private var ready: [BatchRunner.ChunkResult] = []
    private let capacity: Int
    private var closed = false
    private let written = DispatchGroup()
    private let write: ([UInt8]) -> Void
    private let writeErrors: ([UInt8]) -> Void
    private var totals: BatchSummary
    private var done = 0

    init(write: @escaping ([UInt8]) -> Void, writeErrors: @escaping ([UInt8]) -> Void, programOrder: [String], capacity: Int) {
        self.write = write
        self.writeErrors = writeErrors
        self.capacity = max(1, capacity)
        totals = BatchSummary(programOrder: programOrder)
        written.enter()
        let writer = Thread { [self] in
            while let batch = takeReady() {
                for r in batch {
                    if !r.output.isEmpty { self.write(r.output) }
                    if !r.errors.isEmpty { self.writeErrors(r.errors) }
                }
                condition.lock()
                for r in batch { totals.merge(r.summary); done += r.summary.recordsRead }
                condition.unlock()
            }
            written.leave()
        }
        writer.start()
    }

    /// Records written so far.
    var recordsDone: Int { condition.lock(); defer { condition.unlock() }; return done }

    func submit(_ index: Int, _ result: BatchRunner.ChunkResult) {
        condition.lock()
        defer { condition.unlock() }
        // Waits while the writer is `capacity` results behind.
        while ready.count >= capacity { condition.wait() }
        pending[index] = result
        while let r = pending.removeValue(forKey: next) {
            ready.append(r)
            next += 1
        }
        condition.broadcast()
    }

    /// Everything ready to write, in order; nil once closed and written.
    private func takeReady() -> [BatchRunner.ChunkResult]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !closed { condition.wait() }
        if ready.isEmpty { return nil }
        let batch = ready
        ready = []
        condition.broadcast()
        return batch
    }

    /// Waits until every submitted result is written; returns what they add up to.
    func finish() -> BatchSummary {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        written.wait()
        condition.lock()
        defer { condition.unlock() }
        return totals
    }
}

/// A bounded queue of input chunks between the reading thread and the workers: memory stays bounded
/// because reading waits while the queue is full.
final class ChunkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(Int, [BatchRecord])] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func put(_ item: (Int, [BatchRecord])) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or nil once the queue is closed and empty.
    func take() -> (Int, [BatchRecord])? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
