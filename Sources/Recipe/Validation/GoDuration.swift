/// Go's `time.ParseDuration` ("300ms", "1.5h", "2h45m"), as HEALTHCHECK flags take it.
enum GoDuration {
    /// Nanoseconds, or nil when the text is not a duration.
    static func parse(_ text: String) -> Int64? {
        var s = Array(text.utf8)[...]
        var negative = false
        if let f = s.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        if s.elementsEqual([UInt8(ascii: "0")]) { return 0 }
        if s.isEmpty { return nil }
        func isNumber(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") }
        var total: Double = 0
        while !s.isEmpty {
            let number = s.prefix(while: isNumber)
            guard !number.isEmpty, number.filter({ $0 == UInt8(ascii: ".") }).count <= 1,
                !number.elementsEqual([UInt8(ascii: ".")]),
                let value = Double(String(decoding: number, as: UTF8.self))
            else { return nil }
            s = s.dropFirst(number.count)
            let unit = s.prefix(while: { !isNumber($0) })
            s = s.dropFirst(unit.count)
            let scale: Double
            switch String(decoding: unit, as: UTF8.self) {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
            if total > Double(Int64.max) { return nil }
        }
        return negative ? -Int64(total) : Int64(total)
    }
}
