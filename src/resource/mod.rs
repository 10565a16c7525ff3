//! The resource model: parsed documents that keep their source positions, typed views of the
//! kinds analyzers read, and the indexed [`Snapshot`] analyzers query.

pub mod document;
pub mod edit;
pub mod json;
pub mod kind;
pub mod limits;
pub mod node;
pub mod selector;
pub mod snapshot;
pub mod views;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use document::{LoadIssue, LoadOptions, Severity, parse_source};
pub use kind::Kind;
pub use node::{Node, Pos};
pub use selector::Selector;
pub use snapshot::{Snapshot, Workload};

/// Labels or annotations.
pub type Labels = BTreeMap<String, String>;

/// A text that resources were read from: a file, stdin, a URL.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceText {
    /// The name shown to the user: the path as given or walked, `-` for stdin, or the URL.
    pub name: String,
    pub text: String,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<SourceText> {
        Arc::new(SourceText {
            name: name.into(),
            text: text.into(),
        })
    }

    /// Byte offset of a position, for snippets.
    pub fn offset_of(&self, pos: Pos) -> Option<usize> {
        let line_start = if pos.line <= 1 {
            0
        } else {
            let mut seen = 1;
            let mut found = None;
            for (i, b) in self.text.bytes().enumerate() {
                if b == b'\n' {
                    seen += 1;
                    if seen == pos.line {
                        found = Some(i + 1);
                        break;
                    }
                }
            }
            found?
        };
        let line = &self.text[line_start..];
        let col_bytes = line
            .char_indices()
            .nth(pos.col.saturating_sub(1) as usize)
            .map(|(i, _)| i)
            .unwrap_or(0);
        Some(line_start + col_bytes)
    }
}

/// Where a resource came from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// A document in a file (or stdin, or a URL); `line` is the document's first line.
    File { source: Arc<SourceText>, line: u32 },
    /// An object read from the API server.
    Cluster,
    /// Built by meshdeck (mesh config, mesh networks).
    Synthetic,
}

/// One object: its identity, metadata and the whole document tree.
#[derive(Clone, Debug)]
pub struct Resource {
    /// Index in the snapshot that holds it (set when the snapshot is built).
    pub id: usize,
    pub kind: Kind,
    /// `apiVersion` as written (or as the API server sent it).
    pub api_version: String,
    /// `kind` as written: what a [`Kind::Other`] resource is (for the kinds we read it is
    /// `kind.info().kind`).
    pub kind_name: String,
    pub name: String,
    /// Empty for cluster-scoped kinds (and, in the conformance harness, for namespace-less ones).
    pub namespace: String,
    pub labels: Labels,
    pub annotations: Labels,
    pub origin: Origin,
    pub doc: Node,
}

impl Resource {
    /// Builds a resource from a document node whose `apiVersion`/`kind` are already known.
    pub fn from_node(kind: Kind, api_version: &str, doc: Node, origin: Origin) -> Resource {
        let meta = doc.path(&["metadata"]);
        let collect = |key: &str| -> Labels {
            meta.path(&[key])
                .string_map()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let kind_name = match doc.path(&["kind"]).as_str() {
            Some(k) if !k.is_empty() => k.to_string(),
            _ => kind.info().kind.to_string(),
        };
        Resource {
            id: 0,
            kind,
            api_version: api_version.to_string(),
            kind_name,
            name: meta.path(&["name"]).text().to_string(),
            namespace: if kind.info().namespaced {
                meta.path(&["namespace"]).text().to_string()
            } else {
                String::new()
            },
            labels: collect("labels"),
            annotations: collect("annotations"),
            origin,
            doc,
        }
    }

    /// Builds a resource from a JSON object (one read from the API server, or made by a
    /// command), recognising its kind from its own `apiVersion` and `kind`.
    pub fn from_json(object: &serde_json::Value, origin: Origin) -> Resource {
        let doc = json::from_json(object);
        let api_version = doc.path(&["apiVersion"]).text().to_string();
        let kind = Kind::of(&api_version, doc.path(&["kind"]).text());
        Resource::from_node(kind, &api_version, doc, origin)
    }

    /// True for the kinds meshdeck reads (analyzers, views); false for [`Kind::Other`].
    pub fn is_known(&self) -> bool {
        self.kind != Kind::Other
    }

    pub fn spec(&self) -> &Node {
        self.doc.path(&["spec"])
    }

    /// `spec` for editing; an absent or null `spec` becomes an empty mapping first. `None`
    /// when `spec` is not a mapping.
    pub fn spec_mut(&mut self) -> Option<&mut Node> {
        self.doc.map_entry_mut("spec")
    }

    /// The whole object as JSON, as the API server takes it (scalars typed by YAML 1.2's
    /// core schema, as `kubectl` does).
    pub fn to_json(&self) -> serde_json::Value {
        json::to_json(&self.doc)
    }

    /// The whole object as one YAML document (without a leading `---`).
    pub fn to_yaml(&self) -> String {
        serde_saphyr::to_string(&self.to_json()).expect("JSON values always serialize as YAML")
    }

    /// `Kind ns/name`, or `Kind name` without a namespace: the form istioctl shows and
    /// suppression globs match.
    pub fn friendly_name(&self) -> String {
        let kind: &dyn fmt::Display = if self.kind == Kind::Other {
            &self.kind_name
        } else {
            &self.kind
        };
        if self.namespace.is_empty() {
            format!("{kind} {}", self.name)
        } else {
            format!("{kind} {}/{}", self.namespace, self.name)
        }
    }

    /// `ns/name` (or `name`), as analyzers quote resources in message text.
    pub fn full_name(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }

    /// The source file, if the resource was read from one.
    pub fn source(&self) -> Option<&Arc<SourceText>> {
        match &self.origin {
            Origin::File { source, .. } => Some(source),
            _ => None,
        }
    }

    /// Position of a field (`spec.selector.istio`), falling back to the document start.
    pub fn position_of(&self, field: Option<&str>) -> Option<Pos> {
        let doc_line = match &self.origin {
            Origin::File { line, .. } => *line,
            _ => return None,
        };
        field.and_then(|f| self.doc.locate(f)).or(Some(Pos {
            line: doc_line,
            col: 1,
        }))
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.friendly_name())
    }
}
