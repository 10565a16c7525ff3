//! The IstioOperator as istioctl handles it: an untyped tree merged from the profile, the
//! `-f` files (left to right) and the `--set` flags, checked against the fields istioctl
//! knows, then translated into Helm values.

use std::collections::BTreeMap;

use super::helm::Value;
use super::values_schema;
use crate::resource::node::{Node, Pos, Value as NodeValue};

/// The top-level fields of an IstioOperator `spec`.
pub const SPEC_FIELDS: &[&str] = &[
    "profile",
    "installPackagePath",
    "hub",
    "tag",
    "namespace",
    "revision",
    "compatibilityVersion",
    "meshConfig",
    "components",
    "values",
    "unvalidatedValues",
];

/// `spec.components` keys.
pub const COMPONENTS: &[&str] = &[
    "base",
    "pilot",
    "cni",
    "ztunnel",
    "ingressGateways",
    "egressGateways",
];

/// Fields of one component (gateways also take `name` and `label`).
pub const COMPONENT_FIELDS: &[&str] =
    &["enabled", "namespace", "hub", "tag", "k8s", "name", "label"];

/// `components.<name>.k8s` fields.
pub const K8S_FIELDS: &[&str] = &[
    "affinity",
    "env",
    "hpaSpec",
    "imagePullPolicy",
    "nodeSelector",
    "podDisruptionBudget",
    "podAnnotations",
    "priorityClassName",
    "readinessProbe",
    "replicaCount",
    "resources",
    "service",
    "serviceAnnotations",
    "securityContext",
    "strategy",
    "tolerations",
    "volumes",
    "volumeMounts",
    "overlays",
];

/// What a field must hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Str,
    Bool,
    Int,
    Map,
    List,
    /// A string or a number (`tag: 1.30`).
    Scalar,
    Any,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Str => "a string",
            Shape::Bool => "true or false",
            Shape::Int => "an integer",
            Shape::Map => "a mapping",
            Shape::List => "a list",
            Shape::Scalar => "a string or a number",
            Shape::Any => "any value",
        }
    }

    fn accepts(self, v: &Value) -> bool {
        match self {
            Shape::Any => true,
            _ if v.is_nil() => true,
            Shape::Str => matches!(v, Value::Str(_)),
            Shape::Bool => matches!(v, Value::Bool(_)),
            Shape::Int => v.as_f64().is_some_and(|f| f == f.trunc()),
            Shape::Map => matches!(v, Value::Map(_)),
            Shape::List => matches!(v, Value::List(_)),
            Shape::Scalar => matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_)),
        }
    }
}

fn spec_shape(field: &str) -> Shape {
    match field {
        "profile"
        | "installPackagePath"
        | "hub"
        | "namespace"
        | "revision"
        | "compatibilityVersion" => Shape::Str,
        "tag" => Shape::Scalar,
        "meshConfig" | "components" | "values" | "unvalidatedValues" => Shape::Map,
        _ => Shape::Any,
    }
}

fn component_shape(field: &str) -> Shape {
    match field {
        "enabled" => Shape::Bool,
        "namespace" | "hub" | "name" => Shape::Str,
        "tag" => Shape::Scalar,
        "k8s" | "label" => Shape::Map,
        _ => Shape::Any,
    }
}

fn k8s_shape(field: &str) -> Shape {
    match field {
        "replicaCount" => Shape::Int,
        "imagePullPolicy" | "priorityClassName" => Shape::Str,
        "env" | "tolerations" | "volumes" | "volumeMounts" | "overlays" => Shape::List,
        _ => Shape::Map,
    }
}

/// `hpa_spec` -> `hpaSpec`: the proto field names istioctl's API accepts as well.
pub fn camel(key: &str) -> String {
    if !key.contains('_') {
        return key.to_string();
    }
    let mut out = String::new();
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A problem with the IstioOperator: the field path, and where it was written when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
}

fn allowed(list: &[&str]) -> String {
    list.join(", ")
}

/// Checks one IstioOperator document (as parsed, with positions) and returns it as values,
/// with proto (snake_case) field names turned into the JSON names in the parts istioctl types.
pub fn check_document(doc: &Node) -> Result<Value, FieldError> {
    let at = |path: &str, node: &Node, message: String| FieldError {
        path: path.to_string(),
        pos: Some(node.pos),
        message,
    };
    if !doc.is_map() {
        return Err(at("", doc, "an IstioOperator must be a mapping".into()));
    }
    if let Some(kind) = doc.get("kind").and_then(Node::as_str)
        && kind != "IstioOperator"
    {
        return Err(at(
            "kind",
            doc.get("kind").unwrap_or(doc),
            format!("kind is {kind:?}; expected IstioOperator"),
        ));
    }
    let value = Value::from_node(doc);
    let Some(spec) = doc.get("spec") else {
        return Ok(value);
    };
    if spec.is_null() {
        return Ok(value);
    }
    if !spec.is_map() {
        return Err(at("spec", spec, "spec must be a mapping".into()));
    }
    let mut out_spec = BTreeMap::new();
    for e in spec.as_map() {
        let key = camel(&e.key);
        let path = format!("spec.{key}");
        if !SPEC_FIELDS.contains(&key.as_str()) {
            return Err(FieldError {
                path: path.clone(),
                pos: Some(e.key_pos),
                message: format!(
                    "unknown field {:?} in spec; allowed: {}",
                    e.key,
                    allowed(SPEC_FIELDS)
                ),
            });
        }
        let v = Value::from_node(&e.value);
        let shape = spec_shape(&key);
        if !shape.accepts(&v) {
            return Err(at(
                &path,
                &e.value,
                format!("{path} must be {}", shape.describe()),
            ));
        }
        let v = if key == "components" {
            check_components_node(&e.value)?
        } else {
            v
        };
        let node = &e.value;
        check_typed(&key, &v).map_err(|(at, path, message)| FieldError {
            pos: node_at(node, &at).or(Some(node.pos)),
            path,
            message,
        })?;
        out_spec.insert(key, v);
    }
    if let Value::Map(m) = &value {
        m.borrow_mut()
            .insert("spec".into(), Value::from_map(out_spec));
    }
    Ok(value)
}

/// Where a schema problem was written: the key for an unknown field, else the value.
fn node_at(root: &Node, at: &(Vec<values_schema::Step>, bool)) -> Option<Pos> {
    let (steps, at_key) = at;
    let mut node = root;
    let mut key_pos = None;
    for step in steps {
        match step {
            values_schema::Step::Key(k) => {
                let e = node.as_map().iter().find(|e| e.key == k)?;
                key_pos = Some(e.key_pos);
                node = &e.value;
            }
            values_schema::Step::Index(i) => {
                node = node.as_seq().get(*i)?;
                key_pos = None;
            }
        }
    }
    if *at_key { key_pos } else { Some(node.pos) }
}

/// The error of the values/MeshConfig schema check of the `spec` field `key` (`values`,
/// `meshConfig`), as (steps with whether the key is at fault, `spec.values.x.y`, message).
type TypedError = ((Vec<values_schema::Step>, bool), String, String);

fn check_typed(key: &str, v: &Value) -> Result<(), TypedError> {
    let result = match key {
        "values" => values_schema::check_values(v),
        "meshConfig" => values_schema::check_mesh_config(v),
        _ => return Ok(()),
    };
    result.map_err(|e| {
        let path = values_schema::display_path(&format!("spec.{key}"), &e.path);
        let message = format!("{path}: {}", e.message);
        ((e.path, e.at_key), path, message)
    })
}

fn check_components_node(node: &Node) -> Result<Value, FieldError> {
    let mut out = BTreeMap::new();
    for e in node.as_map() {
        let name = camel(&e.key);
        let path = format!("spec.components.{name}");
        if !COMPONENTS.contains(&name.as_str()) {
            return Err(FieldError {
                path,
                pos: Some(e.key_pos),
                message: format!(
                    "unknown component {:?}; components are: {}",
                    e.key,
                    allowed(COMPONENTS)
                ),
            });
        }
        let multi = name.ends_with("Gateways");
        let value = if multi {
            if e.value.is_null() {
                Value::Nil
            } else if !e.value.is_seq() {
                return Err(FieldError {
                    path: path.clone(),
                    pos: Some(e.value.pos),
                    message: format!("{path} must be a list of gateways"),
                });
            } else {
                let mut items = Vec::new();
                for (i, item) in e.value.as_seq().iter().enumerate() {
                    items.push(check_component_node(&format!("{path}[{i}]"), item)?);
                }
                Value::list(items)
            }
        } else {
            check_component_node(&path, &e.value)?
        };
        out.insert(name, value);
    }
    Ok(Value::from_map(out))
}

fn check_component_node(path: &str, node: &Node) -> Result<Value, FieldError> {
    if node.is_null() {
        return Ok(Value::Nil);
    }
    if !node.is_map() {
        return Err(FieldError {
            path: path.to_string(),
            pos: Some(node.pos),
            message: format!("{path} must be a mapping"),
        });
    }
    let mut out = BTreeMap::new();
    for e in node.as_map() {
        let key = camel(&e.key);
        let fpath = format!("{path}.{key}");
        if !COMPONENT_FIELDS.contains(&key.as_str()) {
            return Err(FieldError {
                path: fpath,
                pos: Some(e.key_pos),
                message: format!(
                    "unknown field {:?} in a component; allowed: {}",
                    e.key,
                    allowed(COMPONENT_FIELDS)
                ),
            });
        }
        let v = Value::from_node(&e.value);
        let shape = component_shape(&key);
        if !shape.accepts(&v) {
            return Err(FieldError {
                path: fpath.clone(),
                pos: Some(e.value.pos),
                message: format!("{fpath} must be {}", shape.describe()),
            });
        }
        let v = if key == "k8s" && e.value.is_map() {
            let mut k8s = BTreeMap::new();
            for k in e.value.as_map() {
                let kkey = camel(&k.key);
                let kpath = format!("{fpath}.{kkey}");
                if !K8S_FIELDS.contains(&kkey.as_str()) {
                    return Err(FieldError {
                        path: kpath,
                        pos: Some(k.key_pos),
                        message: format!(
                            "unknown field {:?} in k8s; allowed: {}",
                            k.key,
                            allowed(K8S_FIELDS)
                        ),
                    });
                }
                let kv = Value::from_node(&k.value);
                let shape = k8s_shape(&kkey);
                if !shape.accepts(&kv) {
                    return Err(FieldError {
                        path: kpath.clone(),
                        pos: Some(k.value.pos),
                        message: format!("{kpath} must be {}", shape.describe()),
                    });
                }
                k8s.insert(kkey, kv);
            }
            Value::from_map(k8s)
        } else {
            v
        };
        out.insert(key, v);
    }
    Ok(Value::from_map(out))
}

/// Checks the merged tree (after `--set`), so a flag that names an unknown field or gives a
/// wrong type is refused with its path.
pub fn check_merged(iop: &Value) -> Result<(), FieldError> {
    let err = |path: String, message: String| FieldError {
        path,
        pos: None,
        message,
    };
    let spec = iop.get("spec");
    let Value::Map(spec) = &spec else {
        return Ok(());
    };
    for (key, v) in spec.borrow().iter() {
        let path = format!("spec.{key}");
        if !SPEC_FIELDS.contains(&key.as_str()) {
            return Err(err(
                path,
                format!(
                    "unknown field {key:?} in spec; allowed: {}",
                    allowed(SPEC_FIELDS)
                ),
            ));
        }
        let shape = spec_shape(key);
        if !shape.accepts(v) {
            return Err(err(
                path.clone(),
                format!("{path} must be {}", shape.describe()),
            ));
        }
        check_typed(key, v).map_err(|(_, path, message)| err(path, message))?;
    }
    let comps = spec
        .borrow()
        .get("components")
        .cloned()
        .unwrap_or(Value::Nil);
    if let Value::Map(comps) = &comps {
        for (name, c) in comps.borrow().iter() {
            let path = format!("spec.components.{name}");
            if !COMPONENTS.contains(&name.as_str()) {
                return Err(err(
                    path,
                    format!(
                        "unknown component {name:?}; components are: {}",
                        allowed(COMPONENTS)
                    ),
                ));
            }
            let items: Vec<(String, Value)> = match c {
                Value::List(l) => l
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{path}[{i}]"), v.clone()))
                    .collect(),
                other => vec![(path.clone(), other.clone())],
            };
            for (cpath, item) in items {
                let Value::Map(m) = &item else {
                    if item.is_nil() {
                        continue;
                    }
                    return Err(err(cpath.clone(), format!("{cpath} must be a mapping")));
                };
                for (k, v) in m.borrow().iter() {
                    let fpath = format!("{cpath}.{k}");
                    if !COMPONENT_FIELDS.contains(&k.as_str()) {
                        return Err(err(
                            fpath,
                            format!(
                                "unknown field {k:?} in a component; allowed: {}",
                                allowed(COMPONENT_FIELDS)
                            ),
                        ));
                    }
                    let shape = component_shape(k);
                    if !shape.accepts(v) {
                        return Err(err(
                            fpath.clone(),
                            format!("{fpath} must be {}", shape.describe()),
                        ));
                    }
                    if k == "k8s"
                        && let Value::Map(k8s) = v
                    {
                        for (kk, kv) in k8s.borrow().iter() {
                            let kpath = format!("{fpath}.{kk}");
                            if !K8S_FIELDS.contains(&kk.as_str()) {
                                return Err(err(
                                    kpath,
                                    format!(
                                        "unknown field {kk:?} in k8s; allowed: {}",
                                        allowed(K8S_FIELDS)
                                    ),
                                ));
                            }
                            let shape = k8s_shape(kk);
                            if !shape.accepts(kv) {
                                return Err(err(
                                    kpath.clone(),
                                    format!("{kpath} must be {}", shape.describe()),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// istioctl's MergeFrom: maps merge key by key, anything else replaces.
pub fn merge_from(dst: &Value, src: &Value) {
    let (Value::Map(d), Value::Map(s)) = (dst, src) else {
        return;
    };
    let src = s.borrow().clone();
    for (k, sv) in src {
        let dv = d.borrow().get(&k).cloned();
        match (&dv, &sv) {
            (Some(dm @ Value::Map(_)), Value::Map(_)) => merge_from(dm, &sv),
            _ => {
                d.borrow_mut().insert(k, sv.deep_clone());
            }
        }
    }
}

/// One step of a `--set` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
    /// `[name:foo]`.
    Select(String, String),
}

/// Splits `a.b\.c.[0].d[name:x]` into steps; `\.` keeps a dot inside a key.
pub fn split_path(path: &str) -> Result<Vec<Seg>, String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    let push_key = |cur: &mut String, segs: &mut Vec<Seg>| {
        if !cur.is_empty() {
            segs.push(Seg::Key(std::mem::take(cur)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                cur.push('.');
            }
            '.' => {
                if cur.is_empty() && !matches!(segs.last(), Some(Seg::Index(_) | Seg::Select(..))) {
                    return Err(format!("empty key in path {path:?}"));
                }
                push_key(&mut cur, &mut segs);
            }
            '[' => {
                push_key(&mut cur, &mut segs);
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(format!("unclosed [ in path {path:?}"));
                }
                if let Ok(i) = inner.parse::<usize>() {
                    segs.push(Seg::Index(i));
                } else if let Some((k, v)) = inner.split_once(':') {
                    segs.push(Seg::Select(k.to_string(), v.to_string()));
                } else {
                    return Err(format!(
                        "[{inner}] in path {path:?} is neither an index nor a key:value selector"
                    ));
                }
            }
            c => cur.push(c),
        }
    }
    push_key(&mut cur, &mut segs);
    if segs.is_empty() {
        return Err("empty path".into());
    }
    Ok(segs)
}

/// istioctl's SetPath: creates maps along the way, appends past the end of a list, finds
/// `[key:value]` elements (which must exist).
pub fn set_path(root: &Value, segs: &[Seg], value: Value) -> Result<(), String> {
    let Value::Map(m) = root else {
        return Err("cannot set a field inside a value that is not a mapping".into());
    };
    let Seg::Key(key) = &segs[0] else {
        return Err("a path must start with a field name".into());
    };
    let rest = &segs[1..];
    if rest.is_empty() {
        m.borrow_mut().insert(key.clone(), value);
        return Ok(());
    }
    match &rest[0] {
        Seg::Key(_) => {
            let child = m.borrow().get(key).cloned();
            let child = match child {
                Some(c @ Value::Map(_)) => c,
                Some(Value::Nil) | None => {
                    let c = Value::new_map();
                    m.borrow_mut().insert(key.clone(), c.clone());
                    c
                }
                Some(other) => {
                    return Err(format!("{key} is {}, not a mapping", other.type_name()));
                }
            };
            set_path(&child, rest, value)
        }
        sel @ (Seg::Index(_) | Seg::Select(..)) => {
            let list = match m.borrow().get(key).cloned() {
                Some(Value::List(l)) => l.to_vec(),
                Some(Value::Nil) | None => Vec::new(),
                Some(other) => return Err(format!("{key} is {}, not a list", other.type_name())),
            };
            let mut list = list;
            let index = match sel {
                Seg::Index(i) => *i,
                Seg::Select(k, v) => list
                    .iter()
                    .position(|item| {
                        item.get(k).as_str().is_some_and(|s| s == v)
                            || funcs_str(&item.get(k)) == *v
                    })
                    .ok_or_else(|| format!("no element of {key} has {k}={v}"))?,
                Seg::Key(_) => unreachable!(),
            };
            let last = rest.len() == 1;
            if index >= list.len() {
                if last {
                    list.push(value);
                } else {
                    let nm = Value::new_map();
                    set_path(&nm, &rest[1..], value)?;
                    list.push(nm);
                }
            } else if last {
                list[index] = value;
            } else {
                let item = match &list[index] {
                    v @ Value::Map(_) => v.clone(),
                    _ => Value::new_map(),
                };
                set_path(&item, &rest[1..], value)?;
                list[index] = item;
            }
            m.borrow_mut().insert(key.clone(), Value::list(list));
            Ok(())
        }
    }
}

fn funcs_str(v: &Value) -> String {
    super::helm::funcs::strval(v)
}

/// istioctl's ParseValue: an integer, a float, a bool, or else the string (with `\,` as `,`).
/// Numbers are float64 from here on, as they are after istioctl's JSON round trip.
pub fn parse_value(s: &str) -> Value {
    if let Ok(i) = s.parse::<i64>() {
        return Value::Float(i as f64);
    }
    if let Ok(f) = s.parse::<f64>()
        && !s.eq_ignore_ascii_case("inf")
        && !s.eq_ignore_ascii_case("nan")
        && !s.eq_ignore_ascii_case("infinity")
    {
        return Value::Float(f);
    }
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => return Value::Bool(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => return Value::Bool(false),
        _ => {}
    }
    Value::str(s.replace("\\,", ","))
}

/// Paths whose values stay strings even when they look like numbers.
const ALWAYS_STRING: &[&str] = &[
    "spec.values.compatibilityVersion",
    "spec.meshConfig.defaultConfig.proxyMetadata.",
    "spec.values.meshConfig.defaultConfig.proxyMetadata.",
    "spec.compatibilityVersion",
];

/// Applies `path=value` under `spec.` (istioctl's SetSpecPaths), returning the path on error.
pub fn set_spec_flag(root: &Value, flag: &str) -> Result<(), String> {
    let (path, value) = match flag.split_once('=') {
        Some((p, v)) => (p.trim(), v.trim()),
        None => return Err(format!("{flag:?} is not path=value")),
    };
    if path.is_empty() {
        return Err(format!("{flag:?} has no path before ="));
    }
    let full = format!("spec.{path}");
    let val = if ALWAYS_STRING.iter().any(|a| full.starts_with(a)) {
        Value::str(value)
    } else {
        parse_value(value)
    };
    let segs = split_path(&full)?;
    set_path(root, &segs, val)
}

/// The value at a dotted path of map keys, if present.
pub fn get_path(root: &Value, path: &str) -> Option<Value> {
    let mut cur = root.clone();
    for p in path.split('.') {
        let next = match &cur {
            Value::Map(m) => m.borrow().get(p).cloned(),
            _ => None,
        }?;
        cur = next;
    }
    Some(cur)
}

pub fn get_string(root: &Value, path: &str) -> String {
    match get_path(root, path) {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::Nil) | None => String::new(),
        Some(v) => v.to_print_string(),
    }
}

pub fn get_bool(root: &Value, path: &str) -> bool {
    matches!(get_path(root, path), Some(Value::Bool(true)))
}

/// Whether a node is an empty document (only comments).
pub fn is_empty_doc(n: &Node) -> bool {
    matches!(n.value, NodeValue::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_at_their_position_and_unvalidated_values_are_not() {
        let doc = |text: &str| {
            crate::resource::node::parse_documents(text, 0)
                .unwrap()
                .remove(0)
        };
        let ok = doc("kind: IstioOperator\nspec:\n  unvalidatedValues:\n    anything: {goes: 1}\n");
        assert!(check_document(&ok).is_ok());
        let bad = doc(
            "kind: IstioOperator\nspec:\n  unvalidatedValues:\n    anything: 1\n  values:\n    pilot:\n      replicaCount: x\n",
        );
        let e = check_document(&bad).unwrap_err();
        assert_eq!(e.path, "spec.values.pilot.replicaCount");
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((7, 21)));
        // An unknown field points at its key.
        let typo = doc("kind: IstioOperator\nspec:\n  meshConfig:\n    enableTracng: true\n");
        let e = check_document(&typo).unwrap_err();
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((4, 5)));
        assert!(
            e.message.contains("did you mean \"enableTracing\"?"),
            "{}",
            e.message
        );
    }

    #[test]
    fn paths_split_with_escapes_indices_and_selectors() {
        assert_eq!(
            split_path(r"values.gateways.a\.b[0].x.[name:foo]").unwrap(),
            vec![
                Seg::Key("values".into()),
                Seg::Key("gateways".into()),
                Seg::Key("a.b".into()),
                Seg::Index(0),
                Seg::Key("x".into()),
                Seg::Select("name".into(), "foo".into())
            ]
        );
        assert!(split_path("a.[x").is_err());
        assert!(split_path("a..b").is_err());
    }

    #[test]
    fn set_flags_create_maps_append_to_lists_and_select_by_key() {
        let root = Value::new_map();
        set_spec_flag(&root, "values.global.hub=example.com").unwrap();
        set_spec_flag(&root, "components.egressGateways[0].enabled=true").unwrap();
        set_spec_flag(&root, "components.egressGateways[0].name=eg").unwrap();
        set_spec_flag(&root, "components.egressGateways.[name:eg].namespace=x").unwrap();
        set_spec_flag(&root, "values.pilot.replicaCount=3").unwrap();
        set_spec_flag(&root, "values.compatibilityVersion=1.25").unwrap();
        assert_eq!(get_string(&root, "spec.values.global.hub"), "example.com");
        let gw = root.path(&["spec", "components", "egressGateways"]);
        let Value::List(l) = gw else { panic!("{gw:?}") };
        assert_eq!(l.len(), 1);
        assert!(matches!(l[0].get("enabled"), Value::Bool(true)));
        assert_eq!(l[0].get("namespace").as_str(), Some("x"));
        assert!(
            matches!(root.path(&["spec", "values", "pilot", "replicaCount"]), Value::Float(f) if f == 3.0)
        );
        assert_eq!(
            root.path(&["spec", "values", "compatibilityVersion"])
                .as_str(),
            Some("1.25")
        );
        assert!(
            set_spec_flag(&root, "components.egressGateways.[name:nope].enabled=true")
                .unwrap_err()
                .contains("name=nope")
        );
        assert!(set_spec_flag(&root, "novalue").is_err());
    }

    #[test]
    fn merged_tree_is_checked_with_paths() {
        let root = Value::new_map();
        set_spec_flag(&root, "components.pilot.k8s.replicaCount=two").unwrap();
        let e = check_merged(&root).unwrap_err();
        assert_eq!(e.path, "spec.components.pilot.k8s.replicaCount");
        let root = Value::new_map();
        set_spec_flag(&root, "components.bogus.enabled=true").unwrap();
        assert!(
            check_merged(&root)
                .unwrap_err()
                .message
                .contains("components are: base, pilot")
        );
        let root = Value::new_map();
        set_spec_flag(&root, "nosuch=1").unwrap();
        assert!(
            check_merged(&root)
                .unwrap_err()
                .message
                .contains("allowed: profile")
        );
    }
}
