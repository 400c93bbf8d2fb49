// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Screener",
    products: [
        .library(name: "Eligibility", targets: ["Eligibility"]),
        .executable(name: "screener", targets: ["screener"]),
    ],
    dependencies: [],
    targets: [
        // The rule language and the screening domain: no I/O beyond reading files.
        .target(name: "Eligibility", swiftSettings: [
            // The evaluator and readers mutate private state of one object at a time; run-time exclusivity
            // checks cost about a tenth of batch time, so release builds rely on the compile-time checks only.
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
        ]),
        // Command-line layer: one file per subcommand, each calling the library.
        .target(name: "ScreenerCLI", dependencies: ["Eligibility"]),
        .executableTarget(name: "screener", dependencies: ["ScreenerCLI"]),
        // Benchmarks: a deterministic caseload generator and in-process timings (see BENCHMARKS.md).
        .executableTarget(name: "caseload", path: "Benchmarks/Sources/caseload"),
        .executableTarget(name: "screener-bench", dependencies: ["Eligibility"], path: "Benchmarks/Sources/screener-bench"),
        // Golden files and a seeded random generator, shared by both test targets.
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "EligibilityTests", dependencies: ["Eligibility", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ScreenerCLITests", dependencies: ["ScreenerCLI", "Eligibility", "TestSupport"], exclude: ["Golden"]),
    ]
)
