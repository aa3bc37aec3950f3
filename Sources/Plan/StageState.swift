/// The variables a stage's instructions see while it is planned: declared ARGs (with
/// their values) and ENV. As in BuildKit the later definition wins: an ENV over an ARG of
/// the same name declared before it, an ARG with a value over an earlier ENV (for
/// expansion and for RUN; the image config keeps the ENV's value).
struct StageState {
    var args: [String: String] = [:]
    var argOrder: [String] = []
    var env: [String: String] = [:]
    /// ARGs an ENV set after them (or that have no value): ENV's value is the one seen.
    var shadowed: Set<String> = []

    var visible: [String: String] { env.merging(runArgs) { _, a in a } }

    /// The ARGs a RUN sees over the environment: those no later ENV replaced.
    var runArgs: [String: String] { args.filter { !shadowed.contains($0.key) } }

    mutating func declare(_ name: String, _ value: String, hasValue: Bool = true) {
        if args[name] == nil { argOrder.append(name) }
        args[name] = value
        if hasValue || env[name] == nil { shadowed.remove(name) } else { shadowed.insert(name) }
    }

    mutating func setEnv(_ name: String, _ value: String) {
        env[name] = value
        shadowed.insert(name)
    }

    /// The declared ARGs as BuildKit lists them in a RUN's history: declaration order, each
    /// with the value a RUN sees (an ENV's when one replaced it).
    var argsInScope: [String] { argOrder.map { "\($0)=\(visible[$0] ?? "")" } }

    /// The build args a step can see, for its cache key (`NAME=value`, sorted).
    var argList: [String] { argOrder.sorted().map { "\($0)=\(args[$0] ?? "")" } }
}
