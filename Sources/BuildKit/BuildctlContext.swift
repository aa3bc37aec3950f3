import OCI

/// A named build context as buildctl is given it: a local directory it sends, an image
/// it pulls, or an image in a local OCI layout it reads, named by digest (BuildKit's
/// dockerfile frontend takes no tag for a layout: `oci-layout://NAME@DIGEST`, as buildx
/// resolves it before asking).
public enum BuildctlContext: Sendable, Hashable {
    case local(directory: String)
    case image(reference: String)
    case ociLayout(directory: String, digest: Digest)
}
