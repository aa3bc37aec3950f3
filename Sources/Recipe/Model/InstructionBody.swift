/// What one instruction says, by kind.
public indirect enum InstructionBody: Sendable, Hashable {
    case run(RunInstruction)
    case cmd(CommandSpec)
    case entrypoint(CommandSpec)
    case shell([String])
    case env([KeyValue])
    case label([KeyValue])
    case arg([ArgDeclaration])
    case copy(CopyInstruction)
    case add(CopyInstruction)
    case expose([String])
    case volume([String])
    case user(String)
    case workdir(String)
    case stopSignal(String)
    case maintainer(String)
    case healthcheck(Healthcheck)
    case onbuild(expression: String, trigger: Instruction)

    /// The instruction keyword in upper case.
    public var keyword: String {
        switch self {
        case .run: "RUN"
        case .cmd: "CMD"
        case .entrypoint: "ENTRYPOINT"
        case .shell: "SHELL"
        case .env: "ENV"
        case .label: "LABEL"
        case .arg: "ARG"
        case .copy: "COPY"
        case .add: "ADD"
        case .expose: "EXPOSE"
        case .volume: "VOLUME"
        case .user: "USER"
        case .workdir: "WORKDIR"
        case .stopSignal: "STOPSIGNAL"
        case .maintainer: "MAINTAINER"
        case .healthcheck: "HEALTHCHECK"
        case .onbuild: "ONBUILD"
        }
    }
}

extension InstructionBody: Encodable {
    private enum Keys: String, CodingKey {
        case kind, command, mounts, network, security, arguments, prependShell, heredocs, shell, pairs, args
        case copy, ports, volumes, user, path, signal, maintainer, healthcheck, expression, trigger
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(keyword.lowercased(), forKey: .kind)
        switch self {
        case .run(let run):
            try run.encode(to: encoder)
        case .cmd(let line), .entrypoint(let line):
            try c.encode(line, forKey: .command)
        case .shell(let words):
            try c.encode(words, forKey: .shell)
        case .env(let pairs), .label(let pairs):
            try c.encode(pairs, forKey: .pairs)
        case .arg(let args):
            try c.encode(args, forKey: .args)
        case .copy(let copy), .add(let copy):
            try copy.encode(to: encoder)
        case .expose(let ports):
            try c.encode(ports, forKey: .ports)
        case .volume(let volumes):
            try c.encode(volumes, forKey: .volumes)
        case .user(let user):
            try c.encode(user, forKey: .user)
        case .workdir(let path):
            try c.encode(path, forKey: .path)
        case .stopSignal(let signal):
            try c.encode(signal, forKey: .signal)
        case .maintainer(let name):
            try c.encode(name, forKey: .maintainer)
        case .healthcheck(let health):
            try c.encode(health, forKey: .healthcheck)
        case .onbuild(let expression, let trigger):
            try c.encode(expression, forKey: .expression)
            try c.encode(trigger, forKey: .trigger)
        }
    }
}
