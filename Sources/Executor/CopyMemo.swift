import Foundation
import OCI

/// Shares the work of identical COPY steps between the platforms of one build: the first
/// to ask for a key makes the files and the layer, the others wait for it and reuse both
/// (the directory is read-only from then on, a lower for every platform's later steps).
final class CopyMemo: @unchecked Sendable {
    struct Made: Sendable {
        var directory: String
        var layer: LayerResult
    }

    private enum State {
        case making
        case made(Result<Made, any Error>)
    }

    private let condition = NSCondition()
    private var states: [String: State] = [:]

    func run(_ key: String, _ make: () throws -> Made) throws -> Made {
        condition.lock()
        while true {
            switch states[key] {
            case .made(let result)?:
                condition.unlock()
                return try result.get()
            case .making?:
                condition.wait()
            case nil:
                states[key] = .making
                condition.unlock()
                let result = Result { try make() }
                condition.lock()
                states[key] = .made(result)
                condition.broadcast()
                condition.unlock()
                return try result.get()
            }
        }
    }
}
