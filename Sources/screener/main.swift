import Foundation
import ScreenerCLI

// The executable only forwards its arguments; every command lives in ScreenerCLI. The work runs on a
// thread with a large stack because checking and evaluating rules recurse as deep as the rules nest
// (bounded by the language's limits, but beyond the main thread's default stack).
nonisolated(unsafe) var status: Int32 = 0
let done = DispatchSemaphore(value: 0)
let worker = Thread {
    status = ScreenerCommand.run(Array(CommandLine.arguments.dropFirst()))
    done.signal()
}
worker.stackSize = ScreenerCommand.stackSize
worker.start()
done.wait()
exit(status)
