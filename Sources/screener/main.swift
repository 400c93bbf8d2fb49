import ScreenerCLI

// The executable only forwards its arguments; every command lives in ScreenerCLI.
exit(ScreenerCommand.run(Array(CommandLine.arguments.dropFirst())))
