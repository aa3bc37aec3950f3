/// Docker's health check config, durations in nanoseconds.
public struct HealthConfig: Sendable, Hashable, Codable {
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var startInterval: Int64?
    public var retries: Int?

    enum CodingKeys: String, CodingKey {
        case test = "Test", interval = "Interval", timeout = "Timeout", startPeriod = "StartPeriod"
        case startInterval = "StartInterval", retries = "Retries"
    }

    public init(test: [String]?) { self.test = test }
}
