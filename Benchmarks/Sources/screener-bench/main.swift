// screener-bench: in-process timings of rule loading and of evaluation, reported as medians.
//
//   screener-bench load [--rules DIR] [--runs N]
//   screener-bench evaluate CASELOAD.jsonl [--rules DIR] [--rounds N]
//
// `load` times reading, parsing, checking and compiling the rules. `evaluate` times deciding every
// program, referral and tier for each profile (no text rendered), on one thread, with one evaluator reset
// per family and the decisions' storage reused, as batch workers do.
import Eligibility
import Foundation

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func median(_ xs: [UInt64]) -> UInt64 { let s = xs.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
func percentile(_ xs: [UInt64], _ p: Double) -> UInt64 { let s = xs.sorted(); return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))] }

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, _ fallback: String) -> String {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
    defer { args.removeSubrange(i...(i + 1)) }
    return args[i + 1]
}
let rulesDir = option("--rules", "rules")
let asOf = Day(iso: "2026-11-01")!

switch args.first {
case "load":
    let runs = Int(option("--runs", "30")) ?? 30
    var times: [UInt64] = []
    var files = 0
    for _ in 0..<runs {
        let t0 = now()
        let result = try RuleLoader.load(directory: rulesDir, asOf: asOf)
        times.append(now() - t0)
        guard result.ruleSet != nil else { print(result.renderedDiagnostics()); exit(2) }
        files = result.files.count
    }
    print("load \(files) rule files: median \(Double(median(times)) / 1e6) ms, p90 \(Double(percentile(times, 0.9)) / 1e6) ms over \(runs) runs")
case "evaluate":
    guard args.count >= 2 else { print("usage: screener-bench evaluate CASELOAD.jsonl"); exit(2) }
    let rounds = Int(option("--rounds", "3")) ?? 3
    // --decisions-only skips the full-text timing (for instruction counts of evaluation alone).
    let decisionsOnly = args.contains("--decisions-only")
    args.removeAll { $0 == "--decisions-only" }
    guard let rules = try RuleLoader.load(directory: rulesDir, asOf: asOf).ruleSet else { print("rules do not load"); exit(2) }
    let reader = ProfileReader(rules: rules)
    let screener = Screener(rules: rules)
    var profiles: [Profile] = []
    var lines = LineReader(fileHandle: FileHandle(forReadingAtPath: args[1])!)
    while let line = try lines.next() {
        if case .success(let p) = reader.read(json: line.bytes, asOf: asOf) { profiles.append(p) }
    }
    var times: [UInt64] = []
    times.reserveCapacity(profiles.count * rounds)
    var sink = 0
    guard !profiles.isEmpty else { print("no valid profiles in \(args[1])"); exit(2) }
    // One evaluator, reset for each family, as a batch worker does; the reset is timed with the evaluation.
    let evaluator = Evaluator(rules: rules, facts: profiles[0].facts)
    var d = Decisions()
    for _ in 0..<rounds {
        for p in profiles {
            let t0 = now()
            evaluator.reset(facts: p.facts)
            screener.decide(evaluator, into: &d)
            times.append(now() - t0)
            sink &+= d.referrals.count
        }
    }
    // The same families evaluated together, a block at a time, as brief batch workers do. The block's decisions are
    // checked against the one-at-a-time ones first: a speed of wrong answers is not reported.
    let block = BlockEvaluator(rules: rules)
    let facts = profiles.map(\.facts)
    var single = Decisions(), together = Decisions()
    var disagreements = 0
    func eachBlock(_ body: (Range<Int>) -> Void) {
        var start = 0
        while start < profiles.count {
            let end = min(start + BlockEvaluator.capacity, profiles.count)
            block.evaluate(facts[start..<end])
            body(start..<end)
            start = end
        }
    }
    eachBlock { range in
        for f in range {
            evaluator.reset(facts: profiles[f].facts)
            screener.decide(evaluator, into: &single)
            screener.decide(block: block, family: f - range.lowerBound, into: &together)
            let same = single.statuses == together.statuses && single.unclaimed == together.unclaimed && single.tier == together.tier
                && single.referrals.map { "\($0)" } == together.referrals.map { "\($0)" }
            if !same { disagreements += 1 }
        }
    }
    guard disagreements == 0 else { print("evaluating in blocks disagrees for \(disagreements) of \(profiles.count) profiles"); exit(1) }
    var blockTimes: [UInt64] = []
    for _ in 0..<rounds {
        let t0 = now()
        eachBlock { range in
            for f in range { screener.decide(block: block, family: f - range.lowerBound, into: &together); sink &+= together.referrals.count }
        }
        blockTimes.append((now() - t0) / UInt64(profiles.count))
    }
    var full: [UInt64] = []
    for p in profiles.prefix(decisionsOnly ? 0 : 20_000) {
        let t0 = now()
        let s = screener.screen(p, detail: .full)
        full.append(now() - t0)
        sink &+= s.programs.count
    }
    // Blocks are timed a round at a time, so they are compared with the mean of the families timed one by one.
    let mean = Double(times.reduce(0, +)) / Double(max(1, times.count))
    print("evaluate \(profiles.count) profiles x \(rounds): median \(Double(median(times)) / 1000) µs, p90 \(Double(percentile(times, 0.9)) / 1000) µs per profile (decisions, no text)")
    print("evaluate in blocks of \(BlockEvaluator.capacity), \(rounds) rounds: median \(Double(median(blockTimes)) / 1000) µs per profile, "
          + String(format: "%.2fx", mean / Double(max(1, median(blockTimes)))) + " the speed one at a time, whose mean is \(mean.rounded() / 1000) µs (decisions agree for all \(profiles.count))")
    print("screen with full text: median \(Double(median(full)) / 1000) µs per profile (\(sink % 2))")
default:
    print("usage: screener-bench load|evaluate ...")
    exit(2)
}
