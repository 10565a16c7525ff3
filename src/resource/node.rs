//! A YAML/JSON document tree that remembers where every node came from.
//!
//! Parsing is one pass over `saphyr-parser` events: each scalar, sequence and mapping keeps the
//! line and column at which it starts, and each mapping key keeps its own position, so a message
//! can point at `spec.selector.istio` exactly. This module depends on nothing but `saphyr-parser`
//! because the build script reuses it to read the message catalogue.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

/// A position in a source text: 1-based line and 1-based column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    fn from_span(span: &Span, line_offset: u32) -> Pos {
        Pos {
            line: span.start.line() as u32 + line_offset,
            col: span.start.col() as u32 + 1,
        }
    }
}

/// What a plain scalar resolves to under the YAML 1.2 core schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// A scalar keeps its source text; `kind` says how it resolves.
    Scalar(Box<str>, ScalarKind),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

static NULL_NODE: Node = Node {
    value: Value::Null,
    pos: Pos { line: 0, col: 0 },
};

impl Node {
    pub fn null(pos: Pos) -> Node {
        Node {
            value: Value::Null,
            pos,
        }
    }

    pub fn string(s: &str, pos: Pos) -> Node {
        Node {
            value: Value::Scalar(s.into(), ScalarKind::Str),
            pos,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The child under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follows a path of mapping keys; a missing step gives `None`.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Like [`Node::at`], but a missing node reads as null, which keeps view code short.
    pub fn path(&self, path: &[&str]) -> &Node {
        self.at(path).unwrap_or(&NULL_NODE)
    }

    /// A string scalar's text. Numbers and booleans are not strings here.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s, ScalarKind::Str) => Some(s),
            _ => None,
        }
    }

    /// The source text of any non-null scalar (`80`, `true`, `v1`).
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar, or "" for anything else.
    pub fn text(&self) -> &str {
        self.scalar_text().unwrap_or("")
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Scalar(s, ScalarKind::Int) => parse_int(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Scalar(s, ScalarKind::Int) => parse_int(s).map(|i| i as f64),
            Value::Scalar(s, ScalarKind::Float) => parse_float(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar(s, ScalarKind::Bool) => Some(matches!(&**s, "true" | "True" | "TRUE")),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_map(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// A mapping of scalars as `(key, text)` pairs, e.g. labels or a selector.
    pub fn string_map(&self) -> impl Iterator<Item = (&str, &str)> {
        self.as_map()
            .iter()
            .map(|e| (e.key.as_str(), e.value.text()))
    }

    /// A sequence of scalars as text.
    pub fn string_list(&self) -> impl Iterator<Item = &str> {
        self.as_seq().iter().filter_map(|n| n.scalar_text())
    }

    pub fn map_mut(&mut self) -> Option<&mut Vec<Entry>> {
        match &mut self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Sets `key` in a mapping, replacing an existing entry.
    pub fn set(&mut self, key: &str, value: Node) {
        if let Some(entries) = self.map_mut() {
            if let Some(e) = entries.iter_mut().find(|e| e.key == key) {
                e.value = value;
            } else {
                let key_pos = value.pos;
                entries.push(Entry {
                    key: key.to_string(),
                    key_pos,
                    value,
                });
            }
        }
    }

    /// Resolves a field path such as `spec.servers[0].tls.credentialName` or
    /// `spec.selector.app.kubernetes.io/name` (keys may contain dots: the longest key that exists
    /// wins) and returns the position of the key (for mapping entries) or of the item.
    pub fn locate(&self, path: &str) -> Option<Pos> {
        locate(self, path, None)
    }
}

fn locate(node: &Node, rest: &str, here: Option<Pos>) -> Option<Pos> {
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    if rest.is_empty() {
        return Some(here.unwrap_or(node.pos));
    }
    if let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        let idx: usize = after[..close].parse().ok()?;
        let item = node.as_seq().get(idx)?;
        return locate(item, &after[close + 1..], Some(item.pos));
    }
    // Try every split point at a '.' or '[' so that keys containing dots resolve; prefer the
    // longest key that exists.
    let mut candidates: Vec<usize> = rest
        .char_indices()
        .filter(|(_, c)| *c == '.' || *c == '[')
        .map(|(i, _)| i)
        .collect();
    candidates.push(rest.len());
    for &end in candidates.iter().rev() {
        let key = &rest[..end];
        if let Some(e) = node.entry(key)
            && let Some(p) = locate(&e.value, &rest[end..], Some(e.key_pos))
        {
            return Some(p);
        }
    }
    None
}

fn parse_int(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let v = if let Some(h) = digits.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = digits.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}

/// YAML 1.2 core-schema resolution of a plain scalar.
fn resolve_plain(s: &str) -> ScalarKind {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarKind::Bool,
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return ScalarKind::Str;
    }
    if parse_int(s).is_some() {
        return ScalarKind::Int;
    }
    let looks_float = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && s.bytes().any(|b| b.is_ascii_digit());
    if (looks_float && s.parse::<f64>().is_ok()) || parse_float(s).is_some_and(|f| !f.is_finite()) {
        return ScalarKind::Float;
    }
    ScalarKind::Str
}

/// A parse failure with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

impl ParseError {
    fn from_scan(e: &ScanError, line_offset: u32) -> ParseError {
        ParseError {
            pos: Pos {
                line: e.marker().line() as u32 + line_offset,
                col: e.marker().col() as u32 + 1,
            },
            message: e.info().to_string(),
        }
    }
}

enum Frame {
    Seq(Vec<Node>, Pos, usize),
    Map(Vec<Entry>, Pos, usize, Option<(String, Pos)>),
}

/// Parses one YAML stream and returns its documents (an empty document gives no node).
/// `line_offset` is added to every line so that a chunk cut from a larger file reports
/// positions in that file.
pub fn parse_documents(text: &str, line_offset: u32) -> Result<Vec<Node>, ParseError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Anchors: id -> node, so aliases expand to a copy.
    let mut anchors: Vec<(usize, Node)> = Vec::new();
    let mut root: Option<Node> = None;

    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| ParseError::from_scan(&e, line_offset))?;
        let pos = Pos::from_span(&span, line_offset);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                root = None;
                None
            }
            Event::DocumentEnd => {
                if let Some(n) = root.take() {
                    docs.push(n);
                }
                None
            }
            Event::Alias(id) => {
                let node = anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                    .ok_or_else(|| ParseError {
                        pos,
                        message: "alias refers to an unknown anchor".into(),
                    })?;
                Some((node, 0))
            }
            Event::Scalar(value, style, anchor, tag) => {
                let kind = match (&tag, style) {
                    (Some(t), _) if t.is_yaml_core_schema() => match t.suffix.as_str() {
                        "str" => ScalarKind::Str,
                        "int" => ScalarKind::Int,
                        "float" => ScalarKind::Float,
                        "bool" => ScalarKind::Bool,
                        "null" => ScalarKind::Null,
                        _ => ScalarKind::Str,
                    },
                    (_, ScalarStyle::Plain) => resolve_plain(&value),
                    _ => ScalarKind::Str,
                };
                let value = if kind == ScalarKind::Null {
                    Value::Null
                } else {
                    Value::Scalar(value.into_owned().into_boxed_str(), kind)
                };
                Some((Node { value, pos }, anchor))
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), pos, anchor));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, p, anchor)) => Some((
                    Node {
                        value: Value::Seq(items),
                        pos: p,
                    },
                    anchor,
                )),
                _ => None,
            },
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(Vec::new(), pos, anchor, None));
                None
            }
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, p, anchor, _)) => Some((
                    Node {
                        value: Value::Map(entries),
                        pos: p,
                    },
                    anchor,
                )),
                _ => None,
            },
        };
        if let Some((node, anchor)) = finished {
            if anchor != 0 {
                anchors.push((anchor, node.clone()));
            }
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq(items, _, _)) => items.push(node),
                Some(Frame::Map(entries, _, _, pending)) => match pending.take() {
                    None => {
                        let key = match &node.value {
                            Value::Scalar(s, _) => s.to_string(),
                            Value::Null => String::new(),
                            _ => {
                                return Err(ParseError {
                                    pos: node.pos,
                                    message: "complex mapping keys are not supported".into(),
                                });
                            }
                        };
                        *pending = Some((key, node.pos));
                    }
                    Some((key, key_pos)) => {
                        if key == "<<" {
                            // Merge key: copy the referenced mapping's entries that are not set.
                            for e in node.as_map() {
                                if !entries.iter().any(|x| x.key == e.key) {
                                    entries.push(e.clone());
                                }
                            }
                        } else if let Some(existing) = entries.iter_mut().find(|e| e.key == key) {
                            // Later duplicate keys win, as with most Kubernetes tooling.
                            existing.value = node;
                            existing.key_pos = key_pos;
                        } else {
                            entries.push(Entry {
                                key,
                                key_pos,
                                value: node,
                            });
                        }
                    }
                },
            }
        }
    }
    if let Some(n) = root.take() {
        docs.push(n);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_at_keys_and_items() {
        let text = "apiVersion: v1\nkind: Service\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
        let docs = parse_documents(text, 0).unwrap();
        let doc = &docs[0];
        assert_eq!(
            doc.locate("spec.selector.app"),
            Some(Pos { line: 5, col: 5 })
        );
        assert_eq!(
            doc.locate("spec.ports[0].port"),
            Some(Pos { line: 7, col: 5 })
        );
        assert_eq!(doc.locate("spec.ports[0]"), Some(Pos { line: 7, col: 5 }));
        assert_eq!(
            doc.path(&["spec", "ports"]).as_seq()[0]
                .get("port")
                .unwrap()
                .as_i64(),
            Some(80)
        );
        assert_eq!(doc.locate("spec.nope"), None);
    }

    #[test]
    fn dotted_keys_resolve() {
        let text = "metadata:\n  labels:\n    app.kubernetes.io/name: web\n";
        let doc = &parse_documents(text, 10).unwrap()[0];
        assert_eq!(
            doc.locate("metadata.labels.app.kubernetes.io/name"),
            Some(Pos { line: 13, col: 5 })
        );
    }

    #[test]
    fn core_schema_resolution() {
        let doc = &parse_documents("a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: v1\ng: 0x1F\n", 0)
            .unwrap()[0];
        assert_eq!(doc.get("a").unwrap().as_i64(), Some(1));
        assert_eq!(doc.get("b").unwrap().as_str(), Some("1"));
        assert_eq!(doc.get("c").unwrap().as_bool(), Some(true));
        assert!(doc.get("d").unwrap().is_null());
        assert_eq!(doc.get("e").unwrap().as_f64(), Some(1.5));
        assert_eq!(doc.get("f").unwrap().as_str(), Some("v1"));
        assert_eq!(doc.get("g").unwrap().as_i64(), Some(31));
        assert_eq!(doc.get("a").unwrap().text(), "1");
    }

    #[test]
    fn json_parses_with_positions() {
        let doc = &parse_documents(
            "{\n  \"kind\": \"Pod\",\n  \"spec\": {\"x\": [1, 2]}\n}\n",
            0,
        )
        .unwrap()[0];
        assert_eq!(doc.get("kind").unwrap().as_str(), Some("Pod"));
        assert_eq!(doc.locate("spec.x[1]").map(|p| p.line), Some(3));
    }

    #[test]
    fn errors_carry_positions() {
        let err = parse_documents("a: 1\nb: [1, 2\nc: 3\n", 0).unwrap_err();
        assert!(err.pos.line >= 2, "{err:?}");
    }

    #[test]
    fn anchors_and_merge_keys() {
        let doc = &parse_documents("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", 0).unwrap()[0];
        assert_eq!(doc.at(&["d", "x"]).unwrap().as_i64(), Some(1));
        assert_eq!(doc.at(&["d", "y"]).unwrap().as_i64(), Some(2));
    }
}
