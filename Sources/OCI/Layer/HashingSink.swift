/// Hashes and counts bytes on their way to another sink.
public final class HashingSink: ByteSink {
    public let hasher = SHA256Hasher()
    private let next: (any ByteSink)?

    public init(forwardingTo next: (any ByteSink)?) { self.next = next }

    public var count: Int64 { hasher.count }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        hasher.update(buffer)
        try next?.write(buffer)
    }
}
