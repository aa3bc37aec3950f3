import ArgumentParser
import Foundation
import OCI

/// Where the content store lives (`MAB_HOME`, see docs/store.md).
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("home"), help: "The content store directory (default: $MAB_HOME, $XDG_DATA_HOME/mab, or /var/lib/mab as root).")
    var home: String?

    func open() throws -> ContentStore {
        try ContentStore(root: home ?? ContentStore.defaultRoot(environment: ProcessInfo.processInfo.environment))
    }
}
