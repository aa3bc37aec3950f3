import Foundation
import Testing

@testable import OCI

/// The CPUs mab may use follow its affinity, as `nproc` counts them.
struct CPUsTests {
    @Test func followsTheAffinityMask() throws {
        #expect(CPUs.available >= 1 && CPUs.available <= ProcessInfo.processInfo.activeProcessorCount)
        let nproc = Process()
        nproc.executableURL = URL(fileURLWithPath: "/usr/bin/nproc")
        let out = Pipe()
        nproc.standardOutput = out
        try nproc.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        nproc.waitUntilExit()
        #expect(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) == CPUs.available)
    }
}
