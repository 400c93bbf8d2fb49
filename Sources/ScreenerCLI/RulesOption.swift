import Eligibility

/// Loads the rules named by `--rules` for a command, printing diagnostics; nil (exit 2) when they do not load.
/// Parameters without a value on a date are reported per screening (where used), not as load errors: only `check` asks that of every parameter.
func loadRules(_ args: Arguments, asOf: Day, console: Console, showWarnings: Bool = false) -> RuleSet? {
    let result: RuleLoader.Result
    do { result = try RuleLoader.load(directory: args.rulesDirectory, asOf: nil) } catch {
        console.err("error: \(error)\n")
        return nil
    }
    if result.ruleSet == nil {
        console.err(result.renderedDiagnostics())
        console.err("error: the rules in '\(args.rulesDirectory)' have \(result.diagnostics.errorCount) error(s); run 'screener check' for details\n")
        return nil
    }
    if showWarnings, !result.diagnostics.isEmpty { console.err(result.renderedDiagnostics()) }
    return result.ruleSet
}
