//! The schemas of an IstioOperator's `spec.values` and `meshConfig`, as istioctl checks them:
//! istioctl decodes `values` into its `Values` proto with golang/protobuf's jsonpb (unknown
//! fields are errors, and so are values of the wrong type) and `meshConfig` into `MeshConfig`.
//! The schemas are a table generated from Istio's protos (`data/istio-values.table`, made by
//! `scripts/gen-values-schema`; Apache-2.0, Istio Authors).
//!
//! What a field accepts is protobuf's JSON mapping: a bool is `true`/`false`; an integer a
//! number without fraction or a string holding one; a float a number or a numeric string; an
//! enum its name or a number; a duration a string such as `1.5s`; a message a mapping (its
//! fields by JSON name or proto name); a `Struct`/`Value` anything of its shape. `null` is
//! always accepted (the field is unset).
//!
//! One difference from istioctl: for `meshConfig` istioctl retries with unknown fields
//! allowed (its mesh config reader tolerates fields of newer Istio versions), so a misspelt
//! MeshConfig field is silently ignored there. Here it is an error naming the nearest field,
//! because a field this release does not know has no effect.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::helm::Value;

const TABLE: &str = include_str!("../../data/istio-values.table");

/// One segment of the path to a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A value the schema rejects: where (below the checked root), what, and whether it is the key
/// itself that is wrong (an unknown field) rather than its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    pub path: Vec<Step>,
    pub message: String,
    pub at_key: bool,
}

/// `pilot.replicaCount`, `gateways.istio-ingressgateway.ports[0].port`.
pub fn display_path(prefix: &str, path: &[Step]) -> String {
    let mut out = prefix.to_string();
    for s in path {
        match s {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[derive(Debug)]
enum Type {
    Bool,
    Str,
    Bytes,
    Int { bits: u8, signed: bool },
    Float,
    Duration,
    Timestamp,
    Struct,
    Any,
    List,
    IntOrString,
    Enum(String),
    Msg(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    One,
    List,
    Map,
}

#[derive(Debug)]
struct Field {
    json: String,
    proto: String,
    label: Label,
    ty: Type,
    oneof: Option<String>,
}

#[derive(Default)]
struct Schema {
    roots: HashMap<String, String>,
    messages: HashMap<String, Vec<Field>>,
    enums: HashMap<String, Vec<String>>,
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| parse_table(TABLE));

fn parse_type(t: &str) -> Type {
    match t {
        "bool" => Type::Bool,
        "string" => Type::Str,
        "bytes" => Type::Bytes,
        "int32" => Type::Int {
            bits: 32,
            signed: true,
        },
        "int64" => Type::Int {
            bits: 64,
            signed: true,
        },
        "uint32" => Type::Int {
            bits: 32,
            signed: false,
        },
        "uint64" => Type::Int {
            bits: 64,
            signed: false,
        },
        "float" | "double" => Type::Float,
        "duration" => Type::Duration,
        "timestamp" => Type::Timestamp,
        "struct" => Type::Struct,
        "value" => Type::Any,
        "list" => Type::List,
        "intorstring" => Type::IntOrString,
        other => match other.split_once(':') {
            Some(("enum", name)) => Type::Enum(name.to_string()),
            Some(("msg", name)) => Type::Msg(name.to_string()),
            _ => panic!("data/istio-values.table: unknown type {other:?}"),
        },
    }
}

fn parse_table(text: &str) -> Schema {
    let mut schema = Schema::default();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("  ") {
            let name = current.as_ref().expect("a field follows its message");
            let label = match words[2] {
                "list" => Label::List,
                "map" => Label::Map,
                _ => Label::One,
            };
            let field = Field {
                json: words[0].to_string(),
                proto: words[1].to_string(),
                label,
                ty: parse_type(words[3]),
                oneof: words
                    .get(4)
                    .and_then(|w| w.strip_prefix("oneof="))
                    .map(str::to_string),
            };
            schema
                .messages
                .get_mut(name)
                .expect("message registered")
                .push(field);
            continue;
        }
        match words[0] {
            "root" => {
                schema
                    .roots
                    .insert(words[1].to_string(), words[2].to_string());
            }
            "message" => {
                schema.messages.insert(words[1].to_string(), Vec::new());
                current = Some(words[1].to_string());
            }
            "enum" => {
                schema.enums.insert(
                    words[1].to_string(),
                    words[2..].iter().map(|s| s.to_string()).collect(),
                );
            }
            other => panic!("data/istio-values.table: unknown line {other:?}"),
        }
    }
    schema
}

/// Checks `values` (an IstioOperator's `spec.values`) against Istio's `Values`; its
/// `meshConfig` is checked as a MeshConfig, as istioctl does.
pub fn check_values(values: &Value) -> Result<(), SchemaError> {
    check_root("values", values)?;
    // `Values.meshConfig` is a free-form Value in the proto; istioctl then reads it as a
    // MeshConfig (validateValues).
    let mesh = values.get("meshConfig");
    if matches!(mesh, Value::Map(_)) {
        check_root("meshConfig", &mesh).map_err(|mut e| {
            e.path.insert(0, Step::Key("meshConfig".into()));
            e
        })?;
    }
    Ok(())
}

/// Checks a `meshConfig` against Istio's `MeshConfig`.
pub fn check_mesh_config(mesh: &Value) -> Result<(), SchemaError> {
    check_root("meshConfig", mesh)
}

fn check_root(root: &str, v: &Value) -> Result<(), SchemaError> {
    let schema = &*SCHEMA;
    let name = &schema.roots[root];
    let mut path = Vec::new();
    check_message(schema, name, v, &mut path)
}

fn err(path: &[Step], message: String) -> Result<(), SchemaError> {
    Err(SchemaError {
        path: path.to_vec(),
        message,
        at_key: false,
    })
}

/// The short name of a message (`PilotConfig`), for messages.
fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn shown(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("{:?}", &**s),
        Value::List(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Nil => "null".into(),
        Value::Files(_) => "files".into(),
    }
}

fn check_message(
    schema: &Schema,
    name: &str,
    v: &Value,
    path: &mut Vec<Step>,
) -> Result<(), SchemaError> {
    let Value::Map(map) = v else {
        if v.is_nil() {
            return Ok(());
        }
        return err(
            path,
            format!("must be a mapping ({}), not {}", short(name), shown(v)),
        );
    };
    let fields = &schema.messages[name];
    let mut oneofs: HashMap<&str, &str> = HashMap::new();
    for (key, value) in map.borrow().iter() {
        let Some(field) = fields.iter().find(|f| f.json == *key || f.proto == *key) else {
            let names: Vec<&str> = fields.iter().map(|f| f.json.as_str()).collect();
            let mut at = path.clone();
            at.push(Step::Key(key.clone()));
            let near =
                crate::analyze::analyzers::schema::rules::closest(key, &names).or_else(|| {
                    // `replica_count` for `replicaCount`, `ISTIO_META` in any case.
                    let flat = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
                    names.iter().copied().find(|n| flat(n) == flat(key))
                });
            let message = match near {
                Some(near) => format!(
                    "unknown field {key:?} in {}; did you mean {near:?}?",
                    short(name)
                ),
                None if names.len() <= 12 => format!(
                    "unknown field {key:?} in {}; its fields are {}",
                    short(name),
                    names.join(", ")
                ),
                None => format!(
                    "unknown field {key:?} in {} ({} fields, none near; see Istio's {name})",
                    short(name),
                    names.len()
                ),
            };
            return Err(SchemaError {
                path: at,
                message,
                at_key: true,
            });
        };
        path.push(Step::Key(key.clone()));
        if let Some(group) = &field.oneof
            && !value.is_nil()
            && let Some(other) = oneofs.insert(group, &field.json)
        {
            return err(
                path,
                format!(
                    "{other} and {} are alternatives ({group}): set one of them",
                    field.json
                ),
            );
        }
        check_field(schema, field, value, path)?;
        path.pop();
    }
    Ok(())
}

fn check_field(
    schema: &Schema,
    field: &Field,
    v: &Value,
    path: &mut Vec<Step>,
) -> Result<(), SchemaError> {
    if v.is_nil() {
        return Ok(());
    }
    match field.label {
        Label::One => check_type(schema, &field.ty, v, path),
        Label::List => {
            let Value::List(items) = v else {
                return err(path, format!("must be a list, not {}", shown(v)));
            };
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                check_type(schema, &field.ty, item, path)?;
                path.pop();
            }
            Ok(())
        }
        Label::Map => {
            let Value::Map(m) = v else {
                return err(path, format!("must be a mapping, not {}", shown(v)));
            };
            for (k, item) in m.borrow().iter() {
                path.push(Step::Key(k.clone()));
                check_type(schema, &field.ty, item, path)?;
                path.pop();
            }
            Ok(())
        }
    }
}

/// An integer as protobuf's JSON reads one: a number without fraction, or a string holding one.
fn as_integer(v: &Value) -> Option<i128> {
    match v {
        Value::Int(i) => Some(i128::from(*i)),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i128),
        Value::Str(s) => s.trim().parse::<i128>().ok(),
        _ => None,
    }
}

/// A duration as protobuf's JSON writes one: seconds with up to nine decimals and an `s`.
fn is_proto_duration(s: &str) -> bool {
    let Some(num) = s.strip_suffix('s') else {
        return false;
    };
    let num = num.strip_prefix('-').unwrap_or(num);
    let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 9
        && frac.bytes().all(|b| b.is_ascii_digit())
        && frac.is_empty() != num.contains('.')
}

fn check_type(
    schema: &Schema,
    ty: &Type,
    v: &Value,
    path: &mut Vec<Step>,
) -> Result<(), SchemaError> {
    if v.is_nil() {
        return Ok(());
    }
    let ok = match ty {
        Type::Any => true,
        Type::Bool => matches!(v, Value::Bool(_)),
        Type::Str | Type::Bytes | Type::Timestamp => matches!(v, Value::Str(_)),
        Type::Struct => matches!(v, Value::Map(_)),
        Type::List => matches!(v, Value::List(_)),
        Type::IntOrString => {
            matches!(v, Value::Str(_)) || as_integer(v).is_some_and(|i| i32::try_from(i).is_ok())
        }
        Type::Int { bits, signed } => as_integer(v).is_some_and(|i| match (bits, signed) {
            (32, true) => i32::try_from(i).is_ok(),
            (32, false) => u32::try_from(i).is_ok(),
            (_, true) => i64::try_from(i).is_ok(),
            (_, false) => u64::try_from(i).is_ok(),
        }),
        Type::Float => match v {
            Value::Int(_) | Value::Float(_) => true,
            Value::Str(s) => {
                s.parse::<f64>().is_ok() || matches!(&**s, "NaN" | "Infinity" | "-Infinity")
            }
            _ => false,
        },
        Type::Duration => matches!(v, Value::Str(s) if is_proto_duration(s)),
        Type::Enum(name) => match v {
            Value::Str(s) => {
                let values = &schema.enums[name];
                if !values.iter().any(|e| e == &**s) {
                    let names: Vec<&str> = values.iter().map(String::as_str).collect();
                    let near = crate::analyze::analyzers::schema::rules::closest(s, &names);
                    let hint = near
                        .map(|n| format!("did you mean {n:?}? "))
                        .unwrap_or_default();
                    return err(
                        path,
                        format!(
                            "{:?} is not one of {}: {hint}the values are {}",
                            &**s,
                            short(name),
                            names.join(", ")
                        ),
                    );
                }
                true
            }
            other => as_integer(other).is_some_and(|i| i32::try_from(i).is_ok()),
        },
        Type::Msg(name) => return check_message(schema, name, v, path),
    };
    if ok {
        return Ok(());
    }
    let want = match ty {
        Type::Bool => "true or false".to_string(),
        Type::Str => "a string".into(),
        Type::Bytes => "a base64 string".into(),
        Type::Timestamp => "an RFC 3339 time string".into(),
        Type::Struct => "a mapping".into(),
        Type::List => "a list".into(),
        Type::IntOrString => "an integer or a string".into(),
        Type::Int { bits, signed } => {
            format!("an integer ({}int{bits})", if *signed { "" } else { "u" })
        }
        Type::Float => "a number".into(),
        Type::Duration => "a duration in seconds such as \"1.5s\"".into(),
        Type::Enum(name) => format!("one of {}", short(name)),
        Type::Any | Type::Msg(_) => unreachable!("always accepted or checked above"),
    };
    let note = match (ty, v) {
        // YAML 1.1 (istioctl's reader) took these for booleans; YAML 1.2 reads strings.
        (Type::Bool, Value::Str(s))
            if matches!(
                s.to_ascii_lowercase().as_str(),
                "yes" | "no" | "on" | "off" | "y" | "n"
            ) =>
        {
            " (YAML 1.2 reads it as a string: write true or false)"
        }
        _ => "",
    };
    err(path, format!("must be {want}, not {}{note}", shown(v)))
}

/// Whether a field path below `spec.values` names a field the schema knows (used by tests).
#[cfg(test)]
fn field_names(message: &str) -> Vec<String> {
    SCHEMA.messages[message]
        .iter()
        .map(|f| f.json.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::install::iop::{parse_value, set_spec_flag};

    fn flags(set: &[&str]) -> Value {
        let root = Value::new_map();
        for f in set {
            set_spec_flag(&root, f).unwrap();
        }
        root
    }

    fn values_error(set: &[&str]) -> Option<(String, String)> {
        let root = flags(set);
        let spec = root.get("spec");
        if let Err(e) = check_values(&spec.get("values")) {
            return Some((display_path("values", &e.path), e.message));
        }
        if let Err(e) = check_mesh_config(&spec.get("meshConfig")) {
            return Some((display_path("meshConfig", &e.path), e.message));
        }
        None
    }

    #[test]
    fn the_table_holds_both_roots() {
        assert!(
            field_names("istio.operator.v1alpha1.PilotConfig").contains(&"replicaCount".into())
        );
        assert!(field_names("istio.mesh.v1alpha1.MeshConfig").contains(&"accessLogFile".into()));
    }

    #[test]
    fn what_istioctl_accepts_is_accepted() {
        for ok in [
            "values.pilot.replicaCount=3",
            "values.pilot.replicaCount=\"3\"",
            "values.global.hub=docker.io/istio",
            "values.global.tag=1.30.3",
            "values.global.proxy.includeIPRanges=10.0.0.0/8",
            "values.pilot.env.PILOT_TRACE_SAMPLING=100",
            "values.gateways.istio-ingressgateway.podAnnotations.x=y",
            "values.istio_cni.enabled=true",
            "values.pilot.traceSampling=0.5",
            "values.global.logging.level=default:info",
            "values.meshConfig.accessLogFile=/dev/stdout",
            "meshConfig.accessLogFile=/dev/stdout",
            "meshConfig.access_log_file=/dev/stdout",
            "meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true",
            "meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY",
            "meshConfig.connectTimeout=10s",
            "meshConfig.defaultConfig.tracing.zipkin.address=zipkin:9411",
            "values.ztunnel.anything.goes=1",
        ] {
            let flag = ok.replace('"', "");
            assert_eq!(values_error(&[&flag]), None, "{ok}");
        }
    }

    #[test]
    fn unknown_fields_and_wrong_types_name_the_path() {
        let (path, message) = values_error(&["values.pilot.replicaCont=2"]).unwrap();
        assert_eq!(path, "values.pilot.replicaCont");
        assert_eq!(
            message,
            "unknown field \"replicaCont\" in PilotConfig; did you mean \"replicaCount\"?"
        );

        let (path, message) = values_error(&["values.pilot.replicaCount=abc"]).unwrap();
        assert_eq!(path, "values.pilot.replicaCount");
        assert_eq!(message, "must be an integer (uint32), not \"abc\"");

        let (path, message) = values_error(&["meshConfig.accessLogFil=/dev/stdout"]).unwrap();
        assert_eq!(path, "meshConfig.accessLogFil");
        assert!(
            message.contains("did you mean \"accessLogFile\"?"),
            "{message}"
        );

        let (path, _) = values_error(&["values.meshConfig.enableTracin=true"]).unwrap();
        assert_eq!(path, "values.meshConfig.enableTracin");

        let (path, message) = values_error(&["values.global.proxy.privileged=yes"]).unwrap();
        assert_eq!(path, "values.global.proxy.privileged");
        assert_eq!(
            message,
            "must be true or false, not \"yes\" (YAML 1.2 reads it as a string: write true or false)"
        );
        let (_, message) = values_error(&["values.global.proxy.privileged=maybe"]).unwrap();
        assert_eq!(message, "must be true or false, not \"maybe\"");

        let (_, message) =
            values_error(&["meshConfig.outboundTrafficPolicy.mode=ALLOW_ALL"]).unwrap();
        assert!(message.contains("REGISTRY_ONLY, ALLOW_ANY"), "{message}");

        let (_, message) = values_error(&["meshConfig.connectTimeout=10m"]).unwrap();
        assert!(message.contains("duration"), "{message}");

        let (path, _) = values_error(&["values.notAThing=1"]).unwrap();
        assert_eq!(path, "values.notAThing");
    }

    #[test]
    fn protojson_numbers_and_durations() {
        assert!(
            is_proto_duration("1s")
                && is_proto_duration("1.5s")
                && is_proto_duration("-0.000000001s")
        );
        assert!(!is_proto_duration("1m") && !is_proto_duration("s") && !is_proto_duration("1.s"));
        assert_eq!(as_integer(&parse_value("3")), Some(3));
        assert_eq!(as_integer(&parse_value("3.5")), None);
        assert_eq!(as_integer(&Value::str("-4")), Some(-4));
    }
}

#[cfg(test)]
mod release_data {
    use crate::install::iop::check_document;
    use crate::resource::node::parse_documents;

    /// Every profile of the release, and the conformance corpus' IstioOperator inputs, pass the
    /// schema: what istioctl accepts is accepted.
    #[test]
    fn release_profiles_and_conformance_inputs_pass() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
        let mut files = Vec::new();
        // The corpus' inputs its 19 cases use (others are upstream's deliberately bad ones).
        let cases: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(shared.join("conformance/istio-manifests/cases.json"))
                .unwrap(),
        )
        .unwrap();
        for case in cases.as_array().unwrap() {
            if let Some(input) = case["input"].as_str() {
                files.push(shared.join("conformance/istio-manifests").join(input));
            }
        }
        for dir in [
            "istio-release/1.30.3/manifests/profiles",
            "conformance/istio-manifests/data-snapshot/manifests/profiles",
        ] {
            let Ok(entries) = std::fs::read_dir(shared.join(dir)) else {
                continue;
            };
            for e in entries.flatten() {
                if e.path().extension().is_some_and(|x| x == "yaml") {
                    files.push(e.path());
                }
            }
        }
        assert!(files.len() > 10, "{files:?}");
        let mut failures = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let Ok(docs) = parse_documents(&text, 0) else {
                continue;
            };
            for doc in docs
                .iter()
                .filter(|d| d.get("kind").and_then(|k| k.as_str()) == Some("IstioOperator"))
            {
                if let Err(e) = check_document(doc) {
                    failures.push(format!("{}: {} ({:?})", f.display(), e.message, e.pos));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
