import Foundation

/// Loads a rules directory through every pass: read, lex and parse, check, compile.
public enum RuleLoader {
    /// What loading produced: the rule set when there were no errors, and every diagnostic either way.
    public struct Result: Sendable {
        public let ruleSet: RuleSet?
        public let files: [SourceFile]
        public let diagnostics: [Diagnostic]
        public let checked: CheckedRules?
        /// Renders the diagnostics, sorted by location, in the swiftc style.
        public func renderedDiagnostics() -> String { DiagnosticRenderer(files: files).render(diagnostics) }
    }

    /// Every `*.rules` file under `directory`, in a stable (path) order.
    public static func ruleFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw LoadError("rules directory '\(directory)' does not exist")
        }
        if !isDirectory.boolValue { return [directory] }
        guard let walker = FileManager.default.enumerator(atPath: directory) else { throw LoadError("cannot read rules directory '\(directory)'") }
        var paths: [String] = []
        while let item = walker.nextObject() as? String {
            if item.hasSuffix(".rules") { paths.append(item) }
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return paths.sorted().map { "\(base)/\($0)" }
    }

    /// Loads and compiles the rules in a directory (or one file). `asOf` is the date parameters must be in force on.
    public static func load(directory: String, asOf: Day?) throws -> Result {
        let paths = try ruleFiles(in: directory)
        if paths.isEmpty { throw LoadError("no .rules files in '\(directory)'") }
        let files = try paths.map { path -> SourceFile in
            guard let data = FileManager.default.contents(atPath: path) else { throw LoadError("cannot read '\(path)'") }
            return SourceFile(path: path, bytes: [UInt8](data))
        }
        return load(files: files, asOf: asOf, base: directory)
    }

    /// Loads rule files already in memory (tests, embedding programs).
    public static func load(files: [SourceFile], asOf: Day?, base: String? = nil) -> Result {
        var diagnostics: [Diagnostic] = []
        var syntax: [RuleFileSyntax] = []
        for (i, file) in files.enumerated() {
            let parsed = Parser.parse(file, file: i)
            syntax.append(parsed.syntax)
            diagnostics += parsed.diagnostics
        }
        let (checked, checkDiagnostics) = Checker.check(syntax, asOf: asOf)
        diagnostics += checkDiagnostics
        guard !diagnostics.hasErrors else {
            return Result(ruleSet: nil, files: files, diagnostics: diagnostics.sortedByLocation(), checked: checked)
        }
        let (ruleSet, compileDiagnostics) = Compiler.compile(checked, files: files, fingerprint: fingerprint(files, base: base))
        diagnostics += compileDiagnostics
        return Result(ruleSet: ruleSet, files: files, diagnostics: diagnostics.sortedByLocation(), checked: checked)
    }

    /// sha256 over each file's path (relative to the rules directory) and bytes, in order, so a renamed or edited file changes it
    /// while the same rules checked out anywhere give the same fingerprint.
    public static func fingerprint(_ files: [SourceFile], base: String? = nil) -> String {
        var h = SHA256()
        let prefix = base.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        for f in files {
            var name = f.path
            if let prefix, name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
            h.update(Array("\(name)\u{0}\(f.text.count)\u{0}".utf8))
            h.update(f.text)
        }
        return "sha256:" + h.finalize().map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
    }
}

/// A rules directory or file that could not be read at all.
public struct LoadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
