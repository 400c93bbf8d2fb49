import Eligibility
import Foundation
@_exported import func Foundation.exit

/// The `screener` command line: picks a subcommand and returns the process exit status.
public enum ScreenerCommand {
    public static let usage = """
    usage: screener <command> [options]

    commands:
      screen     screen one family profile (file or stdin)
      interview  ask only the questions that can change a result
      batch      rescreen a caseload (JSON Lines or CSV)
      check      load and check the rule files
      test       run the test cases written beside the rules

    every command takes --rules DIR (default: rules/) and --as-of DATE (default: today)
    exit status: 0 success, 1 completed with failed records or tests, 2 could not run
    """

    /// Stack size for threads that check or evaluate rules: the deepest rules the checker accepts stay well inside it.
    public static let stackSize = 512 << 20

    public static func run(_ arguments: [String], console: Console = .standard()) -> Int32 {
        guard let name = arguments.first else {
            console.err(usage + "\n")
            return 2
        }
        let rest = Array(arguments.dropFirst())
        let commands: [String: (usage: String, run: ([String], Console) throws -> Int32)] = [
            "check": (CheckCommand.usage, CheckCommand.run),
            "test": (TestCommand.usage, TestCommand.run),
            "screen": (ScreenCommand.usage, ScreenCommand.run),
            "batch": (BatchCommand.usage, BatchCommand.run),
            "interview": (InterviewCommand.usage, InterviewCommand.run),
        ]
        switch name {
        case "-h", "--help", "help":
            console.out(usage + "\n")
            return 0
        default:
            guard let command = commands[name] else {
                var message = "error: unknown command '\(name)'"
                if let s = Suggestions.closest(to: name, in: commands.keys) { message += "; did you mean '\(s)'?" }
                console.err(message + "\n" + usage + "\n")
                return 2
            }
            if rest.contains("--help") || rest.contains("-h") {
                console.out(command.usage + "\n")
                return 0
            }
            do {
                return try command.run(rest, console)
            } catch let e as Arguments.UsageError {
                console.err("error: \(e.message)\n\(command.usage)\n")
                return 2
            } catch {
                console.err("error: \(error)\n")
                return 2
            }
        }
    }
}
