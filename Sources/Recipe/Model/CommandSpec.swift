/// The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: exec form (JSON) runs the
/// words as given; shell form is one string handed to the stage's SHELL.
public struct CommandSpec: Sendable, Hashable, Encodable {
    public var arguments: [String]
    /// True for shell form: the stage's SHELL is put in front at run time.
    public var prependShell: Bool
    /// Heredoc bodies attached to the command (RUN <<EOF …).
    public var heredocs: [Heredoc]

    public init(arguments: [String], prependShell: Bool, heredocs: [Heredoc] = []) {
        self.arguments = arguments
        self.prependShell = prependShell
        self.heredocs = heredocs
    }
}
