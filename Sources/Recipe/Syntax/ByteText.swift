/// Byte-level helpers over UTF-8 recipe text. The parser works on bytes (not Characters)
/// so that a 20,000-line recipe parses in milliseconds; these mirror the Go functions
/// BuildKit uses (`unicode.IsSpace`, `bytes.TrimLeftFunc`, …) byte for byte.
enum ByteText {
    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }

    /// `[\t\v\f\r ]`: the separators of BuildKit's `reWhitespace`.
    @inline(__always)
    static func isSeparator(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C || b == 0x0D
    }

    /// Width of a `unicode.IsSpace` character starting at `i`, or 0.
    static func spaceWidth(_ s: [UInt8], at i: Int, end: Int) -> Int {
        let b = s[i]
        if b < 0x80 { return isASCIISpace(b) ? 1 : 0 }
        let rem = end - i
        if b == 0xC2, rem >= 2, s[i + 1] == 0x85 || s[i + 1] == 0xA0 { return 2 }
        if rem >= 3 {
            let b1 = s[i + 1], b2 = s[i + 2]
            if b == 0xE1, b1 == 0x9A, b2 == 0x80 { return 3 }
            if b == 0xE2, b1 == 0x80, (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF { return 3 }
            if b == 0xE2, b1 == 0x81, b2 == 0x9F { return 3 }
            if b == 0xE3, b1 == 0x80, b2 == 0x80 { return 3 }
        }
        return 0
    }

    /// Width of a `unicode.IsSpace` character ending just before `end`, or 0.
    static func spaceWidthBefore(_ s: [UInt8], start: Int, end: Int) -> Int {
        let b = s[end - 1]
        if b < 0x80 { return isASCIISpace(b) ? 1 : 0 }
        if end - start >= 2, spaceWidth(s, at: end - 2, end: end) == 2 { return 2 }
        if end - start >= 3, spaceWidth(s, at: end - 3, end: end) == 3 { return 3 }
        return 0
    }

    /// Drops leading white space; also returns how many characters were dropped.
    static func trimLeft(_ s: [UInt8], _ r: Range<Int>) -> (Range<Int>, Int) {
        var i = r.lowerBound
        var skipped = 0
        while i < r.upperBound {
            let w = spaceWidth(s, at: i, end: r.upperBound)
            if w == 0 { break }
            i += w
            skipped += 1
        }
        return (i..<r.upperBound, skipped)
    }

    static func trimRight(_ s: [UInt8], _ r: Range<Int>) -> Range<Int> {
        var e = r.upperBound
        while e > r.lowerBound {
            let w = spaceWidthBefore(s, start: r.lowerBound, end: e)
            if w == 0 { break }
            e -= w
        }
        return r.lowerBound..<e
    }

    static func trim(_ s: [UInt8], _ r: Range<Int>) -> Range<Int> {
        trimRight(s, trimLeft(s, r).0)
    }

    /// `bytes.TrimRight(src, "\r\n")`.
    static func trimNewline(_ s: [UInt8], _ r: Range<Int>) -> Range<Int> {
        var e = r.upperBound
        while e > r.lowerBound, s[e - 1] == 0x0A || s[e - 1] == 0x0D { e -= 1 }
        return r.lowerBound..<e
    }

    static func string(_ s: [UInt8], _ r: Range<Int>) -> String {
        String(decoding: s[r], as: UTF8.self)
    }

    /// Number of Unicode scalars in `s[r]` (for columns).
    static func scalarCount(_ s: [UInt8], _ r: Range<Int>) -> Int {
        var n = 0
        for i in r where s[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
