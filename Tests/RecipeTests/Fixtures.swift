import Foundation

/// Test data shipped in the repository (never read from outside it).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let conformance = root.appendingPathComponent("buildkit-dockerfile")

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: conformance.appendingPathComponent(relative))
    }

    static func directories(_ relative: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: conformance.appendingPathComponent(relative).path).sorted()
    }
}
