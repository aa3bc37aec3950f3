import Foundation
import OCI
import Plan

/// The buildctl program, and the two things mab asks of it: what a node is (`debug
/// workers`) and a build (`build … --output type=oci,dest=-`), whose OCI
/// stream goes straight into the store and whose rawjson progress becomes build events.
public struct Buildctl: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `MAB_BUILDCTL`, else `buildctl` on PATH.
    public static func locate(environment: [String: String]) throws(BuilderError) -> Buildctl {
        if let p = environment["MAB_BUILDCTL"], !p.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: p) else { throw .buildctlMissing }
            return Buildctl(path: p)
        }
        guard let p = ToolRun.which("buildctl", environment: environment) else { throw .buildctlMissing }
        return Buildctl(path: p)
    }

    /// What `node` builds and its BuildKit version; a clear error when it does not answer.
    public func probe(_ node: BuilderNode, timeout: TimeInterval = 20) throws -> NodeCapabilities {
        try node.tls?.validate()
        guard let answer = ToolRun.run(path, node.connectionArguments + ["debug", "workers", "--format", "{{json .}}"], timeout: timeout) else {
            throw BuilderError.buildctlMissing
        }
        let (status, out, err) = (answer.status, answer.stdout, answer.stderr)
        guard status == 0 else {
            let last = err.split(separator: "\n").last.map(String.init) ?? "buildctl exited with status \(status)"
            let lower = last.lowercased()
            if node.address.scheme == .tcp, ["tls", "certificate", "handshake", "broken pipe", "connection reset"].contains(where: lower.contains) {
                throw BuilderError.tlsRejected(node: node.name, address: node.address.description, detail: last)
            }
            throw BuilderError.unreachable(node: node.name, address: node.address.description, detail: last)
        }
        // One question: each worker names its platforms (the native one first) and the
        // daemon's version.
        struct Worker: Decodable {
            struct Version: Decodable { var version: String? }
            var platforms: [Platform]?
            var buildkitVersion: Version?
        }
        let workers = (try? JSONDecoder().decode([Worker].self, from: Data(out.utf8))) ?? []
        var reported: [Platform] = []
        for w in workers { for p in w.platforms ?? [] where !reported.contains(p) { reported.append(p) } }
        let version = workers.lazy.compactMap { $0.buildkitVersion?.version }.first
        return NodeCapabilities(node: node, reported: reported, version: version)
    }

    /// Builds `request` on the assignment's node: the OCI stream is read into `store` as it
    /// comes, the progress is decoded into `events`. `stop` stops buildctl (SIGINT, then
    /// SIGKILL after five seconds).
    public func build(_ assignment: NodeAssignment, request: BuildctlRequest, store: ContentStore, stop: (any StopSwitch)?,
                      events: @escaping @Sendable (BuildEvent) -> Void) throws -> BuildctlResult {
        try assignment.node.tls?.validate()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = request.arguments(connection: assignment.node.connectionArguments)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw BuilderError.buildctlMissing }
        let pid = process.processIdentifier
        let exited = Locked(false)
        let decoder = Locked(RawJSONDecoder(node: assignment.node.name, platforms: assignment.platforms))
        let stderrTail = Locked([String]())
        let reading = DispatchGroup()
        BlockingThreads.start(in: reading) {
            var splitter = LineBuffer()
            let handle = err.fileHandleForReading
            while true {
                let chunk = handle.availableData
                let lines = chunk.isEmpty ? splitter.finish() : splitter.add(chunk)
                for line in lines {
                    let evs = decoder.withLock { $0.feed(line) }
                    if evs.isEmpty, !line.hasPrefix("{") { stderrTail.withLock { $0 = Array(($0 + [line]).suffix(20)) } }
                    for e in evs { events(e) }
                }
                if chunk.isEmpty { break }
            }
        }
        let imported: Result<ImageIndex, any Error> = {
            let body = { () -> Result<ImageIndex, any Error> in
                Result { try OCIArchiveStream(store: store).read("/dev/fd/\(out.fileHandleForReading.fileDescriptor)", what: "buildctl output of node \(assignment.node.name)") }
            }
            guard let stop else { return body() }
            return stop.whileRunning(stop: {
                kill(pid, SIGINT)
                DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if !exited.value { kill(pid, SIGKILL) } }
            }, body)
        }()
        // Whatever the reader did, buildctl must not block on a full pipe.
        _ = try? out.fileHandleForReading.readToEnd()
        reading.wait()
        process.waitUntilExit()
        // Never a signal to a pid that may be another process's by then.
        exited.value = true
        let d = decoder.value
        guard process.terminationStatus == 0, case .success(let index) = imported else {
            let detail = d.lastError.map { "\($0.vertex): \($0.error)" } ?? stderrTail.value.last ?? ""
            if stop?.isCancelled == true { throw BuildctlFailure.interrupted(node: assignment.node.name) }
            throw BuildctlFailure.failed(node: assignment.node.name, status: process.terminationStatus, detail: detail,
                                        stderr: stderrTail.value, importError: { if case .failure(let e) = imported { return "\(e)" } else { return nil } }(),
                                        step: d.lastError.flatMap { VertexName($0.vertex) }, location: nil)
        }
        var digest: String?
        if let bytes = try? FileSystem.readFile(request.metadataFile),
           let json = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
            digest = json["containerimage.digest"] as? String
        }
        return BuildctlResult(assignment: assignment, index: index, imageDigest: digest, cachedSteps: d.cachedSteps, executedSteps: d.executedSteps, warnings: d.warnings)
    }
}
