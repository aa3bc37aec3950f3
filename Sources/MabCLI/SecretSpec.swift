import OCI

/// `--secret id=ID[,src=FILE|,env=VARIABLE]` (also `source=` and `type=file|env`, as buildx
/// takes them): where a secret mount's value comes from. With neither src nor env, the
/// environment variable named like the id.
struct SecretSpec: Sendable, Equatable {
    enum Origin: Sendable, Equatable {
        case file(String)
        case environment(String)
    }

    var id: String
    var origin: Origin

    init(parsing text: String) throws(CLIError) {
        var fields: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[1].isEmpty else {
                throw .usage("--secret \(text): expected id=ID,src=FILE or id=ID,env=VARIABLE")
            }
            let key = kv[0] == "source" ? "src" : kv[0]
            guard ["id", "src", "env", "type"].contains(key) else {
                throw .usage("--secret \(text): unknown key \(kv[0]) (expected id, src, env or type)")
            }
            fields[key] = kv[1]
        }
        guard let id = fields["id"] else { throw .usage("--secret \(text): id=ID is required") }
        self.id = id
        switch (fields["type"], fields["src"], fields["env"]) {
        case (_, .some, .some): throw .usage("--secret \(text): give src= or env=, not both")
        case (nil, let src?, nil), ("file", let src?, nil): origin = .file(src)
        case (nil, nil, let env?), ("env", nil, let env?): origin = .environment(env)
        case ("env", let name?, nil): origin = .environment(name)
        case (nil, nil, nil), ("env", nil, nil): origin = .environment(id)
        case ("file", nil, nil): origin = .file(id)
        default: throw .usage("--secret \(text): type must be file or env")
        }
    }

    /// The secret's bytes, read now so that a missing one stops the build before it starts.
    func value(environment: [String: String]) throws(CLIError) -> [UInt8] {
        switch origin {
        case .file(let path):
            do { return try FileSystem.readFile(path) } catch {
                throw .usage("--secret id=\(id): cannot read \(path): \(error)")
            }
        case .environment(let name):
            guard let value = environment[name] else {
                throw .usage("--secret id=\(id): the environment variable \(name) is not set")
            }
            return Array(value.utf8)
        }
    }
}
