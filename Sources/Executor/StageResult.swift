import OCI

/// A built stage for one platform: the directories its root filesystem is stacked from
/// (bottom first), its layers, and its image config so far.
struct StageResult {
    var lowers: [String]
    var layers: [Descriptor]
    var diffIDs: [Digest]
    var config: ImageConfig
    /// Per layer: the step that made it, or nil for a base image's layers.
    var provenance: [LayerProvenance?] = []
    /// Whether this stage's own CMD is set (not inherited): ENTRYPOINT keeps it then.
    var cmdSet = false
}
