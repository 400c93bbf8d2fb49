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

    every command takes --rules DIR (default: rules/) and --as-of DATE
    """

    public static func run(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return 2
        }
        switch name {
        case "-h", "--help", "help":
            print(usage)
            return 0
        default:
            FileHandle.standardError.write(Data("error: unknown command '\(name)'\n\(usage)\n".utf8))
            return 2
        }
    }
}
