//! The input limits, in one place: the loader enforces them and the README's "Input limits"
//! paragraph quotes them. Each error names its limit (`limit: document size`), so a user who
//! meets one knows which. Real manifests stay far below every one of them: Istio's
//! `crd-all.gen.yaml` is 0.9 MB with 15 documents, nests 28 levels and uses no aliases.

use super::node::ParseLimits;

/// Bytes one source (a file, stdin, a URL's body) may hold. Reading stops past it, so a
/// runaway stream cannot exhaust memory.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024 * 1024;

/// Bytes one YAML document (between `---` lines) or one JSON file may hold. The API server
/// refuses single objects of more than about 3 MB; the headroom is for `kind: List` exports
/// (`kubectl get -o yaml` of a whole namespace is one document).
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;

/// Documents one source may hold.
pub const MAX_DOCUMENTS: usize = 10_000;

/// Nesting depth of sequences and mappings.
pub const MAX_DEPTH: usize = ParseLimits::DEFAULT.max_depth;

/// Nodes anchors and aliases may copy within one source, over all its documents (an alias
/// copies its anchor's whole tree, which is how a "billion laughs" document grows).
pub const MAX_ALIAS_NODES: usize = ParseLimits::DEFAULT.max_alias_nodes;

/// `64 MiB`, for messages.
pub fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// The message for a source that is larger than [`MAX_SOURCE_BYTES`].
pub fn source_too_large() -> String {
    format!(
        "larger than {} (limit: source size); split it into smaller files",
        mib(MAX_SOURCE_BYTES)
    )
}
