//! From a source text to resources: document splitting, parsing, `kind: List` expansion,
//! recognition of kinds and the defaulting the API server would apply.

use std::sync::Arc;

use rayon::prelude::*;

use super::node::{self, Node, Pos};
use super::{Kind, Origin, Resource, SourceText, limits};

/// How resources read from files are completed.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Namespace given to namespaced resources that have none (`None`: leave it empty, as
    /// Istio's analyzer test harness does).
    pub default_namespace: Option<String>,
    /// Apply the defaults the API server would (a Service port without `protocol` is TCP).
    pub apply_defaults: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            default_namespace: Some("default".into()),
            apply_defaults: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth saying; does not change the exit code.
    Note,
    /// The input could not be used: exit code 65.
    Error,
}

/// A problem with the input itself, reported apart from analysis messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadIssue {
    pub severity: Severity,
    /// File, `-` or URL.
    pub source: String,
    pub pos: Option<Pos>,
    pub message: String,
    /// The text the position points into, for snippets (attached by `source::Loaded`).
    pub text: Option<std::sync::Arc<SourceText>>,
}

impl LoadIssue {
    pub fn error(source: &str, pos: Option<Pos>, message: impl Into<String>) -> LoadIssue {
        LoadIssue {
            severity: Severity::Error,
            source: source.to_string(),
            pos,
            message: message.into(),
            text: None,
        }
    }

    pub fn note(source: &str, pos: Option<Pos>, message: impl Into<String>) -> LoadIssue {
        LoadIssue {
            severity: Severity::Note,
            ..LoadIssue::error(source, pos, message)
        }
    }

    /// `file:line:col` (or less, when the position is unknown).
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.source, p.line, p.col),
            None => self.source.clone(),
        }
    }
}

/// Parses every document of a source. Problems in one document do not stop the others.
///
/// Every object becomes a resource: kinds meshdeck reads get their [`Kind`], any other kind
/// becomes [`Kind::Other`] with its `apiVersion`/`kind` and its whole tree, so commands that
/// carry objects (install, traffic-shift) lose nothing. Only the kinds we read must have a
/// `metadata.name` here and get the default namespace; other kinds are kept as written.
/// The limits of [`super::limits`] apply; each error names the one it met.
pub fn parse_source(
    source: &Arc<SourceText>,
    opts: &LoadOptions,
) -> (Vec<Resource>, Vec<LoadIssue>) {
    let mut resources = Vec::new();
    let mut issues = Vec::new();
    let name = source.name.as_str();
    if source.text.trim().is_empty() {
        issues.push(LoadIssue::note(
            name,
            None,
            "the file is empty; nothing to analyze",
        ));
        return (resources, issues);
    }
    if source.text.len() > limits::MAX_SOURCE_BYTES {
        issues.push(LoadIssue::error(name, None, limits::source_too_large()));
        return (resources, issues);
    }
    let is_json = name.ends_with(".json");
    let chunks = if is_json {
        vec![(0u32, source.text.as_str())]
    } else {
        split_documents(&source.text)
    };
    // The documents are parsed apart, on every core (see [`parse_chunk`]); what one source
    // shares over its documents (the alias budget, the document count, the order of the
    // results) is settled afterwards, in document order, so the outcome is the one a reader
    // going through the file from the top would reach.
    let parsed: Vec<Chunk> = chunks
        .par_iter()
        .with_min_len(CHUNKS_PER_TASK)
        .map(|&(line_offset, chunk)| parse_chunk(source, chunk, line_offset, opts))
        .collect();
    let mut documents = 0usize;
    // One budget for the whole source: the documents are parsed apart, but an alias bomb
    // spread over many of them is still one bomb.
    let mut alias_budget = limits::MAX_ALIAS_NODES;
    for (parsed, &(line_offset, chunk)) in parsed.into_iter().zip(&chunks) {
        let docs = match parsed {
            Chunk::Blank => continue,
            Chunk::Issue(issue) => {
                issues.push(issue);
                continue;
            }
            // Parsed with the whole budget to itself: right as it is when what it copied is
            // still left (or nothing was taken yet); otherwise parsed again with what is left,
            // which fails where a reader from the top would have.
            Chunk::Parsed { docs, alias_nodes }
                if alias_budget == limits::MAX_ALIAS_NODES
                    || (docs.is_ok() && alias_nodes <= alias_budget) =>
            {
                alias_budget -= alias_nodes.min(alias_budget);
                docs
            }
            Chunk::Parsed { .. } => {
                reparse_chunk(source, chunk, line_offset, opts, &mut alias_budget)
            }
        };
        match docs {
            Err(issue) => issues.push(issue),
            Ok(docs) => {
                for doc in docs {
                    documents += 1;
                    if documents > limits::MAX_DOCUMENTS {
                        issues.push(LoadIssue::error(
                            name,
                            Some(doc.pos),
                            format!(
                                "more than {} documents in one source (limit: documents); \
                                 the rest is not read",
                                limits::MAX_DOCUMENTS
                            ),
                        ));
                        return (resources, issues);
                    }
                    resources.extend(doc.resources);
                    issues.extend(doc.issues);
                }
            }
        }
    }
    (resources, issues)
}

/// Chunks (documents, mostly) one parallel task takes at least: enough to outweigh handing
/// the work over, few enough that both cores get a share of a small file.
const CHUNKS_PER_TASK: usize = 16;

/// One chunk between `---` lines, parsed on its own.
enum Chunk {
    /// Nothing but blank lines, comments and separators.
    Blank,
    /// Larger than the document size limit.
    Issue(LoadIssue),
    /// Its documents (or the error that stopped it), parsed with the whole alias budget, and
    /// the nodes its aliases copied.
    Parsed {
        docs: Result<Vec<ParsedDocument>, LoadIssue>,
        alias_nodes: usize,
    },
}

/// What one document gave: its position (where the document-count limit points) and its
/// resources and issues.
struct ParsedDocument {
    pos: Pos,
    resources: Vec<Resource>,
    issues: Vec<LoadIssue>,
}

fn parse_chunk(
    source: &Arc<SourceText>,
    chunk: &str,
    line_offset: u32,
    opts: &LoadOptions,
) -> Chunk {
    let Some(doc_line) = first_content_line(chunk).map(|l| l + line_offset) else {
        return Chunk::Blank;
    };
    if chunk.len() > limits::MAX_DOCUMENT_BYTES {
        return Chunk::Issue(LoadIssue::error(
            &source.name,
            Some(Pos {
                line: doc_line,
                col: 1,
            }),
            format!(
                "this document is larger than {} (limit: document size)",
                limits::mib(limits::MAX_DOCUMENT_BYTES)
            ),
        ));
    }
    let mut budget = limits::MAX_ALIAS_NODES;
    let docs = parse_documents(source, chunk, line_offset, doc_line, opts, &mut budget);
    Chunk::Parsed {
        docs,
        alias_nodes: limits::MAX_ALIAS_NODES - budget,
    }
}

/// A chunk parsed with what is left of the source's alias budget.
fn reparse_chunk(
    source: &Arc<SourceText>,
    chunk: &str,
    line_offset: u32,
    opts: &LoadOptions,
    alias_budget: &mut usize,
) -> Result<Vec<ParsedDocument>, LoadIssue> {
    let doc_line = first_content_line(chunk).map_or(1, |l| l + line_offset);
    parse_documents(source, chunk, line_offset, doc_line, opts, alias_budget)
}

fn parse_documents(
    source: &Arc<SourceText>,
    chunk: &str,
    line_offset: u32,
    doc_line: u32,
    opts: &LoadOptions,
    alias_budget: &mut usize,
) -> Result<Vec<ParsedDocument>, LoadIssue> {
    let docs =
        node::parse_documents_within(chunk, line_offset, node::ParseLimits::DEFAULT, alias_budget)
            .map_err(|e| {
                LoadIssue::error(
                    &source.name,
                    Some(clamp_to_chunk(e.pos, chunk, line_offset)),
                    format!("invalid YAML: {}", e.message),
                )
            })?;
    Ok(docs
        .into_iter()
        .map(|doc| {
            let pos = doc.pos;
            let line = if doc.pos.line >= doc_line {
                doc_line
            } else {
                doc.pos.line
            };
            let mut resources = Vec::new();
            let mut issues = Vec::new();
            add_document(source, doc, line, opts, &mut resources, &mut issues);
            ParsedDocument {
                pos,
                resources,
                issues,
            }
        })
        .collect())
}

/// Splits at lines that hold only `---`, as kubectl and istioctl do, so that one broken document
/// does not hide the others. Returns `(lines before the chunk, chunk)`.
///
/// Only the places where a line starts with `---` are looked at (a substring search, not a
/// walk over every line: on a large file this was a noticeable share of the run), and the
/// lines in between are counted, not split.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 0u32;
    // Lines counted up to `counted` (a line start), and where to search next.
    let mut counted = 0usize;
    let mut line_no = 0u32;
    let mut from = 0usize;
    let separator = memchr::memmem::Finder::new("---");
    while let Some(found) = separator.find(&text.as_bytes()[from..]) {
        let at = from + found;
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i + 1);
        from = end;
        if at > 0 && text.as_bytes()[at - 1] != b'\n' || !text[at + 3..end].trim_end().is_empty() {
            continue;
        }
        line_no += newlines(&text[counted..at]);
        counted = at;
        chunks.push((start_line, &text[start..at]));
        start = end;
        start_line = line_no + 1;
    }
    chunks.push((start_line, &text[start..]));
    chunks
}

fn newlines(s: &str) -> u32 {
    memchr::memchr_iter(b'\n', s.as_bytes()).count() as u32
}

/// A parser error at the end of input points past the last line; show it at the end of the last
/// line with content instead, which is where the reader has to look.
fn clamp_to_chunk(pos: Pos, chunk: &str, line_offset: u32) -> Pos {
    let lines: Vec<&str> = chunk.lines().collect();
    let Some(last) = lines.iter().rposition(|l| !l.trim().is_empty()) else {
        return pos;
    };
    let last_line = last as u32 + 1 + line_offset;
    if pos.line > last_line {
        Pos {
            line: last_line,
            col: lines[last].chars().count() as u32 + 1,
        }
    } else {
        pos
    }
}

/// The first line (1-based, within the chunk) that is neither blank nor a separator.
fn first_content_line(chunk: &str) -> Option<u32> {
    chunk
        .lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && t != "---" && !t.starts_with('#')
        })
        .map(|i| i as u32 + 1)
}

fn add_document(
    source: &Arc<SourceText>,
    doc: Node,
    line: u32,
    opts: &LoadOptions,
    out: &mut Vec<Resource>,
    issues: &mut Vec<LoadIssue>,
) {
    let name = source.name.as_str();
    if doc.is_null() {
        return;
    }
    if !doc.is_map() {
        issues.push(LoadIssue::error(
            name,
            Some(doc.pos),
            "expected a Kubernetes object (a mapping with apiVersion and kind), found a scalar or a list",
        ));
        return;
    }
    let kind_text = doc.path(&["kind"]).text().to_string();
    let api_version = doc.path(&["apiVersion"]).text().to_string();
    if kind_text.is_empty() {
        issues.push(LoadIssue::error(
            name,
            Some(doc.pos),
            "document has no `kind` field",
        ));
        return;
    }
    if api_version.is_empty() {
        let pos = doc.entry("kind").map(|e| e.key_pos).or(Some(doc.pos));
        issues.push(LoadIssue::error(
            name,
            pos,
            format!("document of kind {kind_text} has no `apiVersion` field"),
        ));
        return;
    }
    if kind_text == "List" || kind_text.ends_with("List") && doc.get("items").is_some() {
        let Node { value, .. } = doc;
        if let node::Value::Map(entries) = value {
            for e in entries {
                if e.key == "items"
                    && let node::Value::Seq(items) = e.value.value
                {
                    for item in items {
                        let item_line = item.pos.line;
                        add_document(source, item, item_line, opts, out, issues);
                    }
                }
            }
        }
        return;
    }
    let kind = Kind::of(&api_version, &kind_text);
    let origin = Origin::File {
        source: source.clone(),
        line,
    };
    let mut resource = Resource::from_node(kind, &api_version, doc, origin);
    if kind == Kind::Other {
        out.push(resource);
        return;
    }
    if resource.name.is_empty() {
        let pos = resource
            .doc
            .entry("metadata")
            .map(|e| e.key_pos)
            .or(Some(resource.doc.pos));
        issues.push(LoadIssue::error(
            name,
            pos,
            format!("{kind_text} has no `metadata.name`"),
        ));
        return;
    }
    if kind.info().namespaced
        && resource.namespace.is_empty()
        && let Some(ns) = &opts.default_namespace
    {
        resource.namespace = ns.clone();
    }
    if opts.apply_defaults {
        apply_defaults(&mut resource);
    }
    out.push(resource);
}

/// The defaulting of the API server that analyzers depend on.
pub fn apply_defaults(resource: &mut Resource) {
    if resource.kind == Kind::Service {
        let Some(spec) = resource
            .doc
            .map_mut()
            .and_then(|m| m.iter_mut().find(|e| e.key == "spec"))
        else {
            return;
        };
        let Some(ports) = spec
            .value
            .map_mut()
            .and_then(|m| m.iter_mut().find(|e| e.key == "ports"))
        else {
            return;
        };
        if let node::Value::Seq(items) = &mut ports.value.value {
            for port in items.iter_mut() {
                if port.is_map() && port.get("protocol").is_none() {
                    let pos = port.pos;
                    port.set("protocol", Node::string("TCP", pos));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Vec<Resource>, Vec<LoadIssue>) {
        parse_source(&SourceText::new("t.yaml", text), &LoadOptions::default())
    }

    #[test]
    fn splits_documents_and_keeps_going_after_a_bad_one() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\nkind: [broken\n---\n# c\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\n";
        let (res, issues) = load(text);
        assert_eq!(res.len(), 2);
        assert_eq!(res[0].friendly_name(), "Service default/a");
        assert_eq!(res[1].friendly_name(), "Pod x/p");
        assert_eq!(res[1].position_of(None).unwrap().line, 9);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].pos.unwrap().line, 6);
    }

    #[test]
    fn documents_split_at_separator_lines_only() {
        // The line walk this replaced, as the reference.
        fn by_lines(text: &str) -> Vec<(u32, &str)> {
            let mut chunks = Vec::new();
            let (mut start, mut start_line, mut offset) = (0usize, 0u32, 0usize);
            for (line_no, line) in (0u32..).zip(text.split_inclusive('\n')) {
                let end = offset + line.len();
                if line.trim_end() == "---" {
                    chunks.push((start_line, &text[start..offset]));
                    start = end;
                    start_line = line_no + 1;
                }
                offset = end;
            }
            chunks.push((start_line, &text[start..]));
            chunks
        }
        for text in [
            "",
            "---",
            "---\n",
            "a: 1\n---\nb: 2\n",
            "---\na: 1\n--- \nb: 2\n---\t\r\n\n---\n",
            "a: ---\nb: '---'\n ---\n----\n--- # c\n---x\n--- ---\n---\u{3000}\nc: 3",
            "a: |\n  ---\n---\n---\n---",
            "é: ü\n---\r\nx: y\n\n\n---",
        ] {
            assert_eq!(split_documents(text), by_lines(text), "{text:?}");
        }
    }

    #[test]
    fn lists_expand_and_defaults_apply() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec:\n    ports:\n    - port: 80\n";
        let (res, issues) = load(text);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(res.len(), 1);
        assert_eq!(
            res[0].spec().path(&["ports"]).as_seq()[0]
                .path(&["protocol"])
                .text(),
            "TCP"
        );
        assert_eq!(res[0].position_of(None).unwrap().line, 4);
    }

    #[test]
    fn missing_kind_unknown_kind_and_empty() {
        let (_, issues) = load("apiVersion: v1\nmetadata: {name: x}\n");
        assert_eq!(issues[0].severity, Severity::Error);
        assert!(issues[0].message.contains("kind"));
        let (res, issues) = load("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n");
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(res[0].kind, Kind::Other);
        let (_, issues) = load("\n\n");
        assert_eq!(issues[0].severity, Severity::Note);
    }

    #[test]
    fn other_kinds_are_kept_whole_without_defaults() {
        let text = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  dnsNames: [a.example.com]\n  duration: 2160h\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  generateName: w-\n";
        let (res, issues) = load(text);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(res.len(), 2);
        let cert = &res[0];
        assert_eq!(cert.kind, Kind::Other);
        assert!(!cert.is_known());
        assert_eq!(
            (cert.api_version.as_str(), cert.kind_name.as_str()),
            ("cert-manager.io/v1", "Certificate")
        );
        assert_eq!(cert.friendly_name(), "Certificate c");
        assert_eq!(
            cert.to_json(),
            serde_json::json!({"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
                "metadata": {"name": "c"},
                "spec": {"dnsNames": ["a.example.com"], "duration": "2160h"}})
        );
        // No name needed for a kind we do not read (generateName is valid there).
        assert_eq!(res[1].kind_name, "Widget");
        assert_eq!(res[1].name, "");
    }

    #[test]
    fn known_kinds_keep_their_kind_name() {
        let (res, _) =
            load("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n");
        assert_eq!(res[0].kind, Kind::K8sGateway);
        assert_eq!(res[0].kind_name, "Gateway");
        assert_eq!(res[0].friendly_name(), "Gateway default/g");
    }

    #[test]
    fn too_many_documents_is_an_error_naming_the_limit() {
        let one = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n";
        let text = one.repeat(limits::MAX_DOCUMENTS + 1);
        let (res, issues) = load(&text);
        assert_eq!(res.len(), limits::MAX_DOCUMENTS);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].severity, Severity::Error);
        assert!(issues[0].message.contains("limit: documents"), "{issues:?}");
        assert_eq!(
            issues[0].pos.map(|p| p.line),
            Some(4 * limits::MAX_DOCUMENTS as u32 + 1)
        );
    }

    #[test]
    fn an_oversized_document_is_an_error_naming_the_limit() {
        let big = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n  x: \"{}\"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: small}}\n",
            "a".repeat(limits::MAX_DOCUMENT_BYTES)
        );
        let (res, issues) = load(&big);
        assert_eq!(res.len(), 1, "the next document is still read");
        assert_eq!(res[0].name, "small");
        assert_eq!(issues[0].location(), "t.yaml:1:1");
        assert!(
            issues[0].message.contains("limit: document size"),
            "{issues:?}"
        );
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_the_second_key() {
        let (res, issues) =
            load("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n");
        assert!(res.is_empty());
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].location(), "t.yaml:5:3");
        assert!(
            issues[0].message.contains("duplicate key `name`"),
            "{issues:?}"
        );
        assert!(issues[0].message.contains("line 4"), "{issues:?}");
    }

    #[test]
    fn yaml_output_parses_back_to_the_same_object() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tricky\n  labels: {version: \"1.0\"}\ndata:\n  mode: \"0644\"\n  yes: \"yes\"\n  t: \"true\"\n  n: \"null\"\n  e: \"\"\n  f: \"1e3\"\n  o: \"08\"\n  dash: \"- x\"\n  colon: \"a: b\"\n  hash: \"# not a comment\"\n  multi: |\n    line one\n      two\n  tilde: \"~\"\n  numbers: [1, -2, 2.5, 18446744073709551615]\n  empty: {}\n  none: []\n  nil: null\n";
        let (res, issues) = load(text);
        assert!(issues.is_empty(), "{issues:?}");
        let yaml = res[0].to_yaml();
        let (again, issues) = load(&yaml);
        assert!(issues.is_empty(), "{issues:?}\n{yaml}");
        assert_eq!(again[0].to_json(), res[0].to_json(), "{yaml}");
    }

    #[test]
    fn the_alias_limit_holds_across_documents() {
        // About 1,000 copied nodes per document: 300 of them are one 300,000-node bomb.
        let items = ["x"; 100].join(", ");
        let refs = ["*a"; 9].join(", ");
        let one = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: &a [{items}]\n  b: [{refs}]\n---\n"
        );
        let (res, issues) = load(&one.repeat(300));
        assert!(res.len() < 300 && res.len() > 100, "{}", res.len());
        assert!(
            issues
                .iter()
                .all(|i| i.message.contains("limit: alias expansion")),
            "{issues:?}"
        );
        assert!(!issues.is_empty());
    }
}
