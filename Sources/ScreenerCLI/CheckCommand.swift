import Eligibility

/// `screener check [--rules DIR] [--as-of DATE]`: loads and checks the rules; silent when clean.
enum CheckCommand {
    static let usage = "usage: screener check [--rules DIR] [--as-of DATE] [--no-warnings]"

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let args = try Arguments(argv, options: ["rules", "as-of"], flags: ["no-warnings"])
        guard args.positionals.isEmpty else { throw Arguments.UsageError(message: "check takes no file arguments; use --rules DIR") }
        let result: RuleLoader.Result
        do { result = try RuleLoader.load(directory: args.rulesDirectory, asOf: try args.asOf()) } catch let e as LoadError {
            console.err("error: \(e)\n")
            return 2
        }
        let shown = args.flags.contains("no-warnings") ? result.diagnostics.filter { $0.severity == .error } : result.diagnostics
        if !shown.isEmpty {
            console.err(DiagnosticRenderer(files: result.files).render(shown))
            let errors = result.diagnostics.errorCount, warnings = result.diagnostics.warningCount
            let counts = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") in \(result.files.count) rule files"
            console.err(args.flags.contains("no-warnings") && warnings > 0 ? "\(counts) (warnings not shown)\n" : counts + "\n")
        }
        return result.ruleSet == nil ? 2 : 0
    }
}
