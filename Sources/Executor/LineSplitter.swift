/// Cuts a stream of output chunks into whole lines (a final partial line is given by
/// `finish`); carriage returns end a line too, so progress bars do not pile up.
struct LineSplitter {
    private var pending: [UInt8] = []
    private var afterReturn = false
    /// Lines longer than this are cut, so one runaway line cannot grow without bound.
    static let maxLine = 4096

    mutating func feed(_ chunk: some Sequence<UInt8>, _ line: (String) -> Void) {
        for byte in chunk {
            if byte == 0x0A || byte == 0x0D {
                // "\r\n" is one line end.
                if !(byte == 0x0A && afterReturn) { line(String(decoding: pending, as: UTF8.self)) }
                pending.removeAll(keepingCapacity: true)
            } else if pending.count < Self.maxLine {
                pending.append(byte)
            }
            afterReturn = byte == 0x0D
        }
    }

    mutating func finish(_ line: (String) -> Void) {
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
        pending.removeAll()
    }
}
