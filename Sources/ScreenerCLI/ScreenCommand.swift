import Eligibility
import Foundation

/// `screener screen [FILE|-] [--format text|json]`: screens one family profile.
enum ScreenCommand {
    static let usage = "usage: screener screen [FILE|-] [--format text|json] [--as-of DATE] [--rules DIR] [--strict]"
    /// One profile is small; anything larger is a caseload or a mistake.
    static let maxBytes = 10 * 1024 * 1024

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let args = try Arguments(argv, options: ["rules", "as-of", "format"], flags: ["strict"])
        guard args.positionals.count <= 1 else { throw Arguments.UsageError(message: "screen takes one profile file (or - for standard input)") }
        let format = args.values["format"] ?? "text"
        guard format == "text" || format == "json" else { throw Arguments.UsageError(message: "--format must be text or json, got '\(format)'") }
        let asOf = try args.asOf()
        let source = args.positionals.first ?? "-"
        let bytes: [UInt8]
        if source == "-" {
            bytes = console.readInput()
        } else {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: source) else {
                console.err("error: cannot read '\(source)': no such file\n")
                return 2
            }
            if let size = attributes[.size] as? Int, size > maxBytes {
                console.err("error: \(source): \(size) bytes is too large for one profile (at most \(maxBytes)); use 'screener batch' for caseloads\n")
                return 2
            }
            guard let data = FileManager.default.contents(atPath: source) else {
                console.err("error: cannot read '\(source)'\n")
                return 2
            }
            bytes = [UInt8](data)
        }
        let name = source == "-" ? "<stdin>" : source
        if bytes.count > maxBytes {
            console.err("error: \(name): input is too large for one profile (at most \(maxBytes) bytes); use 'screener batch' for caseloads\n")
            return 2
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            console.err("error: \(name): empty input: expected a JSON family profile\n")
            return 2
        }
        guard let rules = loadRules(args, asOf: asOf, console: console) else { return 2 }
        let profile: Profile
        switch ProfileReader(rules: rules).read(json: bytes, asOf: asOf, strict: args.flags.contains("strict")) {
        case .failure(let errors):
            for issue in errors.issues { console.err("error: \(name): \(issue)\n") }
            return 2
        case .success(let p): profile = p
        }
        let screening = Screener(rules: rules).screen(profile)
        if format == "json" {
            console.out(ScreeningJSON.string(screening) + "\n")
        } else {
            console.out(ScreeningText.render(screening))
        }
        return 0
    }
}
