/// One step of an image's history (`empty_layer` steps made no layer).
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var created: String?
    public var createdBy: String?
    public var author: String?
    public var comment: String?
    public var emptyLayer: Bool?

    enum CodingKeys: String, CodingKey {
        case created, author, comment
        case createdBy = "created_by"
        case emptyLayer = "empty_layer"
    }

    public init(created: String? = nil, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool? = nil) {
        self.created = created
        self.createdBy = createdBy
        self.comment = comment
        self.emptyLayer = emptyLayer
    }
}
