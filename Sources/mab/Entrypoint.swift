import MabCLI

/// Synchronous on purpose: no command awaits anything, and an async main would start
/// Swift's concurrency runtime (and its threads) for every invocation.
@main
struct Entrypoint {
    static func main() {
        MabCommand.main()
    }
}
