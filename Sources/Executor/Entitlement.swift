/// What a build may grant a RUN beyond the sandbox, spelled as BuildKit's entitlements
/// (`buildctl build --allow …`); a recipe asks, the person starting the build allows.
public enum Entitlement: String, Sendable, Hashable, CaseIterable {
    /// `RUN --security=insecure`: every capability, no seccomp filter, no masked paths.
    case securityInsecure = "security.insecure"
    /// `RUN --network=host`: the host's network namespace, asked for by name.
    case networkHost = "network.host"
}
