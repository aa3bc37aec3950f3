/// Somewhere bytes go, in order (a store blob, a file, a hasher).
public protocol ByteSink: AnyObject {
    func write(_ buffer: UnsafeRawBufferPointer) throws
}

extension BlobWriter: ByteSink {}
