import Recipe

/// What a step does, with every word already expanded, for the executor: the base, a RUN,
/// a COPY/ADD, or a change to the image config.
public enum StepAction: Sendable, Hashable, Encodable {
    case from
    /// `command` is the exec-form argv, or one shell-form string when `shellForm` (the
    /// stage's SHELL is put in front). `buildArgs` are the ARGs the step sees as environment
    /// over the image's ENV (those no later ENV of the same name replaced).
    /// `network` and `security` are the RUN's flags as written (nil when not given).
    case run(command: [String], shellForm: Bool, buildArgs: [String: String], network: String?, security: String?, mounts: [RunMount], heredocs: [Heredoc])
    case copy(CopyAction)
    /// An image-config instruction: its keyword and expanded values (`K=V` for pairs).
    case config(keyword: String, values: [String], shellForm: Bool)

    private enum Keys: String, CodingKey { case kind, command, shellForm, buildArgs, network, security, mounts, heredocs, copy, keyword, values }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .from:
            try c.encode("from", forKey: .kind)
        case .run(let command, let shellForm, let buildArgs, let network, let security, let mounts, let heredocs):
            try c.encode("run", forKey: .kind)
            try c.encode(command, forKey: .command)
            try c.encode(shellForm, forKey: .shellForm)
            try c.encode(buildArgs, forKey: .buildArgs)
            try c.encodeIfPresent(network, forKey: .network)
            try c.encodeIfPresent(security, forKey: .security)
            try c.encode(mounts, forKey: .mounts)
            try c.encode(heredocs, forKey: .heredocs)
        case .copy(let copy):
            try c.encode("copy", forKey: .kind)
            try c.encode(copy, forKey: .copy)
        case .config(let keyword, let values, let shellForm):
            try c.encode("config", forKey: .kind)
            try c.encode(keyword, forKey: .keyword)
            try c.encode(values, forKey: .values)
            try c.encode(shellForm, forKey: .shellForm)
        }
    }
}
