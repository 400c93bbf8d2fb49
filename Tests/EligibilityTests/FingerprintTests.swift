import Testing
@testable import Eligibility

/// SHA-256 against the FIPS 180-4 test vectors, and the rule-set fingerprint built on it.
@Suite struct FingerprintTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func aMillionAsInUnevenPieces() {
        var h = SHA256()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let n = min(piece, 1_000_000 - fed)
            h.update(repeatElement(UInt8(ascii: "a"), count: n))
            fed += n
            piece = piece * 3 % 997 + 1  // pieces of many sizes, across block boundaries
        }
        let hex = h.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func fingerprintFollowsTheFilesNotTheirLocation() {
        let a = [SourceFile(path: "/x/rules/a.rules", text: "let a = 1\n"), SourceFile(path: "/x/rules/b.rules", text: "let b = 2\n")]
        let moved = [SourceFile(path: "/y/r/a.rules", text: "let a = 1\n"), SourceFile(path: "/y/r/b.rules", text: "let b = 2\n")]
        let edited = [SourceFile(path: "/x/rules/a.rules", text: "let a = 1\n"), SourceFile(path: "/x/rules/b.rules", text: "let b = 3\n")]
        let renamed = [SourceFile(path: "/x/rules/a.rules", text: "let a = 1\n"), SourceFile(path: "/x/rules/c.rules", text: "let b = 2\n")]
        let f = RuleLoader.fingerprint(a, base: "/x/rules")
        #expect(f.hasPrefix("sha256:") && f.count == 71)
        #expect(RuleLoader.fingerprint(moved, base: "/y/r") == f)
        #expect(RuleLoader.fingerprint(edited, base: "/x/rules") != f)
        #expect(RuleLoader.fingerprint(renamed, base: "/x/rules") != f)
    }
}
