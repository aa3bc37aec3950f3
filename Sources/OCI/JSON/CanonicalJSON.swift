/// The one JSON encoder for everything mab writes: keys sorted by their UTF-8 bytes, no
/// insignificant white space, `/` not escaped, only `"`, `\` and control characters
/// escaped. The same value always gives the same bytes, so digests are stable.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = JSONNode()
        try value.encode(to: JSONNodeEncoder(node: root, codingPath: []))
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        root.write(to: &out)
        return out
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A mutable JSON tree node the encoder fills in.
final class JSONNode {
    enum Kind {
        case unset, null, bool(Bool), number(String), string(String)
        case array([JSONNode]), object([String: JSONNode])
    }

    var kind: Kind = .unset

    func write(to out: inout [UInt8]) {
        switch kind {
        case .unset, .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .number(let n): out.append(contentsOf: Array(n.utf8))
        case .string(let s): CanonicalJSON.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    func object() -> [String: JSONNode] {
        if case .object(let m) = kind { return m }
        kind = .object([:])
        return [:]
    }

    func setMember(_ key: String, _ node: JSONNode) {
        var m = object()
        m[key] = node
        kind = .object(m)
    }

    func append(_ node: JSONNode) {
        if case .array(var items) = kind {
            items.append(node)
            kind = .array(items)
        } else {
            kind = .array([node])
        }
    }
}

struct JSONNodeEncoder: Encoder {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        _ = node.object()
        return KeyedEncodingContainer(KeyedJSON<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.kind {} else { node.kind = .array([]) }
        return UnkeyedJSON(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSON(node: node, codingPath: codingPath)
    }
}

struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ i: Int) { stringValue = "\(i)"; intValue = i }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(intValue) }
}

struct SingleJSON: SingleValueEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.kind = .null }
    mutating func encode(_ value: Bool) throws { node.kind = .bool(value) }
    mutating func encode(_ value: String) throws { node.kind = .string(value) }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else { throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "non-finite number")) }
        node.kind = .number(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)")
    }
    mutating func encode(_ value: Float) throws { try encode(Double(value)) }
    mutating func encode(_ value: Int) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: Int8) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: Int16) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: Int32) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: Int64) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: UInt) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: UInt8) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: UInt16) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: UInt32) throws { node.kind = .number(String(value)) }
    mutating func encode(_ value: UInt64) throws { node.kind = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: JSONNodeEncoder(node: node, codingPath: codingPath))
    }
}

struct KeyedJSON<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [any CodingKey]

    private func child(_ key: Key) -> JSONNode {
        let c = JSONNode()
        node.setMember(key.stringValue, c)
        return c
    }

    mutating func encodeNil(forKey key: Key) throws { child(key).kind = .null }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: JSONNodeEncoder(node: child(key), codingPath: codingPath + [key]))
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let c = child(key)
        c.kind = .object([:])
        return KeyedEncodingContainer(KeyedJSON<NestedKey>(node: c, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let c = child(key)
        c.kind = .array([])
        return UnkeyedJSON(node: c, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { JSONNodeEncoder(node: node, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { JSONNodeEncoder(node: child(key), codingPath: codingPath + [key]) }
}

struct UnkeyedJSON: UnkeyedEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = node.kind { return items.count }
        return 0
    }

    private func next() -> JSONNode {
        let c = JSONNode()
        node.append(c)
        return c
    }

    mutating func encodeNil() throws { next().kind = .null }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = JSONIndexKey(count)
        try value.encode(to: JSONNodeEncoder(node: next(), codingPath: codingPath + [key]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let c = next()
        c.kind = .object([:])
        return KeyedEncodingContainer(KeyedJSON<NestedKey>(node: c, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let c = next()
        c.kind = .array([])
        return UnkeyedJSON(node: c, codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder { JSONNodeEncoder(node: next(), codingPath: codingPath) }
}
