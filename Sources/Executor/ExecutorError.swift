/// Why a step could not run, with what to do about it.
public enum ExecutorError: Error, Sendable, Hashable, CustomStringConvertible {
    case needsRoot(String)
    case missingTool(tool: String, package: String)
    case mount(target: String, detail: String)
    case sandbox(String)
    /// A step of the recipe cannot be done: where it is (`FILE:LINE:COL`) and why.
    case step(location: String, detail: String)
    /// The sandbox's confinement (seccomp filter, capabilities, masks) could not be made.
    case confinement(String)
    /// A RUN asks for more than the sandbox gives without an entitlement the build was not started with.
    case entitlement(location: String, what: String, entitlement: String)
    case commandFailed(command: String, status: Int32, output: String)
    /// A RUN for a foreign platform with no binfmt_misc registration to run it.
    case emulationUnavailable(location: String, platform: String, rows: [String])
    /// The build was stopped (SIGINT/SIGTERM).
    case interrupted

    public var description: String {
        switch self {
        case .needsRoot(let what): return "\(what) needs root (overlayfs mounts and namespaces): run mab as root; builds whose steps only COPY work without it"
        case .missingTool(let tool, let package): return "\(tool) is not installed: apt-get install \(package)"
        case .mount(let target, let detail): return "mount \(target): \(detail)"
        case .sandbox(let detail): return "sandbox: \(detail)"
        case .step(let location, let detail): return "\(location): error: \(detail)"
        case .confinement(let detail): return "sandbox confinement: \(detail)"
        case .entitlement(let location, let what, let entitlement):
            return "\(location): error: \(what) needs the \(entitlement) entitlement, which this build was not started with: add --allow \(entitlement) to mab build (only for recipes you trust)"
        case .interrupted: return "interrupted: the build stopped; sandboxes ended, mounts undone, nothing half-written"
        case .emulationUnavailable(let location, let platform, let rows):
            return "\(location): RUN for \(platform) cannot run on this machine (mab doctor --platform \(platform) shows every check):\n" + rows.joined(separator: "\n")
        case .commandFailed(let command, let status, let output):
            return "\(command) exited with status \(status)" + (output.isEmpty ? "" : "\n\(output)")
        }
    }
}
