import Dispatch
import Executor

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM while a build runs: instead of killing mab mid-write, they cancel
/// the build, which kills its sandboxes, undoes its mounts and exits 130. Restored to
/// their defaults when the trap goes away.
final class SignalTrap {
    private var sources: [any DispatchSourceSignal] = []

    init(_ cancellation: Cancellation, log: @escaping @Sendable (String) -> Void) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log("\(name): stopping the build")
                cancellation.cancel()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
