/// A seccomp profile in moby's format (`profiles/seccomp`): a default errno and rules, each
/// applying only when the capabilities (of the bounding set), the architecture and the
/// kernel it names hold — as moby's `setupSeccomp` selects them for runc.
public struct SeccompProfile: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case allow
        case errno(UInt16)
    }

    /// A comparison of one syscall argument.
    public struct Argument: Sendable, Hashable {
        public enum Operation: Sendable, Hashable { case equal, notEqual, maskedEqual }
        public var index: UInt32
        public var op: Operation
        public var value: UInt64

        public init(index: UInt32, op: Operation, value: UInt64) {
            self.index = index
            self.op = op
            self.value = value
        }
    }

    /// Capabilities, architectures (Go's names: amd64, arm64, x86, x32, arm, …) and a
    /// minimum kernel version a rule includes or excludes.
    public struct Condition: Sendable, Hashable {
        public var caps: [String] = []
        public var arches: [String] = []
        public var minKernel: String?

        public init(caps: [String] = [], arches: [String] = [], minKernel: String? = nil) {
            self.caps = caps
            self.arches = arches
            self.minKernel = minKernel
        }
    }

    public struct Rule: Sendable, Hashable {
        public var names: [String]
        public var action: Action = .allow
        public var arguments: [Argument] = []
        public var includes: Condition?
        public var excludes: Condition?

        public init(names: [String], action: Action = .allow, arguments: [Argument] = [], includes: Condition? = nil, excludes: Condition? = nil) {
            self.names = names
            self.action = action
            self.arguments = arguments
            self.includes = includes
            self.excludes = excludes
        }
    }

    /// The errno of a syscall no rule allows.
    public var defaultErrno: UInt16
    /// The libseccomp architectures the filter covers, by host architecture (Go's name).
    public var architectures: [String: [String]]
    public var rules: [Rule]

    /// The rules that apply to a process with `bounding` capabilities on `architecture` under
    /// kernel `kernel` (major, minor): includes must all hold, no exclude may.
    public func applicableRules(bounding: CapabilitySet, architecture: String, kernel: (Int, Int)) -> [Rule] {
        func atLeast(_ version: String) -> Bool {
            let parts = version.split(separator: ".").compactMap { Int($0) }
            let want = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
            return kernel.0 > want.0 || (kernel.0 == want.0 && kernel.1 >= want.1)
        }
        return rules.filter { rule in
            if let ex = rule.excludes {
                if ex.arches.contains(architecture) { return false }
                if ex.caps.contains(where: bounding.contains) { return false }
                if let v = ex.minKernel, atLeast(v) { return false }
            }
            if let inc = rule.includes {
                if !inc.arches.isEmpty && !inc.arches.contains(architecture) { return false }
                if !inc.caps.allSatisfy(bounding.contains) { return false }
                if let v = inc.minKernel, !atLeast(v) { return false }
            }
            return true
        }
    }
}
