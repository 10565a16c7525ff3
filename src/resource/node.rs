//! A YAML/JSON document tree that remembers where every node came from.
//!
//! Parsing is one pass over parser events: each scalar, sequence and mapping keeps the line and
//! column at which it starts, and each mapping key keeps its own position, so a message can
//! point at `spec.selector.istio` exactly. The events come from a fast reader of its own for
//! plain block YAML and JSON (`node_fast.rs`), or, for everything it gives up on, from
//! `saphyr-parser`; both feed one [`Builder`]. This module depends on nothing but
//! `saphyr-parser` and `compact_str` because the build script reuses it to read the message
//! catalogue.
//!
//! The tree is built lean, since the open resource model keeps every document of a large input
//! (issue 12): a scalar of up to 24 bytes (nearly all of a manifest's) is stored inline, without
//! an allocation of its own, and every sequence and mapping is allocated once, at its exact
//! size, from stacks shared by the whole parse.

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

// The fast reader for plain block YAML and JSON; a file beside this one, so that the build
// script, which includes this file by path, finds it too.
#[path = "node_fast.rs"]
mod fast;

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
    pub key: CompactString,
    pub key_pos: Pos,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// A scalar keeps its source text (inline up to 24 bytes); `kind` says how it resolves.
    Scalar(CompactString, ScalarKind),
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

    /// An empty mapping (without a source position).
    pub fn empty_map() -> Node {
        Node {
            value: Value::Map(Vec::new()),
            pos: Pos::default(),
        }
    }

    /// A sequence of nodes (without a source position).
    pub fn seq(items: Vec<Node>) -> Node {
        Node {
            value: Value::Seq(items),
            pos: Pos::default(),
        }
    }

    /// An integer scalar (without a source position).
    pub fn int(i: i64) -> Node {
        Node {
            value: Value::Scalar(i.to_string().into(), ScalarKind::Int),
            pos: Pos::default(),
        }
    }

    /// The child under `key` of a mapping, for editing.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.map_mut()?
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value)
    }

    /// The mapping under `key`, made (empty) when it is absent or null. A null `self` becomes
    /// a mapping first. `None` when `self` or the child is something else (a scalar, a list):
    /// editing never silently replaces data.
    pub fn map_entry_mut(&mut self, key: &str) -> Option<&mut Node> {
        if self.is_null() {
            self.value = Value::Map(Vec::new());
        }
        let entries = self.map_mut()?;
        let i = match entries.iter().position(|e| e.key == key) {
            Some(i) => i,
            None => {
                entries.push(Entry {
                    key: key.into(),
                    key_pos: Pos::default(),
                    value: Node::empty_map(),
                });
                entries.len() - 1
            }
        };
        let child = &mut entries[i].value;
        if child.is_null() {
            child.value = Value::Map(Vec::new());
        }
        child.is_map().then_some(child)
    }

    /// The items of a sequence, for editing.
    pub fn seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Removes `key` from a mapping and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let entries = self.map_mut()?;
        let i = entries.iter().position(|e| e.key == key)?;
        Some(entries.remove(i).value)
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
                    key: key.into(),
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

pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let v = if let Some(h) = digits.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = digits.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else if let Some(b) = digits.strip_prefix("0b") {
        // Not YAML 1.2's core schema, but what libyaml-based parsers and Kubernetes' own
        // YAML 1.1 decoder make of it.
        i64::from_str_radix(b, 2).ok()?
    } else if is_decimal(digits) {
        digits.parse::<i64>().ok()?
    } else if let Some(o) = legacy_octal(digits) {
        i64::from_str_radix(o, 8).ok()?
    } else {
        return None;
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

/// `0644`: YAML 1.1's octal, which Kubernetes' decoder (and so `kubectl apply`) still reads
/// as octal (`defaultMode: 0644` is 420), and which the Kubernetes docs use. Without this it
/// would be the decimal 644: wrong file modes, silently.
fn legacy_octal(digits: &str) -> Option<&str> {
    let rest = digits.strip_prefix('0')?;
    (!rest.is_empty() && rest.bytes().all(|b| (b'0'..=b'7').contains(&b))).then_some(rest)
}

/// `[-+]?[0-9]+`: an integer, however large (JSON gets it as a float past `u64`). A leading
/// zero makes it something else: octal (`0644`, see `legacy_octal`), or, with an 8 or 9
/// (`08`), a string, as libyaml-based parsers have it.
fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'))
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
    if parse_int(s).is_some() || is_decimal(s) {
        return ScalarKind::Int;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if unsigned.len() > 1 && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        // A leading zero with an 8 or 9: see `is_decimal`.
        return ScalarKind::Str;
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
            // The scanner's own cap on flow nesting (255), met before our lower one when it
            // reads ahead: the same limit for the reader.
            message: if e.info() == "recursion limit exceeded" {
                depth_limit_message(ParseLimits::DEFAULT.max_depth)
            } else {
                e.info().to_string()
            },
        }
    }
}

/// Bounds on what one YAML stream may ask of the parser, so that hostile input (an alias bomb,
/// a deeply nested flow sequence) fails fast with a clear error instead of exhausting memory or
/// the stack. Real manifests stay far below them: Istio's largest CRD nests 28 levels and has
/// about 5,500 nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseLimits {
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Nodes that anchors and aliases (`&name`, `*name`, also under `<<`) may copy within one
    /// input (an alias copies what its anchor holds). Counted over the whole input, not per
    /// document: ten thousand small bombs are one big one.
    pub max_alias_nodes: usize,
}

impl ParseLimits {
    pub const DEFAULT: ParseLimits = ParseLimits {
        max_depth: 128,
        max_alias_nodes: 200_000,
    };
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits::DEFAULT
    }
}

/// Mappings with more entries than this get a hash index for duplicate-key checks; smaller
/// ones are searched, which is faster for the handful of keys most mappings have.
const INDEX_FROM: usize = 8;

/// A mapping being built. Its entries sit at the top of the entry stack the parse shares
/// (`entries[start..]`: a nested mapping's entries come after them and are taken off before
/// this one gets its next entry), so the finished mapping is allocated once, at its size.
/// `merged` says which entries came from a merge key (`<<`, which explicit keys override), and
/// `index` finds entries by key once the mapping grows.
struct MapFrame {
    start: usize,
    /// Per entry, whether it came from a merge key; empty until the first merge (most
    /// mappings have none, and this saves them an allocation).
    merged: Vec<bool>,
    /// Key -> position among this mapping's entries.
    index: Option<std::collections::HashMap<CompactString, usize>>,
    pending: Option<(CompactString, Pos)>,
}

impl MapFrame {
    fn new(start: usize) -> MapFrame {
        MapFrame {
            start,
            merged: Vec::new(),
            index: None,
            pending: None,
        }
    }

    fn find(&self, entries: &[Entry], key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => entries[self.start..].iter().position(|e| e.key == key),
        }
    }

    fn push(&mut self, entries: &mut Vec<Entry>, entry: Entry, merged: bool) {
        let i = entries.len() - self.start;
        if let Some(index) = &mut self.index {
            index.insert(entry.key.clone(), i);
        }
        entries.push(entry);
        if merged || !self.merged.is_empty() {
            self.merged.resize(i, false);
            self.merged.push(merged);
        }
        if self.index.is_none() && i + 1 > INDEX_FROM {
            self.index = Some(
                entries[self.start..]
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key.clone(), i))
                    .collect(),
            );
        }
    }

    /// An explicit `key: value`. A second explicit `key` is an error (as Kubernetes' decoder
    /// says); a key that only came from a merge is overridden.
    fn insert(
        &mut self,
        entries: &mut Vec<Entry>,
        key: CompactString,
        key_pos: Pos,
        value: Node,
    ) -> Result<(), ParseError> {
        match self.find(entries, &key) {
            Some(i) if self.merged.get(i).copied().unwrap_or(false) => {
                entries[self.start + i] = Entry {
                    key,
                    key_pos,
                    value,
                };
                self.merged[i] = false;
                Ok(())
            }
            Some(i) => {
                let first = entries[self.start + i].key_pos;
                Err(ParseError {
                    pos: key_pos,
                    message: format!(
                        "duplicate key `{key}` in one mapping (first at line {}, column {}); \
                         remove one of them",
                        first.line, first.col
                    ),
                })
            }
            None => {
                self.push(
                    entries,
                    Entry {
                        key,
                        key_pos,
                        value,
                    },
                    false,
                );
                Ok(())
            }
        }
    }

    /// `<<: mapping` or `<<: [mappings]`: copies entries not set yet (earlier ones win).
    fn merge(&mut self, entries: &mut Vec<Entry>, value: &Node) -> Result<(), ParseError> {
        let sources: Vec<&Node> = match &value.value {
            Value::Map(_) => vec![value],
            Value::Seq(items) => items.iter().collect(),
            _ => vec![value],
        };
        for source in sources {
            let Value::Map(from) = &source.value else {
                return Err(ParseError {
                    pos: source.pos,
                    message: "a merge key (`<<`) needs a mapping or a list of mappings".into(),
                });
            };
            for e in from {
                if self.find(entries, &e.key).is_none() {
                    self.push(entries, e.clone(), true);
                }
            }
        }
        Ok(())
    }
}

fn depth_limit_message(max_depth: usize) -> String {
    format!("nesting deeper than {max_depth} levels (limit: nesting depth)")
}

fn alias_limit(pos: Pos, limits: ParseLimits) -> ParseError {
    ParseError {
        pos,
        message: format!(
            "anchors and aliases copy more than {} nodes in this input \
             (limit: alias expansion); an alias bomb?",
            limits.max_alias_nodes
        ),
    }
}

/// An open sequence (where its items start on the item stack) or mapping, with its position,
/// anchor id and the number of nodes in it so far.
enum Frame {
    Seq(usize, Pos, usize, usize),
    Map(MapFrame, Pos, usize, usize),
}

/// Parses one YAML stream and returns its documents (an empty document gives no node), within
/// [`ParseLimits::DEFAULT`]. `line_offset` is added to every line so that a chunk cut from a
/// larger file reports positions in that file.
pub fn parse_documents(text: &str, line_offset: u32) -> Result<Vec<Node>, ParseError> {
    parse_documents_with(text, line_offset, ParseLimits::DEFAULT)
}

/// [`parse_documents`] with explicit limits.
pub fn parse_documents_with(
    text: &str,
    line_offset: u32,
    limits: ParseLimits,
) -> Result<Vec<Node>, ParseError> {
    let mut alias_budget = limits.max_alias_nodes;
    parse_documents_within(text, line_offset, limits, &mut alias_budget)
}

/// [`parse_documents_with`] for one part of a larger input: `alias_budget` is what is left of
/// [`ParseLimits::max_alias_nodes`] for the whole input, and what this part copies is taken
/// off it.
pub fn parse_documents_within(
    text: &str,
    line_offset: u32,
    limits: ParseLimits,
    alias_budget: &mut usize,
) -> Result<Vec<Node>, ParseError> {
    // Most manifests are plain block YAML, which the fast reader takes; it gives up on anything
    // else (and on every error), and then saphyr-parser reads the text from the start.
    if let Some(docs) = fast::parse(text, line_offset, limits) {
        return Ok(docs);
    }
    parse_documents_saphyr(text, line_offset, limits, alias_budget)
}

/// [`parse_documents_within`] through saphyr-parser alone: the reference the fast reader
/// (`fast.rs`) is tested against.
pub fn parse_documents_saphyr(
    text: &str,
    line_offset: u32,
    limits: ParseLimits,
    alias_budget: &mut usize,
) -> Result<Vec<Node>, ParseError> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::new(limits, alias_budget);
    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| ParseError::from_scan(&e, line_offset))?;
        if !builder.event(event, Pos::from_span(&span, line_offset))? {
            break;
        }
    }
    Ok(builder.finish())
}

/// Builds the tree from parser events (each with the position where it starts), whichever
/// reader produced them.
struct Builder<'b> {
    limits: ParseLimits,
    alias_budget: &'b mut usize,
    docs: Vec<Node>,
    stack: Vec<Frame>,
    // The items of every open sequence and the entries of every open mapping, innermost last.
    items: Vec<Node>,
    entries: Vec<Entry>,
    // Anchors: id -> (node, its number of nodes), so aliases expand to a copy whose cost is
    // known before it is made.
    anchors: Vec<(usize, Node, usize)>,
    root: Option<Node>,
}

impl<'b> Builder<'b> {
    fn new(limits: ParseLimits, alias_budget: &'b mut usize) -> Builder<'b> {
        Builder {
            limits,
            alias_budget,
            docs: Vec::new(),
            // Room for a typical manifest from the start, rather than growing step by step
            // for every document.
            stack: Vec::with_capacity(16),
            items: Vec::with_capacity(32),
            entries: Vec::with_capacity(64),
            anchors: Vec::new(),
            root: None,
        }
    }

    fn finish(mut self) -> Vec<Node> {
        if let Some(n) = self.root.take() {
            self.docs.push(n);
        }
        self.docs
    }

    /// Takes one event; `false` at the end of the stream.
    fn event(&mut self, event: Event<'_>, pos: Pos) -> Result<bool, ParseError> {
        let limits = self.limits;
        // (node, anchor id, nodes in it)
        let finished: Option<(Node, usize, usize)> = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => return Ok(false),
            Event::DocumentStart(_) => {
                self.root = None;
                self.anchors.clear();
                None
            }
            Event::DocumentEnd => {
                if let Some(n) = self.root.take() {
                    self.docs.push(n);
                }
                None
            }
            Event::Alias(id) => {
                let (node, size) = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _, _)| *a == id)
                    .map(|(_, n, size)| (n, *size))
                    .ok_or_else(|| ParseError {
                        pos,
                        message: "alias refers to an unknown anchor".into(),
                    })?;
                *self.alias_budget = self
                    .alias_budget
                    .checked_sub(size)
                    .ok_or_else(|| alias_limit(pos, limits))?;
                Some((node.clone(), 0, size))
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
                    // Copied, not taken: the scanner's buffer has room to spare, and the fast
                    // reader's text is borrowed from the source.
                    Value::Scalar(CompactString::new(&value), kind)
                };
                Some((Node { value, pos }, anchor, 1))
            }
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.stack.len() >= limits.max_depth =>
            {
                return Err(ParseError {
                    pos,
                    message: depth_limit_message(limits.max_depth),
                });
            }
            Event::SequenceStart(anchor, _) => {
                self.stack
                    .push(Frame::Seq(self.items.len(), pos, anchor, 1));
                None
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq(start, p, anchor, size)) => Some((
                    Node {
                        // Allocated once, at its size.
                        value: Value::Seq(self.items.drain(start..).collect()),
                        pos: p,
                    },
                    anchor,
                    size,
                )),
                _ => None,
            },
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Map(
                    MapFrame::new(self.entries.len()),
                    pos,
                    anchor,
                    1,
                ));
                None
            }
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map(map, p, anchor, size)) => Some((
                    Node {
                        value: Value::Map(self.entries.drain(map.start..).collect()),
                        pos: p,
                    },
                    anchor,
                    size,
                )),
                _ => None,
            },
        };
        if let Some((node, anchor, size)) = finished {
            self.add(node, anchor, size, pos)?;
        }
        Ok(true)
    }

    /// A finished node goes to the open collection (or becomes the document's root).
    fn add(&mut self, node: Node, anchor: usize, size: usize, pos: Pos) -> Result<(), ParseError> {
        if anchor != 0 {
            *self.alias_budget = self
                .alias_budget
                .checked_sub(size)
                .ok_or_else(|| alias_limit(pos, self.limits))?;
            self.anchors.push((anchor, node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, _, _, total)) => {
                *total = total.saturating_add(size);
                self.items.push(node);
            }
            Some(Frame::Map(map, _, _, total)) => {
                *total = total.saturating_add(size);
                match map.pending.take() {
                    None => {
                        let key = match node.value {
                            Value::Scalar(s, _) => s,
                            Value::Null => CompactString::default(),
                            _ => {
                                return Err(ParseError {
                                    pos: node.pos,
                                    message: "complex mapping keys are not supported".into(),
                                });
                            }
                        };
                        map.pending = Some((key, node.pos));
                    }
                    Some((key, _)) if key == "<<" => map.merge(&mut self.entries, &node)?,
                    Some((key, key_pos)) => map.insert(&mut self.entries, key, key_pos, node)?,
                }
            }
        }
        Ok(())
    }
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

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let err = parse_documents("a: 1\nb: 2\na: 3\n", 0).unwrap_err();
        assert_eq!(err.pos, Pos { line: 3, col: 1 });
        assert!(err.message.contains("duplicate key `a`"), "{err:?}");
        assert!(err.message.contains("line 1, column 1"), "{err:?}");
        // Big mappings use the index: the same answer.
        let mut text: String = (0..500).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k250: again\n");
        let err = parse_documents(&text, 0).unwrap_err();
        assert_eq!(err.pos.line, 501);
        assert!(err.message.contains("`k250`") && err.message.contains("line 251"));
        // Keys alike in different mappings are fine.
        assert!(parse_documents("a: {x: 1}\nb: {x: 2}\n", 0).is_ok());
    }

    #[test]
    fn explicit_keys_override_merged_ones_in_any_order() {
        let text = "base: &b {x: 1, y: 1}\nmore: &m {y: 2, z: 2}\nd:\n  x: 0\n  <<: [*b, *m]\ne:\n  <<: *b\n  x: 9\n";
        let doc = &parse_documents(text, 0).unwrap()[0];
        assert_eq!(doc.at(&["d", "x"]).unwrap().as_i64(), Some(0));
        // The first mapping of a merge list wins.
        assert_eq!(doc.at(&["d", "y"]).unwrap().as_i64(), Some(1));
        assert_eq!(doc.at(&["d", "z"]).unwrap().as_i64(), Some(2));
        assert_eq!(doc.at(&["e", "x"]).unwrap().as_i64(), Some(9));
        assert_eq!(doc.path(&["e"]).as_map().len(), 2);
        let err = parse_documents("a: &a 1\nb:\n  <<: *a\n", 0).unwrap_err();
        assert!(err.message.contains("merge key"), "{err:?}");
    }

    #[test]
    fn an_alias_bomb_is_rejected_at_the_limit() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let names = "abcdefghi".as_bytes();
        for w in names.windows(2) {
            let (prev, cur) = (w[0] as char, w[1] as char);
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let err = parse_documents(&text, 0).unwrap_err();
        // A hang guard only; the limit is what keeps it fast.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(err.message.contains("limit: alias expansion"), "{err:?}");
        // Some aliases within the limit are fine.
        let doc = &parse_documents("a: &a {x: 1}\nb: *a\nc: *a\n", 0).unwrap()[0];
        assert_eq!(doc.at(&["c", "x"]).unwrap().as_i64(), Some(1));
        // The limit holds for the whole input, across documents and parts parsed apart: many
        // small bombs are one big one.
        let limits = ParseLimits {
            max_alias_nodes: 8,
            ..ParseLimits::DEFAULT
        };
        // Anchor [1] copies 2 nodes, the alias 2 more: 4 per document.
        let one = "a: &a [1]\nb: *a\n";
        assert_eq!(parse_documents_with(one, 0, limits).unwrap().len(), 1);
        let two = format!("{one}---\n{one}");
        assert_eq!(parse_documents_with(&two, 0, limits).unwrap().len(), 2);
        let three = format!("{two}---\n{one}");
        assert!(parse_documents_with(&three, 0, limits).is_err());
        let mut budget = 8;
        for _ in 0..2 {
            parse_documents_within(one, 0, limits, &mut budget).unwrap();
        }
        assert_eq!(budget, 0);
        assert!(parse_documents_within(one, 0, limits, &mut budget).is_err());
    }

    #[test]
    fn nesting_is_limited() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse_documents(&deep, 0).unwrap_err();
        assert!(err.message.contains("limit: nesting depth"), "{err:?}");
        assert_eq!(err.pos.line, 1);
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse_documents(&ok, 0).is_ok());
        let mut block = String::new();
        for i in 0..300 {
            block.push_str(&format!("{}k:\n", "  ".repeat(i)));
        }
        let err = parse_documents(&block, 0).unwrap_err();
        assert!(err.message.contains("limit: nesting depth"), "{err:?}");
    }

    #[test]
    fn the_tree_is_lean() {
        // Short scalars are inline, and nodes stay small: a large input keeps millions.
        assert!(std::mem::size_of::<Node>() <= 40);
        assert!(std::mem::size_of::<Entry>() <= 72);
        let text = "a: {x: 1, y: [1, 2, 3], z: {p: q}}\nb: [a, [b, c], {d: e}]\nc: registry.example.com/team-0/app-0:v1.0\n";
        let doc = &parse_documents(text, 0).unwrap()[0];
        fn exact(n: &Node) {
            match &n.value {
                Value::Seq(items) => {
                    assert_eq!(items.capacity(), items.len());
                    items.iter().for_each(exact);
                }
                Value::Map(entries) => {
                    assert_eq!(entries.capacity(), entries.len());
                    entries.iter().for_each(|e| exact(&e.value));
                }
                Value::Scalar(s, _) => assert_eq!(s.is_heap_allocated(), s.len() > 24, "{s}"),
                Value::Null => {}
            }
        }
        exact(doc);
        // Nested containers come out whole and in order.
        assert_eq!(
            doc.path(&["a", "y"]).string_list().collect::<Vec<_>>(),
            ["1", "2", "3"]
        );
        assert_eq!(doc.path(&["a", "z", "p"]).as_str(), Some("q"));
        assert_eq!(
            doc.path(&["b"]).as_seq()[1]
                .string_list()
                .collect::<Vec<_>>(),
            ["b", "c"]
        );
        assert_eq!(
            doc.path(&["b"]).as_seq()[2].path(&["d"]).as_str(),
            Some("e")
        );
        assert_eq!(
            doc.as_map()
                .iter()
                .map(|e| e.key.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(
            doc.path(&["c"]).as_str(),
            Some("registry.example.com/team-0/app-0:v1.0")
        );
    }

    #[test]
    fn big_integers_stay_integers() {
        let doc = &parse_documents("a: 18446744073709551615\nb: 123456789012345678901234\n", 0)
            .unwrap()[0];
        assert_eq!(doc.get("a").unwrap().as_i64(), None);
        assert!(matches!(
            doc.get("b").unwrap().value,
            Value::Scalar(_, ScalarKind::Int)
        ));
    }
}
