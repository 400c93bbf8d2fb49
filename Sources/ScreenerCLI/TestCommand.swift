import Eligibility

/// `screener test [--rules DIR] [--filter TEXT]`: runs the test cases beside the rules; exit 1 when any fails.
enum TestCommand {
    static let usage = "usage: screener test [--rules DIR] [--as-of DATE] [--filter TEXT] [--coverage]"

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let args = try Arguments(argv, options: ["rules", "as-of", "filter"], flags: ["coverage"])
        guard args.positionals.isEmpty else { throw Arguments.UsageError(message: "test takes no file arguments; use --rules DIR") }
        let asOf = try args.asOf()
        guard let rules = loadRules(args, asOf: asOf, console: console) else { return 2 }
        let report = RuleTestRunner(rules: rules).run(asOf: asOf, filter: args.values["filter"])
        if !report.failures.isEmpty { console.err(DiagnosticRenderer(files: rules.files).render(report.failures)) }
        let percent = report.requirementCount == 0 ? 100 : report.requirementsExercised * 100 / report.requirementCount
        if args.flags.contains("coverage"), !report.untested.isEmpty {
            console.out("not yet seen both ways:\n" + report.untested.map { "  \($0)\n" }.joined())
        }
        console.out("requirements seen both met and not met: \(report.requirementsExercised) of \(report.requirementCount) (\(percent)%)\n")
        console.out("rules: \(report.passed) passed, \(report.failedTests) failed\n")
        if report.total == 0 { console.err("warning: no test matched\n") }
        return report.failedTests > 0 ? 1 : 0
    }
}
