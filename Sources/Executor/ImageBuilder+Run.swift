import Foundation
import OCI
import Plan
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// RUN details: heredoc commands and user names.
extension ImageBuilder {
    /// The command a RUN runs, as BuildKit makes it: the shell form's line given to the
    /// shell, the exec form as it is. With heredocs: a command that is one bare heredoc runs
    /// its body with the shell, or, when the body starts with `#!`, has the shell run it as
    /// an executable file at `/dev/pipes/NAME`; any other command gets its heredocs appended and goes to the
    /// shell, which reads them itself.
    static func runArgv(_ command: [String], shellForm: Bool, heredocs: [Heredoc], shell: [String]) -> [String] {
        guard !heredocs.isEmpty else { return shellForm ? shell + [command.joined(separator: " ")] : command }
        let line = command.joined(separator: " ")
        guard heredocs.count == 1, isBareHeredoc(line) else {
            return shell + [line + heredocs.map { "\n" + $0.content + $0.name }.joined()]
        }
        let body = heredocs[0].effectiveContent
        return shell + [body.hasPrefix("#!") ? "/dev/pipes/" + heredocs[0].name : body]
    }

    /// `runArgv` of a RUN with heredocs, with the bind mount of a `#!` body's file.
    func heredocCommand(_ command: [String], _ heredocs: [Heredoc], shell: [String], step: PlanStep) throws -> ([String], [SandboxMount]) {
        guard command.count == 1 else { throw stepError(step, "RUN with a heredoc must be in shell form") }
        let argv = Self.runArgv(command, shellForm: true, heredocs: heredocs, shell: shell)
        guard heredocs.count == 1, Self.isBareHeredoc(command[0]), heredocs[0].effectiveContent.hasPrefix("#!") else { return (argv, []) }
        let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "heredoc")
        locked { cleanup.append(dir) }
        let file = dir + "/" + heredocs[0].name
        try FileSystem.writeFileAtomically(file, Array(heredocs[0].effectiveContent.utf8), mode: 0o755)
        return (argv, [.bind(source: file, target: "/dev/pipes/" + heredocs[0].name, readOnly: true)])
    }

    /// `<<NAME`, `<<-NAME`, `<<"NAME"` (with an optional fd) and nothing else.
    static func isBareHeredoc(_ line: String) -> Bool {
        var rest = Substring(line.trimmingCharacters(in: .whitespaces)).drop { $0.isNumber }
        guard rest.hasPrefix("<<") else { return false }
        rest = rest.dropFirst(2)
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        let name = rest.trimmingCharacters(in: .whitespaces)
        return !name.isEmpty && !name.contains(where: { $0 == " " || $0 == "\t" || $0 == "<" })
    }

    /// The user a RUN runs as (`USER`, root when unset): ids, supplementary groups, HOME.
    func execUser(_ spec: String?, step: PlanStep, in result: inout StageResult) throws -> (uid: UInt32, gid: UInt32, groups: [UInt32], home: String) {
        let spec = spec.flatMap { $0.isEmpty ? nil : $0 } ?? "0"
        do {
            return try UserDatabase(lowers: try lowers(&result)).execUser(spec)
        } catch let error as ExecutorError {
            guard case .sandbox(let detail) = error else { throw error }
            throw stepError(step, "USER \(spec): \(detail)")
        }
    }
}
