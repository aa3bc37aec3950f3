/// Turns a syntax node into a typed instruction, rejecting everything BuildKit's
/// frontend would reject when building: unknown instructions and flags, bad flag values,
/// wrong argument counts, malformed mounts, and words that cannot be expanded.
struct InstructionParser {
    static let instructionNames = [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ]

    let escapeToken: Unicode.Scalar

    /// The FROM line of a stage: (base, name, platform).
    func parseFrom(_ node: SyntaxNode) throws(RecipeProblem) -> (base: String, name: String?, platform: String?) {
        let args = node.arguments
        var name: String?
        if args.count == 3 && args[1].lowercased() == "as" {
            let lowered = args[2].lowercased()
            guard Self.isValidStageName(lowered) else { throw .invalidStageName(args[2]) }
            name = lowered
        } else if args.count != 1 {
            throw .fromArguments
        }
        var flags = FlagSet("FROM", Self.fromFlags)
        try flags.parse(node.flags)
        try checkExpandable("FROM", [args[0]] + (flags.string("platform").map { [$0] } ?? []))
        return (args[0], name, flags.string("platform"))
    }

    static let fromFlags: [String: FlagSet.Kind] = ["platform": .string]
    static let runFlags: [String: FlagSet.Kind] = ["mount": .strings, "network": .string, "security": .string]
    static let copyFlags: [String: FlagSet.Kind] = [
        "chown": .string, "chmod": .string, "link": .bool, "exclude": .strings, "from": .string, "parents": .bool,
    ]
    static let addFlags: [String: FlagSet.Kind] = [
        "chown": .string, "chmod": .string, "link": .bool, "exclude": .strings, "checksum": .string, "keep-git-dir": .bool,
        "unpack": .bool,
    ]
    static let healthcheckFlags: [String: FlagSet.Kind] = [
        "interval": .string, "timeout": .string, "start-period": .string, "start-interval": .string, "retries": .string,
    ]
    static let noFlagTable: [String: FlagSet.Kind] = [:]

    static func isValidStageName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, first >= "a" && first <= "z" else { return false }
        return scalars.dropFirst().allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    func parse(_ node: SyntaxNode) throws(RecipeProblem) -> Instruction {
        let body = try parseBody(node)
        return Instruction(body: body, original: node.original, range: node.range, flags: node.flags)
    }

    private func noFlags(_ name: String, _ node: SyntaxNode) throws(RecipeProblem) {
        if node.flags.isEmpty { return }
        var flags = FlagSet(name, Self.noFlagTable)
        try flags.parse(node.flags)
    }

    /// True when `word` certainly expands without error: no escape token, quotes closed, and
    /// every `${` a plain `${NAME}`; the lexer is run only on the other words.
    func isTriviallyExpandable(_ word: String) -> Bool {
        let escape = UInt8(truncatingIfNeeded: escapeToken.value)
        var it = word.utf8.makeIterator()
        var previousDollar = false
        var quote: UInt8 = 0
        while let b = it.next() {
            if b == escape { return false }
            if quote == 0x27 {
                if b == 0x27 { quote = 0 }
                continue
            }
            if b == 0x22 || b == 0x27 {
                if quote == b { quote = 0 } else if quote == 0 { quote = b }
                previousDollar = false
                continue
            }
            if previousDollar && b == UInt8(ascii: "{") {
                var length = 0
                var closed = false
                while let c = it.next() {
                    if c == UInt8(ascii: "}") { closed = true; break }
                    let isName = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
                    if !isName { return false }
                    length += 1
                }
                if length == 0 || !closed { return false }
                previousDollar = false
                continue
            }
            previousDollar = b == UInt8(ascii: "$")
        }
        return quote == 0
    }

    func checkExpandable(_ instruction: String, _ words: [String]) throws(RecipeProblem) {
        var lexer = ShellLexer(escapeToken: escapeToken)
        lexer.skipUnsetEnv = true
        for word in words where !isTriviallyExpandable(word) {
            do {
                _ = try lexer.process(word, environment: [:])
            } catch {
                throw .expansion(instruction: instruction, error: error)
            }
        }
    }

    private func parseBody(_ node: SyntaxNode) throws(RecipeProblem) -> InstructionBody {
        let args = node.arguments
        switch node.name {
        case "env", "label":
            let keyword = node.name.uppercased()
            try noFlags(keyword, node)
            let pairs = try keyValues(args, keyword)
            try checkExpandable(keyword, pairs.flatMap { [$0.key, $0.value] })
            return node.name == "env" ? .env(pairs) : .label(pairs)
        case "maintainer":
            guard args.count == 1 else { throw .exactlyOneArgument("MAINTAINER") }
            try noFlags("MAINTAINER", node)
            return .maintainer(args[0])
        case "add", "copy":
            return try parseCopy(node, isAdd: node.name == "add")
        case "from":
            throw .instructionBeforeFrom("FROM")  // handled by the recipe parser
        case "onbuild":
            guard let trigger = node.trigger.first, !trigger.keyword.isEmpty else { throw .atLeastOneArgument("ONBUILD") }
            try noFlags("ONBUILD", node)
            switch trigger.name {
            case "onbuild": throw .onbuildChain
            case "maintainer", "from": throw .onbuildTrigger(trigger.keyword.uppercased())
            default: break
            }
            var expression = trigger.original
            for doc in node.heredocs { expression += "\n" + doc.content + doc.name }
            var inner = trigger
            inner.heredocs = node.heredocs
            inner.range = node.range
            let parsed = try parse(inner)
            return .onbuild(expression: expression, trigger: parsed)
        case "workdir":
            guard args.count == 1 else { throw .exactlyOneArgument("WORKDIR") }
            try noFlags("WORKDIR", node)
            try checkExpandable("WORKDIR", args)
            return .workdir(args[0])
        case "run":
            return try parseRun(node)
        case "cmd":
            try noFlags("CMD", node)
            return .cmd(commandLine(node))
        case "entrypoint":
            try noFlags("ENTRYPOINT", node)
            return .entrypoint(commandLine(node))
        case "healthcheck":
            return try .healthcheck(parseHealthcheck(node))
        case "expose":
            guard !args.isEmpty else { throw .atLeastOneArgument("EXPOSE") }
            try noFlags("EXPOSE", node)
            try checkExpandable("EXPOSE", args)
            for port in args where !port.contains("$") { try Self.validatePort(port) }
            return .expose(args)
        case "user":
            guard args.count == 1 else { throw .exactlyOneArgument("USER") }
            try noFlags("USER", node)
            try checkExpandable("USER", args)
            return .user(args[0])
        case "volume":
            guard !args.isEmpty else { throw .atLeastOneArgument("VOLUME") }
            try noFlags("VOLUME", node)
            var volumes: [String] = []
            for v in args {
                let trimmed = v.trimmingGoSpace()
                if trimmed.isEmpty { throw .emptyVolume }
                volumes.append(trimmed)
            }
            try checkExpandable("VOLUME", volumes)
            return .volume(volumes)
        case "stopsignal":
            guard args.count == 1 else { throw .exactlyOneArgument("STOPSIGNAL") }
            try noFlags("STOPSIGNAL", node)
            try checkExpandable("STOPSIGNAL", args)
            if !args[0].contains("$") { try Self.validateSignal(args[0]) }
            return .stopSignal(args[0])
        case "arg":
            guard !args.isEmpty else { throw .atLeastOneArgument("ARG") }
            try noFlags("ARG", node)
            var decls: [ArgDeclaration] = []
            for arg in args {
                var decl: ArgDeclaration
                if let eq = arg.firstIndex(of: "=") {
                    let key = String(arg[..<eq])
                    if key.isEmpty { throw .blankNames("ARG") }
                    decl = ArgDeclaration(key: key, defaultValue: String(arg[arg.index(after: eq)...]))
                    try checkExpandable("ARG", [decl.defaultValue!])
                } else {
                    decl = ArgDeclaration(key: arg, defaultValue: nil)
                }
                decl.comment = node.comments.lazy.compactMap { line in
                    line.hasPrefix(decl.key + " ") ? String(line.dropFirst(decl.key.count + 1)) : nil
                }.first
                decls.append(decl)
            }
            return .arg(decls)
        case "shell":
            try noFlags("SHELL", node)
            guard !args.isEmpty else { throw .atLeastOneArgument("SHELL") }
            guard node.isJSON else { throw .shellNotJSON("SHELL") }
            return .shell(args)
        default:
            throw .unknownInstruction(
                node.keyword, suggestion: Suggest.closest(to: node.keyword, in: Self.instructionNames, caseSensitive: false))
        }
    }

    private func keyValues(_ args: [String], _ keyword: String) throws(RecipeProblem) -> [KeyValue] {
        guard !args.isEmpty else { throw .atLeastOneArgument(keyword) }
        var pairs: [KeyValue] = []
        var i = 0
        while i + 1 < args.count {
            if args[i].isEmpty { throw .blankNames(keyword) }
            pairs.append(KeyValue(key: args[i], value: args[i + 1]))
            i += 3
        }
        return pairs
    }

    private func commandLine(_ node: SyntaxNode) -> CommandSpec {
        CommandSpec(arguments: node.arguments, prependShell: !node.isJSON, heredocs: node.heredocs)
    }

    private func parseRun(_ node: SyntaxNode) throws(RecipeProblem) -> InstructionBody {
        var flags = FlagSet("RUN", Self.runFlags)
        try flags.parse(node.flags)
        var mounts: [MountSpec] = []
        for value in flags.strings("mount") {
            try checkExpandable("RUN", [value])
            mounts.append(try MountParser.parse(value))
        }
        var network: RunInstruction.Network?
        if let value = flags.string("network") {
            guard let mode = RunInstruction.Network(rawValue: value) else {
                throw .invalidFlagValue(flag: "network", value: value, expected: "use default, none or host")
            }
            network = mode
        }
        var security: RunInstruction.Security?
        if let value = flags.string("security") {
            guard let mode = RunInstruction.Security(rawValue: value) else {
                throw .invalidFlagValue(flag: "security", value: value, expected: "use sandbox or insecure")
            }
            security = mode
        }
        return .run(RunInstruction(command: commandLine(node), mounts: mounts, network: network, security: security))
    }

    private func parseCopy(_ node: SyntaxNode, isAdd: Bool) throws(RecipeProblem) -> InstructionBody {
        let keyword = isAdd ? "ADD" : "COPY"
        let args = node.arguments
        guard args.count >= 2 else { throw .noDestination(keyword) }
        var flags = FlagSet(keyword, isAdd ? Self.addFlags : Self.copyFlags)
        try flags.parse(node.flags)

        let destination = args[args.count - 1]
        if (try? Heredoc.parse(word: destination)) ?? nil != nil {
            throw .heredocNotAllowed(instruction: keyword, as: "a destination")
        }
        var byName: [String: Heredoc] = [:]
        for doc in node.heredocs { byName[doc.name] = doc }
        var sources: [String] = []
        var inline: [InlineSource] = []
        for src in args.dropLast() {
            if let opener = (try? Heredoc.parse(word: src)) ?? nil {
                var doc = byName[opener.name] ?? opener
                doc.chomp = opener.chomp
                inline.append(InlineSource(path: opener.name, data: doc.effectiveContent, expand: opener.expand))
            } else {
                sources.append(src)
            }
        }
        var expandable = sources + [destination]
        for key in ["chown", "chmod", "from", "checksum"] { if let v = flags.string(key) { expandable.append(v) } }
        try checkExpandable(keyword, expandable)
        if let chmod = flags.string("chmod"), !chmod.contains("$"), !Self.isValidChmod(chmod) {
            throw .invalidFlagValue(flag: "chmod", value: chmod, expected: "use an octal mode such as 0755 or a symbolic one such as u+x")
        }
        if let checksum = flags.string("checksum"), !checksum.contains("$"), !Self.isValidChecksum(checksum) {
            throw .invalidFlagValue(flag: "checksum", value: checksum, expected: "use ALGORITHM:HEX, e.g. sha256:<64 hex digits>")
        }
        for pattern in flags.strings("exclude") where !IgnorePattern.isValid(pattern) {
            throw .invalidExclude(pattern: pattern)
        }
        let copy = CopyInstruction(
            sources: sources, inlineSources: inline, destination: destination, from: flags.string("from"),
            chown: flags.string("chown"), chmod: flags.string("chmod"), link: flags.bool("link"),
            parents: flags.bool("parents"), exclude: flags.strings("exclude"), checksum: flags.string("checksum"),
            keepGitDir: flags.bool("keep-git-dir"), unpack: flags.optionalBool("unpack"))
        return isAdd ? .add(copy) : .copy(copy)
    }

    private func parseHealthcheck(_ node: SyntaxNode) throws(RecipeProblem) -> Healthcheck {
        let args = node.arguments
        guard let first = args.first else { throw .atLeastOneArgument("HEALTHCHECK") }
        let type = first.uppercased()
        let rest = Array(args.dropFirst())
        if type == "NONE" {
            guard rest.isEmpty else { throw .healthcheckNoneArguments }
            try noFlags("HEALTHCHECK", node)
            return Healthcheck(test: ["NONE"])
        }
        var flags = FlagSet("HEALTHCHECK", Self.healthcheckFlags)
        try flags.parse(node.flags)
        guard type == "CMD" else { throw .healthcheckUnknownType(first) }
        guard !rest.isEmpty else { throw .healthcheckMissingCommand }
        var health = Healthcheck(test: [node.isJSON ? "CMD" : "CMD-SHELL"] + rest)
        func duration(_ name: String) throws(RecipeProblem) -> Int64 {
            guard let text = flags.string(name), !text.isEmpty else { return 0 }
            guard let ns = GoDuration.parse(text) else { throw .invalidDuration(flag: name, value: text) }
            if ns != 0 && ns < 1_000_000 { throw .durationTooShort(flag: name) }
            return ns
        }
        health.interval = try duration("interval")
        health.timeout = try duration("timeout")
        health.startPeriod = try duration("start-period")
        health.startInterval = try duration("start-interval")
        if let text = flags.string("retries"), !text.isEmpty {
            guard let n = Int32(text) else { throw .invalidRetries(text) }
            if n < 0 { throw .retriesTooSmall(Int(n)) }
            health.retries = Int(n)
        }
        return health
    }

    static func validatePort(_ spec: String) throws(RecipeProblem) {
        let parts = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let range = parts[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let ok = !range.isEmpty && range.allSatisfy { r in UInt16(r).map { $0 > 0 } ?? false }
            && (range.count == 1 || UInt16(range[0])! <= UInt16(range[1])!)
        guard ok else { throw .invalidFlagValue(flag: "port", value: spec, expected: "EXPOSE takes PORT[-PORT][/tcp|udp|sctp]") }
        if parts.count == 2, !["tcp", "udp", "sctp"].contains(parts[1].lowercased()) {
            throw .invalidFlagValue(flag: "port", value: spec, expected: "the protocol must be tcp, udp or sctp")
        }
    }

    static let signalNames: Set<String> = [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL",
        "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1",
        "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
    ]

    static func validateSignal(_ text: String) throws(RecipeProblem) {
        if let n = Int(text), n > 0, n <= 64 { return }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if signalNames.contains(name) { return }
        if name.hasPrefix("RTMIN") || name.hasPrefix("RTMAX") { return }
        throw .invalidFlagValue(flag: "signal", value: text, expected: "STOPSIGNAL takes a signal name (SIGTERM) or number (15)")
    }

    static func isValidChmod(_ text: String) -> Bool {
        if !text.isEmpty, text.count <= 5, text.allSatisfy({ $0 >= "0" && $0 <= "7" }) { return true }
        // Symbolic: [ugoa]*[-+=][rwxXst]* (comma separated clauses).
        for clause in text.split(separator: ",", omittingEmptySubsequences: false) {
            var s = clause[...]
            while let f = s.first, "ugoa".contains(f) { s = s.dropFirst() }
            guard let op = s.first, "+-=".contains(op) else { return false }
            s = s.dropFirst()
            while let f = s.first, "+-=".contains(f) || "rwxXst".contains(f) { s = s.dropFirst() }
            if !s.isEmpty { return false }
        }
        return true
    }

    static func isValidChecksum(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let hex = parts[1]
        let expected: Int
        switch parts[0] {
        case "sha256": expected = 64
        case "sha384": expected = 96
        case "sha512": expected = 128
        default: return false
        }
        return hex.count == expected && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
