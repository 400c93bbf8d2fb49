import Eligibility
import Foundation

/// `screener interview`: asks one question at a time, only those whose answers can change a result, then prints the
/// same report as `screen`. Answers come from a terminal or a pipe (one per line; end of input is `done`), or, with
/// `--answers-from`, from a full profile, which is how the number of questions is measured.
enum InterviewCommand {
    static let usage = """
    usage: screener interview [--state XX] [--from PROFILE] [--case-id ID] [--save FILE] [--format text|json]
                              [--answers-from PROFILE] [--as-of DATE] [--rules DIR]
      answer each question on one line; also: skip (leave it unknown), back (change the last answer),
      why (what the question could settle), done (stop and show the result)
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let args = try Arguments(argv, options: ["rules", "as-of", "format", "state", "from", "case-id", "save", "answers-from"], flags: [])
        guard args.positionals.isEmpty else { throw Arguments.UsageError(message: "interview takes no file; use --from PROFILE to start from one") }
        let format = args.values["format"] ?? "text"
        guard format == "text" || format == "json" else { throw Arguments.UsageError(message: "--format must be text or json, got '\(format)'") }

        func readProfile(_ option: String) -> JSONValue?? {
            guard let path = args.values[option] else { return .some(nil) }
            guard let data = FileManager.default.contents(atPath: path) else {
                console.err("error: cannot read '\(path)' (--\(option))\n")
                return nil
            }
            do { return .some(try JSONParser.parse([UInt8](data))) } catch {
                console.err("error: \(path): invalid JSON: \(error)\n")
                return nil
            }
        }
        guard let start = readProfile("from"), let answers = readProfile("answers-from") else { return 2 }
        // The date: --as-of, else the starting profile's, else (measuring) the answering profile's, else today.
        var asOf = try args.asOf()
        if args.values["as-of"] == nil {
            for p in [start, answers] {
                if let text = p?["screening_date"]?.stringValue, let d = Day(iso: text) { asOf = d; break }
            }
        }
        guard let rules = loadRules(args, asOf: asOf, console: console) else { return 2 }
        if let answers, case .failure(let errors) = ProfileReader(rules: rules).read(answers, asOf: asOf) {
            for issue in errors.issues { console.err("error: \(args.values["answers-from"]!): \(issue)\n") }
            return 2
        }
        var interview: Interview
        switch Interview.start(from: start, state: args.values["state"], caseId: args.values["case-id"], rules: rules, asOf: asOf) {
        case .failure(let errors):
            for issue in errors.issues {
                if issue.path == "state", args.values["state"] != nil { console.err("error: --state: \(issue.message)\n") }
                else { console.err("error: \(args.values["from"] ?? "--from"): \(issue)\n") }
            }
            return 2
        case .success(let i): interview = i
        }

        // With JSON output, standard output carries only the result; the conversation goes to standard error.
        let say = format == "json" ? console.err : console.out
        let echo = answers != nil || !console.inIsTerminal
        if answers == nil {
            say("Answer each question on one line. Also: skip, back, why, done.\n")
        }
        var ending = ""
        var step = interview.step(rules: rules, asOf: asOf)
        session: while let q = step.question {
            say("\n" + render(q, number: interview.answerCount + 1))
            while true {
                say("> ")
                let line: String
                if let answers {
                    line = Interview.reply(to: q, from: answers)
                } else if let typed = console.readLine() {
                    line = typed
                } else {
                    say("\n")
                    ending = "End of input: stopped."
                    break session
                }
                if echo { say(line + "\n") }
                switch interview.answer(line, to: q, rules: rules, asOf: asOf) {
                case .failure(let e):
                    say("  ! \(e.message)\n")
                    if answers != nil {
                        // The answering profile was checked, so this is rare (more people than the interview takes);
                        // leave the fact unknown rather than loop, or stop if it cannot be skipped.
                        if case .failure = interview.answer("skip", to: q, rules: rules, asOf: asOf) {
                            ending = "Stopped: the profile's answer does not fit."
                            break session
                        }
                        break
                    }
                    if line.trimmingCharacters(in: .whitespaces).lowercased() == "back" { continue }
                    say(render(q, number: interview.answerCount + 1))
                    continue
                case .success(.why(let reasons)):
                    say("  This question could settle:\n")
                    for r in reasons { say("    - \(r)\n") }
                    continue
                case .success(.done):
                    ending = "Stopped at 'done'."
                    break session
                case .success(.answered), .success(.skipped), .success(.wentBack):
                    break
                }
                break
            }
            step = interview.step(rules: rules, asOf: asOf)
        }

        if let problems = step.problems {
            for issue in problems.issues { console.err("error: the profile built cannot be read: \(issue)\n") }
            save(interview, args, console)
            return 2
        }
        guard let screening = step.screening else {
            say("\(ending.isEmpty ? "" : ending + " ")Nothing to screen: the state and the people in the home are needed first.\n")
            return save(interview, args, console) ? 1 : 2
        }
        if ending.isEmpty {
            let undecided = screening.programs.filter { $0.status == .needsInfo }.count
            ending = undecided == 0 ? "Every program is decided." : "No more questions: \(undecided) program\(undecided == 1 ? " is" : "s are") undecided on skipped facts."
        }
        let members = interview.profile["members"]?.arrayValue?.count ?? 0
        let fields = rules.householdFacts.count + rules.memberFacts.count * members
        let skipped = interview.skipped.count
        say("\n\(ending) \(interview.answerCount) question\(interview.answerCount == 1 ? "" : "s") answered (\(skipped) skipped); "
            + "a form with every field for this household has \(fields).\n\n")
        if format == "json" {
            console.out(ScreeningJSON.string(screening) + "\n")
        } else {
            console.out(ScreeningText.render(screening))
        }
        return save(interview, args, console) ? 0 : 2
    }

    /// The question as shown: its number, whom it is about, the text, the choices and the expected form.
    static func render(_ q: Interview.Question, number: Int) -> String {
        var out = "[\(number)] \(q.about.map { "About \($0): " } ?? "")\(q.ask)"
        if q.choices.isEmpty { return out + " (\(q.form.hint))\n" }
        out += "\n"
        let width = q.choices.map(\.value.count).max() ?? 0
        let digits = String(q.choices.count).count
        for (i, c) in q.choices.enumerated() {
            let n = String(i + 1)
            out += "    \(String(repeating: " ", count: digits - n.count))\(n). \(c.value)"
            if c.label != c.value { out += String(repeating: " ", count: width - c.value.count) + "  \(c.label)" }
            out += "\n"
        }
        return out + "    (\(q.form.hint))\n"
    }

    /// Writes the profile built to `--save FILE` (pretty JSON, contract field names); false if it could not.
    @discardableResult
    static func save(_ interview: Interview, _ args: Arguments, _ console: Console) -> Bool {
        guard let path = args.values["save"] else { return true }
        let text = JSONWriter.string(.object(interview.profile), style: .pretty) + "\n"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return true
        } catch {
            console.err("error: cannot write '\(path)': \(error.localizedDescription)\n")
            return false
        }
    }
}
