/// One layer position of two images whose layers differ, compared entry by entry as the
/// tars hold them: every path's header and content, the whiteouts, the entries' order.
public struct LayerDifference: Sendable, Hashable, Codable {
    /// 1-based, as in the digest table.
    public var index: Int
    /// The step that made the layer, from the first image's history.
    public var createdBy: String?
    /// Paths added, removed or changed in this layer (whiteouts as `PATH (whiteout)`).
    public var files: [FileChange]
    /// Where the order of the entries both layers hold first differs.
    public var order: FieldDifference?
    /// What the layer-level difference suggests, in plain words.
    public var hints: [String]

    public init(index: Int, createdBy: String?, files: [FileChange] = [], order: FieldDifference? = nil, hints: [String] = []) {
        self.index = index
        self.createdBy = createdBy
        self.files = files
        self.order = order
        self.hints = hints
    }
}
