//! The generic half of validation: a resource's `spec` checked against its kind's schema table
//! (types, required fields, enums, ranges, formats and unknown fields).

use super::rules;
use super::table::{KindSchema, SchemaNode, Type};
use crate::resource::Node;
use crate::resource::node::{ScalarKind, Value};

/// How serious a problem is: errors are IST0106, warnings IST0133.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, at a field path of the resource (`spec.http[0].route[0].weight`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(field, message)
        }
    }
}

/// Checks `spec` against `schema`, appending what is wrong to `out`.
pub fn check(schema: &KindSchema, spec: &Node, out: &mut Vec<Problem>) {
    walk(schema, "spec", "spec", spec, out);
}

/// What a node holds, for messages (`string "80"`, `a list`).
fn describe(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Scalar(s, ScalarKind::Str) => format!("string {s:?}"),
        Value::Scalar(s, ScalarKind::Int) => format!("integer {s}"),
        Value::Scalar(s, ScalarKind::Float) => format!("number {s}"),
        Value::Scalar(s, ScalarKind::Bool) => format!("boolean {s}"),
        Value::Scalar(s, ScalarKind::Null) => format!("null {s}"),
        Value::Seq(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
    }
}

fn kind_of(node: &Node) -> Option<ScalarKind> {
    match &node.value {
        Value::Scalar(_, k) => Some(*k),
        _ => None,
    }
}

/// Whether the node has the schema's type; enum fields also take the value's number, as
/// Istio's protobuf reader does.
fn type_ok(ty: Type, node: &Node) -> bool {
    let k = kind_of(node);
    match ty {
        Type::Object => node.is_map(),
        Type::Array => node.is_seq(),
        Type::String => k == Some(ScalarKind::Str),
        Type::Integer => k == Some(ScalarKind::Int),
        Type::Number => matches!(k, Some(ScalarKind::Int | ScalarKind::Float)),
        Type::Boolean => k == Some(ScalarKind::Bool),
        Type::IntOrString => matches!(k, Some(ScalarKind::Int | ScalarKind::Str)),
        Type::Any => true,
    }
}

fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Object => "a mapping",
        Type::Array => "a list",
        Type::String => "a string",
        Type::Integer => "an integer",
        Type::Number => "a number",
        Type::Boolean => "a boolean (true or false)",
        Type::IntOrString => "an integer or a string",
        Type::Any => "any value",
    }
}

/// The range an integer format allows, when the schema gives no bounds of its own.
fn format_range(format: Option<&str>) -> Option<(i128, i128)> {
    match format? {
        "int32" => Some((i32::MIN as i128, i32::MAX as i128)),
        "uint32" => Some((0, u32::MAX as i128)),
        "int64" => Some((i64::MIN as i128, i64::MAX as i128)),
        "uint64" => Some((0, u64::MAX as i128)),
        _ => None,
    }
}

fn walk(schema: &KindSchema, tpath: &str, dpath: &str, node: &Node, out: &mut Vec<Problem>) {
    // An explicit null reads as an absent field, as Istio's reader takes it.
    if node.is_null() || kind_of(node) == Some(ScalarKind::Null) {
        return;
    }
    let Some(sn) = schema.node(tpath) else {
        return;
    };
    let ty = sn.ty.unwrap_or(Type::Any);
    let enum_number = ty == Type::String
        && !sn.enum_values.is_empty()
        && node
            .as_i64()
            .is_some_and(|n| (0..sn.enum_values.len() as i64).contains(&n));
    if !type_ok(ty, node) && !enum_number {
        let mut p = Problem::error(
            dpath,
            format!("{dpath} must be {}, not {}", type_name(ty), describe(node)),
        );
        if ty == Type::Integer
            && kind_of(node) == Some(ScalarKind::Str)
            && node.text().parse::<i64>().is_ok()
        {
            p.hint = Some(format!("write {} without quotes", node.text()));
        } else if ty == Type::String
            && matches!(
                kind_of(node),
                Some(ScalarKind::Int | ScalarKind::Float | ScalarKind::Bool)
            )
        {
            p.hint = Some(format!("quote it: \"{}\"", node.text()));
        }
        out.push(p);
        return;
    }
    scalar_checks(sn, dpath, node, out);
    match &node.value {
        Value::Map(entries) => object_checks(schema, sn, tpath, dpath, entries, out),
        Value::Seq(items) => {
            if let Some(min) = sn.min_items
                && items.len() < min
            {
                out.push(Problem::error(
                    dpath,
                    format!("{dpath} needs at least {min} item(s)"),
                ));
            }
            if let Some(max) = sn.max_items
                && items.len() > max
            {
                out.push(Problem::error(
                    dpath,
                    format!(
                        "{dpath} may have at most {max} item(s), has {}",
                        items.len()
                    ),
                ));
            }
            if let Some(key) = &sn.unique_by {
                let mut seen = foldhash::HashSet::default();
                for (i, item) in items.iter().enumerate() {
                    let v = item.path(&[key]).text();
                    if !v.is_empty() && !seen.insert(v) {
                        out.push(Problem::error(
                            format!("{dpath}[{i}].{key}"),
                            format!("{dpath}: {key} {v} cannot be duplicated"),
                        ));
                    }
                }
            }
            let item_t = format!("{tpath}[]");
            let mut item_d = String::with_capacity(dpath.len() + 8);
            for (i, item) in items.iter().enumerate() {
                use std::fmt::Write as _;
                item_d.clear();
                let _ = write!(item_d, "{dpath}[{i}]");
                walk(schema, &item_t, &item_d, item, out);
            }
        }
        _ => {}
    }
}

fn scalar_checks(sn: &SchemaNode, dpath: &str, node: &Node, out: &mut Vec<Problem>) {
    let Some(kind) = kind_of(node) else {
        return;
    };
    let text = node.text();
    if kind == ScalarKind::Str {
        if !sn.enum_values.is_empty() && !sn.enum_values.iter().any(|v| v == text) {
            let mut p = Problem::error(
                dpath,
                format!(
                    "{dpath}: {text:?} is not one of {}",
                    sn.enum_values.join(", ")
                ),
            );
            let values: Vec<&str> = sn.enum_values.iter().map(String::as_str).collect();
            p.hint = rules::closest(text, &values).map(|c| format!("did you mean {c:?}?"));
            out.push(p);
        }
        let len = text.chars().count();
        if let Some(min) = sn.min_len
            && len < min
        {
            out.push(Problem::error(
                dpath,
                format!("{dpath} must be at least {min} character(s) long"),
            ));
        }
        if let Some(max) = sn.max_len
            && len > max
        {
            out.push(Problem::error(
                dpath,
                format!("{dpath} may be at most {max} characters long, is {len}"),
            ));
        }
        if sn.duration
            && let Some(e) = rules::check_duration(text)
        {
            out.push(Problem::error(dpath, format!("{dpath}: {e}")));
        }
        if sn.no_wildcard && text.contains('*') {
            out.push(Problem::error(
                dpath,
                format!("{dpath}: wildcard (*) not allowed here"),
            ));
        }
        if sn.not_star && text == "*" {
            out.push(Problem::error(
                dpath,
                format!("{dpath}: hostname cannot be wildcard"),
            ));
        }
    }
    if kind == ScalarKind::Int
        && matches!(
            sn.ty,
            Some(Type::Integer | Type::IntOrString | Type::Number)
        )
    {
        let Some(v) = text.parse::<i128>().ok().or(node.as_i64().map(i128::from)) else {
            return;
        };
        let (lo, hi) = format_range(sn.format.as_deref()).unwrap_or((i128::MIN, i128::MAX));
        let lo = sn.min.map(|m| m as i128).unwrap_or(lo);
        let hi = sn.max.map(|m| m as i128).unwrap_or(hi);
        if sn.port {
            if let Some(e) = rules::check_port(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64) {
                out.push(Problem::error(dpath, format!("{dpath}: {e}")));
            }
        } else if v < lo || v > hi {
            out.push(Problem::error(
                dpath,
                format!("{dpath}: {v} is out of range {lo}..{hi}"),
            ));
        }
    }
}

fn object_checks(
    schema: &KindSchema,
    sn: &SchemaNode,
    tpath: &str,
    dpath: &str,
    entries: &[crate::resource::node::Entry],
    out: &mut Vec<Problem>,
) {
    let present = |k: &str| entries.iter().any(|e| e.key == k && !e.value.is_null());
    // Looked up only when a field is missing or unknown: most objects need it not at all.
    let properties = std::cell::OnceCell::new();
    let properties = || properties.get_or_init(|| schema.properties(tpath));
    // A misspelt required field (`destinaton:`) is one mistake: the unknown field's message says
    // it is required, and no separate "is required" error is given.
    let misspelt = |r: &str| {
        !sn.open
            && entries.iter().any(|e| {
                schema
                    .node(&format!("{tpath}.{}", camel_case(&e.key)))
                    .is_none()
                    && rules::closest(&e.key, properties()) == Some(r)
            })
    };
    for r in &sn.required {
        if !present(r) && !misspelt(r) {
            out.push(Problem::error(dpath, format!("{dpath}.{r} is required")));
        }
    }
    for group in &sn.one_of {
        let set: Vec<&str> = group
            .iter()
            .map(String::as_str)
            .filter(|k| present(k))
            .collect();
        if set.len() > 1 {
            out.push(Problem::error(
                format!("{dpath}.{}", set[1]),
                format!(
                    "{dpath}: only one of {} may be set, found {}",
                    group.join(", "),
                    set.join(" and ")
                ),
            ));
        }
    }
    if sn.open {
        return;
    }
    let values_t = format!("{tpath}{{}}");
    let free_keyed = schema.node(&values_t).is_some();
    // The children's paths, built in one buffer each instead of a new string per field.
    let mut child_d = format!("{dpath}.");
    let mut child_t = format!("{tpath}.");
    let (d_base, t_base) = (child_d.len(), child_t.len());
    for e in entries {
        child_d.truncate(d_base);
        child_d.push_str(&e.key);
        if free_keyed {
            if sn.non_empty_keys && e.key.is_empty() {
                out.push(Problem::error(
                    dpath,
                    format!("{dpath}: key must not be empty"),
                ));
            }
            if sn.no_wildcard_keys && e.key.contains('*') {
                out.push(Problem::error(
                    child_d.clone(),
                    format!("{dpath}: wildcard not allowed in key {:?}", e.key),
                ));
            }
            if sn.port_keys
                && e.key
                    .parse::<i64>()
                    .map_or(true, |p| rules::check_port(p).is_some())
            {
                out.push(Problem::error(
                    child_d.clone(),
                    format!("{dpath}: key {:?} must be a port between 1-65535", e.key),
                ));
            }
            walk(schema, &values_t, &child_d, &e.value, out);
            continue;
        }
        // Istio's protobuf reader also takes a field's proto name (`max_connections`).
        child_t.truncate(t_base);
        child_t.push_str(&camel_case(&e.key));
        if schema.node(&child_t).is_some() {
            walk(schema, &child_t, &child_d, &e.value, out);
        } else if !properties().is_empty() {
            let mut p = Problem::error(child_d.clone(), format!("unknown field {child_d}"));
            p.hint = Some(match rules::closest(&e.key, properties()) {
                Some(c) if sn.required.iter().any(|r| r == c) && !present(c) => {
                    format!("did you mean {c:?}? It is required here.")
                }
                Some(c) => format!("did you mean {c:?}?"),
                None => format!("known fields: {}", properties().join(", ")),
            });
            out.push(p);
        }
    }
}

/// `max_connections` -> `maxConnections`; other names unchanged.
fn camel_case(key: &str) -> std::borrow::Cow<'_, str> {
    if !key.contains('_') || key.starts_with('_') {
        return key.into();
    }
    let mut out = String::with_capacity(key.len());
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
    out.into()
}
