/// The variables a stage's instructions see while it is planned: declared ARGs (with
/// their values) and ENV, ENV winning over ARG as in BuildKit.
struct StageState {
    var args: [String: String] = [:]
    var argOrder: [String] = []
    var env: [String: String] = [:]

    var visible: [String: String] { args.merging(env) { _, e in e } }

    mutating func declare(_ name: String, _ value: String) {
        if args[name] == nil { argOrder.append(name) }
        args[name] = value
    }

    /// The build args a step can see, for its cache key (`NAME=value`, sorted).
    var argList: [String] { argOrder.sorted().map { "\($0)=\(args[$0] ?? "")" } }
}
