/// One `key=value` of ENV or LABEL, quotes as written (expanded when the step runs).
public struct KeyValue: Sendable, Hashable, Encodable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
