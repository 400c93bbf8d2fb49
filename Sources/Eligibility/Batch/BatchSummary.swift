import Foundation

/// Counts over a batch run: what came in, what was screened, what failed, and what the families qualify for.
public struct BatchSummary: Sendable {
    /// Per-program counts.
    public struct ProgramCounts: Sendable {
        public var eligible = 0, needsInfo = 0, ineligible = 0, enrolled = 0, unclaimed = 0

        /// Counts one family's result for the program.
        mutating func count(_ status: ProgramStatus, enrolled isEnrolled: Bool, unclaimed isUnclaimed: Bool) {
            switch status {
            case .eligible: eligible += 1
            case .needsInfo: needsInfo += 1
            case .ineligible: ineligible += 1
            }
            if isEnrolled { enrolled += 1 }
            if isUnclaimed { unclaimed += 1 }
        }

        static func += (a: inout ProgramCounts, b: ProgramCounts) {
            a.eligible += b.eligible; a.needsInfo += b.needsInfo; a.ineligible += b.ineligible
            a.enrolled += b.enrolled; a.unclaimed += b.unclaimed
        }
    }
    public var recordsRead = 0
    public var screened = 0
    public var errors = 0
    /// Program ids in rule declaration order, and their counts.
    public var programOrder: [String]
    public var programs: [String: ProgramCounts] = [:]
    public var tiers: [String: Int] = [:]
    public var involvedFamilies = 0
    public var involvedWithUnclaimed = 0
    public var seconds: Double = 0

    public init(programOrder: [String]) { self.programOrder = programOrder }

    mutating func add(_ s: Screening, involved: Bool) {
        screened += 1
        for p in s.programs { programs[p.id, default: ProgramCounts()].count(p.status, enrolled: p.enrolled, unclaimed: p.unclaimed) }
        if let t = s.tier { tiers[t.tier, default: 0] += 1 }
        if involved {
            involvedFamilies += 1
            if !s.unclaimedBenefits.isEmpty { involvedWithUnclaimed += 1 }
        }
    }

    /// Adds a chunk's counts of brief screenings, keyed by id as `add(_:involved:)` keys them.
    mutating func add(_ t: OutcomeTally, rules: RuleSet) {
        screened += t.screened
        for (p, c) in t.programs.enumerated() where c.eligible + c.needsInfo + c.ineligible > 0 {
            programs[rules.programs[p].info.id, default: ProgramCounts()] += c
        }
        for (i, n) in t.tiers.enumerated() where n > 0 { tiers[rules.tiers[i].info.id, default: 0] += n }
        involvedFamilies += t.involvedFamilies
        involvedWithUnclaimed += t.involvedWithUnclaimed
    }

    mutating func merge(_ o: BatchSummary) {
        recordsRead += o.recordsRead
        screened += o.screened
        errors += o.errors
        for (id, c) in o.programs { programs[id, default: ProgramCounts()] += c }
        for (t, n) in o.tiers { tiers[t, default: 0] += n }
        involvedFamilies += o.involvedFamilies
        involvedWithUnclaimed += o.involvedWithUnclaimed
    }

    /// The share of families involved with child welfare that have at least one unclaimed benefit.
    public var unclaimedShare: Double? {
        involvedFamilies == 0 ? nil : Double(involvedWithUnclaimed) / Double(involvedFamilies)
    }

    public var throughput: Double { seconds > 0 ? Double(recordsRead) / seconds : 0 }

    /// The human summary printed on standard error at the end of a run.
    public func text(tierOrder: [String]) -> String {
        var out = "records read: \(recordsRead), screened: \(screened), errors: \(errors)"
        out += recordsRead == screened + errors ? " (all accounted for)\n" : " (MISMATCH: \(recordsRead - screened - errors) unaccounted)\n"
        if let share = unclaimedShare {
            out += "families involved with child welfare: \(involvedFamilies); with at least one unclaimed benefit: \(involvedWithUnclaimed) (\(percent(share)))\n"
        } else {
            out += "families involved with child welfare: 0\n"
        }
        let tierText = tierOrder.map { "\($0) \(tiers[$0, default: 0])" }.joined(separator: ", ")
        out += "prevention tiers: \(tierText)\n"
        let width = max(8, programOrder.map(\.count).max() ?? 8)
        out += "program".padding(width) + "  eligible needs_info ineligible  enrolled unclaimed\n"
        for id in programOrder {
            guard let c = programs[id] else { continue }
            out += id.padding(width) + "  " + [c.eligible, c.needsInfo, c.ineligible, c.enrolled, c.unclaimed]
                .map { String($0).leftPadding(9) }.joined(separator: " ") + "\n"
        }
        out += String(format: "time: %.2f s, %.0f records/s\n", seconds, throughput)
        return out
    }

    /// The same figures as JSON for `--summary FILE`.
    public func json(tierOrder: [String]) -> String {
        var w = JSONWriter(style: .pretty)
        w.beginObject()
        w.key(static: "records_read"); w.number(recordsRead)
        w.key(static: "screened"); w.number(screened)
        w.key(static: "errors"); w.number(errors)
        w.key(static: "child_welfare_involved"); w.number(involvedFamilies)
        w.key(static: "child_welfare_involved_with_unclaimed"); w.number(involvedWithUnclaimed)
        w.key(static: "child_welfare_unclaimed_share")
        if let share = unclaimedShare { w.number(String(format: "%.4f", share)) } else { w.null() }
        w.key(static: "tiers")
        w.beginObject()
        for t in tierOrder { w.key(t); w.number(tiers[t, default: 0]) }
        w.endObject()
        w.key(static: "programs")
        w.beginObject()
        for id in programOrder {
            guard let c = programs[id] else { continue }
            w.key(id)
            w.beginObject()
            w.key(static: "eligible"); w.number(c.eligible)
            w.key(static: "needs_info"); w.number(c.needsInfo)
            w.key(static: "ineligible"); w.number(c.ineligible)
            w.key(static: "enrolled"); w.number(c.enrolled)
            w.key(static: "unclaimed"); w.number(c.unclaimed)
            w.endObject()
        }
        w.endObject()
        w.key(static: "seconds"); w.number(String(format: "%.3f", seconds))
        w.key(static: "records_per_second"); w.number(String(format: "%.0f", throughput))
        w.endObject()
        return w.text + "\n"
    }

    func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}

extension String {
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// A chunk's counts of brief screenings by program and tier index, added to its `BatchSummary` at its end.
struct OutcomeTally {
    // Counting a family is a few increments, with no dictionary lookup by id.
    var screened = 0
    /// By program index; a program counts as listed for a family when it applies (one of its statuses is counted).
    var programs: [BatchSummary.ProgramCounts]
    var tiers: [Int]
    var involvedFamilies = 0
    var involvedWithUnclaimed = 0

    init(rules: RuleSet) {
        programs = Array(repeating: BatchSummary.ProgramCounts(), count: rules.programs.count)
        tiers = Array(repeating: 0, count: rules.tiers.count)
    }

    /// Counts one family, as `BatchSummary.add(_:involved:)` counts its screening.
    mutating func add(_ o: borrowing BriefOutcomes) {
        screened += 1
        programs.withUnsafeMutableBufferPointer { counts in
            for p in o.programs { counts[Int(p.index)].count(p.status, enrolled: p.enrolled, unclaimed: p.unclaimed) }
        }
        if let t = o.tier { tiers[t] += 1 }
        if o.involved {
            involvedFamilies += 1
            if o.anyUnclaimed { involvedWithUnclaimed += 1 }
        }
    }
}
