import Testing
@testable import Eligibility

/// County and state names are matched in parameter tables without regard to case, spacing or a trailing "County":
/// ASCII names take a byte-by-byte path, which must agree with the word-by-word one every other name takes.
struct TextKeyTests {
    @Test(arguments: [
        ("San Diego", "san diego"),
        ("  san   diego  ", "san diego"),
        ("Los Angeles County", "los angeles"),
        ("\tKern\tCOUNTY ", "kern"),
        ("County", "county"),
        ("county county", "county"),
        ("Prince George's County", "prince george's"),
        ("Countyline", "countyline"),
        ("Kern Countys", "kern countys"),
        ("", ""),
        ("   ", ""),
        ("DeKalb", "dekalb"),
        ("Doña Ana County", "doña ana"),
        ("ÅLAND  COUNTY", "åland"),
    ])
    func normalizes(_ name: String, _ key: String) {
        #expect(TextKey.normalize(name) == key)
        #expect(TextKey.wordsNormalized(name) == key)
    }

    @Test func asciiAgreesWithWordsForEveryShortMixOfLettersAndSpaces() {
        // Every text of up to five characters from a small alphabet that exercises case, runs of blanks and "county".
        let alphabet: [Character] = ["a", "C", " ", "\t", "y"]
        var texts = [""]
        for _ in 0..<5 { texts += texts.flatMap { t in alphabet.map { t + String($0) } }.filter { !texts.contains($0) } }
        for t in Set(texts) + ["a county", "A COUNTY", "a  County ", " county", "x county\t"] {
            #expect(TextKey.normalize(t) == TextKey.wordsNormalized(t), "\(t.debugDescription)")
        }
    }
}
