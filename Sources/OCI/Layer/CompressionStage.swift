/// Takes the uncompressed tar stream and writes the compressed stream to its output.
protocol CompressionStage: ByteSink {
    /// Flushes everything; the output is complete when this returns.
    func finish() throws
}

/// `none`: the tar stream as is.
final class PassThroughStage: CompressionStage {
    private let output: any ByteSink
    init(output: any ByteSink) { self.output = output }
    func write(_ buffer: UnsafeRawBufferPointer) throws { try output.write(buffer) }
    func finish() throws {}
}
