import Eligibility
import Foundation

/// Command-line arguments of one subcommand: options with values, flags and positionals, checked against what the command accepts.
struct Arguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    /// A usage mistake: reported on one line with the command's usage, exit status 2.
    struct UsageError: Error { let message: String }

    init(_ args: [String], options: Set<String>, flags allowedFlags: Set<String>, shortNames: [String: String] = [:]) throws {
        var i = 0
        while i < args.count {
            var arg = args[i]
            if let long = shortNames[arg] { arg = long }
            if arg == "--" { positionals += args[(i + 1)...]; break }
            if arg.hasPrefix("--") {
                var name = String(arg.dropFirst(2))
                var inline: String?
                if let eq = name.firstIndex(of: "=") { inline = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
                if options.contains(name) {
                    if let inline { values[name] = inline }
                    else {
                        guard i + 1 < args.count else { throw UsageError(message: "option --\(name) needs a value") }
                        values[name] = args[i + 1]
                        i += 1
                    }
                } else if allowedFlags.contains(name) {
                    if inline != nil { throw UsageError(message: "option --\(name) takes no value") }
                    flags.insert(name)
                } else {
                    let known = options.map { "--\($0)" } + allowedFlags.map { "--\($0)" }
                    var message = "unknown option '--\(name)'"
                    if let s = Suggestions.closest(to: "--\(name)", in: known) { message += "; did you mean '\(s)'?" }
                    throw UsageError(message: message)
                }
            } else if arg.hasPrefix("-") && arg != "-" {
                throw UsageError(message: "unknown option '\(arg)'")
            } else {
                positionals.append(arg)
            }
            i += 1
        }
    }

    /// `--as-of DATE`, else today (UTC).
    func asOf() throws -> Day {
        guard let text = values["as-of"] else { return Day.today() }
        guard let d = Day(iso: text) else { throw UsageError(message: "--as-of expects a date as YYYY-MM-DD, got '\(text)'") }
        return d
    }

    /// `--rules DIR`, else `$SCREENER_RULES`, else `rules` in the current directory.
    var rulesDirectory: String {
        values["rules"] ?? ProcessInfo.processInfo.environment["SCREENER_RULES"] ?? "rules"
    }
}

extension Day {
    /// Today's date in UTC.
    static func today() -> Day {
        Day(ordinal: Int32((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
