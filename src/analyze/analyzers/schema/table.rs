//! The compact schema table that the validation analyzers check resources against.
//!
//! `data/istio-schema.table` is generated from the `spec` schemas of Istio's CRDs
//! (`manifests/charts/base/files/crd-all.gen.yaml` of the release) by [`generate`]; run
//! `scripts/gen-schema <crd-all.gen.yaml>` to rewrite it. One line per schema node:
//!
//! ```text
//! @<TAB>VirtualService<TAB>networking.istio.io<TAB>v1        a kind starts
//! spec.http[].route[].weight<TAB>integer<TAB>fmt=int32 ...  a node and its constraints
//! ```
//!
//! Paths use `[]` for array items and `{}` for the values of a free-keyed map. Constraints:
//! `enum=A|B`, `min=N`, `max=N`, `fmt=F`, `req=a|b`, `oneof=a|b` (at most one of them may be set),
//! `open` (children are not checked), `duration` (a duration of at least 1ms), `port` (1-65535),
//! `nowild` (no `*` in the value), `nowildkeys`, `nonemptykeys`, `portkeys`, `uniq=F` (items
//! differ in field F), `notstar`, `minItems=N`, `maxItems=N`, `minLen=N`, `maxLen=N`.
//! The CRDs' other CEL rules are not in the table: the analyzers implement Istio's own
//! validation for them in code.

use foldhash::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::resource::node::{Node, parse_documents};

/// The table built into the binary.
const TABLE: &str = include_str!("../../../../data/istio-schema.table");

/// The JSON type a schema node accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    /// `x-kubernetes-int-or-string`.
    IntOrString,
    /// No type: anything goes (protobuf `Struct`/`Value`).
    Any,
}

impl Type {
    fn parse(s: &str) -> Option<Type> {
        Some(match s {
            "object" => Type::Object,
            "array" => Type::Array,
            "string" => Type::String,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            "intstr" => Type::IntOrString,
            "any" => Type::Any,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Type::Object => "object",
            Type::Array => "array",
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::IntOrString => "intstr",
            Type::Any => "any",
        }
    }
}

/// One node of a kind's schema with the constraints the table keeps.
#[derive(Clone, Debug, Default)]
pub struct SchemaNode {
    pub ty: Option<Type>,
    pub enum_values: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub format: Option<String>,
    pub required: Vec<String>,
    pub one_of: Vec<Vec<String>>,
    pub open: bool,
    pub duration: bool,
    pub port: bool,
    pub no_wildcard: bool,
    pub no_wildcard_keys: bool,
    pub non_empty_keys: bool,
    pub port_keys: bool,
    pub unique_by: Option<String>,
    pub not_star: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_len: Option<usize>,
    pub max_len: Option<usize>,
    /// The names of an object node's properties, sorted (filled in when the table is read).
    pub properties: Vec<String>,
}

/// The schema of one kind: nodes by table path (`spec.http[].route[]`).
#[derive(Debug, Default)]
pub struct KindSchema {
    pub kind: String,
    pub group: String,
    pub version: String,
    pub nodes: HashMap<String, SchemaNode>,
}

impl KindSchema {
    pub fn node(&self, path: &str) -> Option<&SchemaNode> {
        self.nodes.get(path)
    }

    /// The property names of an object node (for unknown fields and "did you mean" hints).
    pub fn properties(&self, path: &str) -> Vec<&str> {
        self.node(path)
            .map(|n| n.properties.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Records each node's properties on its parent, once, so lookups need no scan.
    fn link_properties(&mut self) {
        let mut children: HashMap<String, Vec<String>> = HashMap::default();
        for path in self.nodes.keys() {
            // A property is the last `.name` step that no `[]` or `{}` follows.
            if let Some((parent, name)) = path.rsplit_once('.')
                && !name.contains(['[', '{'])
            {
                children
                    .entry(parent.to_string())
                    .or_default()
                    .push(name.to_string());
            }
        }
        for (parent, mut names) in children {
            names.sort_unstable();
            if let Some(node) = self.nodes.get_mut(&parent) {
                node.properties = names;
            }
        }
    }
}

/// The built-in schema of a kind (by its `kind` and API group), if the table has one.
pub fn schema(kind: &str, group: &str) -> Option<&'static KindSchema> {
    static PARSED: OnceLock<Vec<KindSchema>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            parse(TABLE).expect("the built-in schema table parses (a unit test checks it)")
        })
        .iter()
        .find(|s| s.kind == kind && s.group == group)
}

/// Reads a table. Errors name the line.
pub fn parse(text: &str) -> Result<Vec<KindSchema>, String> {
    let mut out: Vec<KindSchema> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let lineno = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let head = fields.next().unwrap_or_default();
        if head == "@" {
            let mut next = || fields.next().map(str::to_string).unwrap_or_default();
            out.push(KindSchema {
                kind: next(),
                group: next(),
                version: next(),
                nodes: HashMap::default(),
            });
            continue;
        }
        let Some(current) = out.last_mut() else {
            return Err(format!("line {lineno}: a node before the first kind"));
        };
        let ty = fields.next().unwrap_or_default();
        let mut node = SchemaNode {
            ty: Some(Type::parse(ty).ok_or_else(|| format!("line {lineno}: unknown type {ty:?}"))?),
            ..SchemaNode::default()
        };
        for attr in fields {
            let (key, value) = attr.split_once('=').unwrap_or((attr, ""));
            let list = || value.split('|').map(str::to_string).collect::<Vec<_>>();
            let num = || {
                value
                    .parse::<f64>()
                    .map_err(|_| format!("line {lineno}: {key} needs a number, got {value:?}"))
            };
            let count = || {
                value
                    .parse::<usize>()
                    .map_err(|_| format!("line {lineno}: {key} needs a count, got {value:?}"))
            };
            match key {
                "enum" => node.enum_values = list(),
                "min" => node.min = Some(num()?),
                "max" => node.max = Some(num()?),
                "fmt" => node.format = Some(value.to_string()),
                "req" => node.required = list(),
                "oneof" => node.one_of.push(list()),
                "open" => node.open = true,
                "duration" => node.duration = true,
                "port" => node.port = true,
                "nowild" => node.no_wildcard = true,
                "nowildkeys" => node.no_wildcard_keys = true,
                "nonemptykeys" => node.non_empty_keys = true,
                "portkeys" => node.port_keys = true,
                "uniq" => node.unique_by = Some(value.to_string()),
                "notstar" => node.not_star = true,
                "minItems" => node.min_items = Some(count()?),
                "maxItems" => node.max_items = Some(count()?),
                "minLen" => node.min_len = Some(count()?),
                "maxLen" => node.max_len = Some(count()?),
                _ => return Err(format!("line {lineno}: unknown constraint {key:?}")),
            }
        }
        current.nodes.insert(head.to_string(), node);
    }
    for kind in &mut out {
        kind.link_properties();
    }
    Ok(out)
}

/// Builds the table from a CRD bundle (`crd-all.gen.yaml`): the `spec` schema of each CRD's
/// storage version.
pub fn generate(crd_yaml: &str, release: &str) -> Result<String, String> {
    let docs = parse_documents(crd_yaml, 0)
        .map_err(|e| format!("{}:{}: {}", e.pos.line, e.pos.col, e.message))?;
    let mut kinds: Vec<(String, String, String, &Node)> = Vec::new();
    for doc in &docs {
        if doc.path(&["kind"]).text() != "CustomResourceDefinition" {
            continue;
        }
        let spec = doc.path(&["spec"]);
        let kind = spec.path(&["names", "kind"]).text().to_string();
        let group = spec.path(&["group"]).text().to_string();
        let versions = spec.path(&["versions"]).as_seq();
        let Some(version) = versions
            .iter()
            .find(|v| v.path(&["storage"]).as_bool() == Some(true))
            .or(versions.first())
        else {
            return Err(format!("CRD {kind}.{group} has no versions"));
        };
        let Some(schema) = version.at(&["schema", "openAPIV3Schema", "properties", "spec"]) else {
            return Err(format!("CRD {kind}.{group} has no spec schema"));
        };
        kinds.push((
            kind,
            group,
            version.path(&["name"]).text().to_string(),
            schema,
        ));
    }
    kinds.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut out = format!(
        "# Generated by scripts/gen-schema from Istio {release}'s crd-all.gen.yaml (Apache-2.0). Do not edit.\n"
    );
    for (kind, group, version, schema) in kinds {
        let _ = writeln!(out, "@\t{kind}\t{group}\t{version}");
        emit(&mut out, "spec", schema);
    }
    Ok(out)
}

fn emit(out: &mut String, path: &str, schema: &Node) {
    let open = schema
        .path(&["x-kubernetes-preserve-unknown-fields"])
        .as_bool()
        == Some(true);
    let ty = if schema.path(&["x-kubernetes-int-or-string"]).as_bool() == Some(true) {
        Type::IntOrString
    } else {
        match schema.path(&["type"]).text() {
            "" => Type::Any,
            t => Type::parse(t).unwrap_or(Type::Any),
        }
    };
    let _ = write!(out, "{path}\t{}", ty.name());
    let list = |n: &Node| n.string_list().collect::<Vec<_>>().join("|");
    let enums = list(schema.path(&["enum"]));
    if !enums.is_empty() {
        let _ = write!(out, "\tenum={enums}");
    }
    for (key, attr) in [
        ("minimum", "min"),
        ("maximum", "max"),
        ("format", "fmt"),
        ("minItems", "minItems"),
        ("maxItems", "maxItems"),
        ("minLength", "minLen"),
        ("maxLength", "maxLen"),
    ] {
        if let Some(v) = schema.get(key).and_then(Node::scalar_text) {
            let _ = write!(out, "\t{attr}={v}");
        }
    }
    let required = list(schema.path(&["required"]));
    if !required.is_empty() {
        let _ = write!(out, "\treq={required}");
    }
    // Istio writes a protobuf oneof as `oneOf: [not: {anyOf: [required: [a], ...]}, required: [a], ...]`.
    let one_of: Vec<&str> = schema
        .path(&["oneOf"])
        .as_seq()
        .iter()
        .flat_map(|alt| alt.path(&["required"]).string_list())
        .collect();
    if one_of.len() > 1 {
        let _ = write!(out, "\toneof={}", one_of.join("|"));
    }
    for rule in schema.path(&["x-kubernetes-validations"]).as_seq() {
        if let Some(attr) = cel_attribute(rule.path(&["rule"]).text()) {
            let _ = write!(out, "\t{attr}");
        }
    }
    if open {
        out.push_str("\topen");
    }
    out.push('\n');
    if open {
        return;
    }
    let mut props: Vec<&crate::resource::node::Entry> =
        schema.path(&["properties"]).as_map().iter().collect();
    props.sort_by(|a, b| a.key.cmp(&b.key));
    for p in props {
        emit(out, &format!("{path}.{}", p.key), &p.value);
    }
    if let Some(items) = schema.get("items").filter(|n| n.is_map()) {
        emit(out, &format!("{path}[]"), items);
    }
    if let Some(values) = schema.get("additionalProperties").filter(|n| n.is_map()) {
        emit(out, &format!("{path}{{}}"), values);
    }
}

/// The CEL rules the table keeps, recognised by their exact shape; any other rule is left to
/// the analyzers' code.
fn cel_attribute(rule: &str) -> Option<String> {
    let rule: String = rule.split_whitespace().collect::<Vec<_>>().join(" ");
    let attr = match rule.as_str() {
        "duration(self) >= duration('1ms')" => "duration".to_string(),
        "0 < self && self <= 65535" => "port".to_string(),
        "!self.contains(\"*\")" => "nowild".to_string(),
        "self.all(key, !key.contains(\"*\"))" => "nowildkeys".to_string(),
        "self.all(key, key.size() != 0)" => "nonemptykeys".to_string(),
        "self.all(key, 0 < int(key) && int(key) <= 65535)" => "portkeys".to_string(),
        "self != \"*\"" => "notstar".to_string(),
        "self.all(l1, self.exists_one(l2, l1.number == l2.number))" => "uniq=number".to_string(),
        r if r.ends_with("<= 1") && r.starts_with("(has(self.") => {
            // `(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= 1`: at most one of them.
            let names: Vec<&str> = r
                .split("has(self.")
                .skip(1)
                .filter_map(|s| s.split(')').next())
                .collect();
            if names.len() < 2 || names.iter().any(|n| n.contains(['.', ' ', '('])) {
                return None;
            }
            format!("oneof={}", names.join("|"))
        }
        _ => return None,
    };
    Some(attr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_parses_and_knows_the_istio_kinds() {
        let kinds = parse(TABLE).unwrap();
        for kind in [
            "VirtualService",
            "DestinationRule",
            "Gateway",
            "ServiceEntry",
            "Sidecar",
            "AuthorizationPolicy",
            "Telemetry",
        ] {
            assert!(kinds.iter().any(|k| k.kind == kind), "{kind}");
        }
        let vs = schema("VirtualService", "networking.istio.io").unwrap();
        let weight = vs.node("spec.http[].route[].weight").unwrap();
        assert_eq!(weight.ty, Some(Type::Integer));
        assert_eq!(weight.format.as_deref(), Some("int32"));
        assert!(vs.node("spec.http[].timeout").unwrap().duration);
        assert!(
            vs.properties("spec.http[].route[]")
                .contains(&"destination"),
            "{:?}",
            vs.properties("spec.http[].route[]")
        );
    }

    #[test]
    fn bad_tables_are_reported_with_their_line() {
        assert_eq!(
            parse("@\tA\tg\tv1\nspec\tobjekt\n").unwrap_err(),
            "line 2: unknown type \"objekt\""
        );
        assert_eq!(
            parse("spec\tobject\n").unwrap_err(),
            "line 1: a node before the first kind"
        );
    }
}
