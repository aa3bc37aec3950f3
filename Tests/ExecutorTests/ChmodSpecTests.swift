import Executor
import Glibc
import Testing

/// `--chmod` values as chmod(1) reads them.
struct ChmodSpecTests {
    @Test(arguments: [
        ("0755", 0o644, false, 0o755), ("600", 0o777, false, 0o600),
        ("u=rwx,go=rx", 0o644, false, 0o755), ("+x", 0o644, false, 0o755), ("a-w", 0o664, false, 0o444),
        ("go-rwx", 0o755, true, 0o700), ("u+s", 0o755, false, 0o4755), ("o+t", 0o777, true, 0o1777),
        ("a+X", 0o644, false, 0o644), ("a+X", 0o744, false, 0o755), ("a+X", 0o600, true, 0o711), ("u+x-w", 0o644, false, 0o544),
    ] as [(String, Int, Bool, Int)])
    func symbolicAndOctal(_ text: String, _ before: Int, _ directory: Bool, _ after: Int) throws {
        let spec = try #require(ChmodSpec(text))
        #expect(spec.apply(to: mode_t(before), isDirectory: directory) == mode_t(after))
    }

    @Test(arguments: ["", "banana", "u", "u=q", "9", "0o755", "=,"])
    func invalid(_ text: String) {
        #expect(ChmodSpec(text) == nil)
    }
}
