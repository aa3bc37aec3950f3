/// The order entries take in a layer: a depth-first walk with siblings sorted by their
/// bytes — the same as comparing paths with `/` sorting before every other byte. Parents
/// always come before their children.
enum PathOrder {
    static func precedes(_ a: String, _ b: String) -> Bool {
        var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x == y { continue }
                let kx: UInt8 = x == 0x2F ? 0 : x, ky: UInt8 = y == 0x2F ? 0 : y
                return kx < ky
            }
        }
    }
}
