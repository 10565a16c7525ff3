//! Conversions between the position-keeping tree and JSON (what the API server speaks).

use serde_json::Value as Json;

use super::node::{Entry, Node, Pos, ScalarKind, Value};

/// JSON from the API server as a tree (positions are unknown: all zero).
pub fn from_json(v: &Json) -> Node {
    let pos = Pos::default();
    let value = match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Scalar(b.to_string().into(), ScalarKind::Bool),
        Json::Number(n) => {
            let kind = if n.is_f64() {
                ScalarKind::Float
            } else {
                ScalarKind::Int
            };
            Value::Scalar(n.to_string().into(), kind)
        }
        Json::String(s) => Value::Scalar(s.as_str().into(), ScalarKind::Str),
        Json::Array(items) => Value::Seq(items.iter().map(from_json).collect()),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.as_str().into(),
                    key_pos: pos,
                    value: from_json(v),
                })
                .collect(),
        ),
    };
    Node { value, pos }
}

/// A tree as JSON, with scalars typed as YAML 1.2's core schema resolved them.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Scalar(s, ScalarKind::Bool) => Json::Bool(matches!(&**s, "true" | "True" | "TRUE")),
        Value::Scalar(s, ScalarKind::Int) => int_to_json(s),
        // JSON has no infinity or NaN: they become null, as a reference YAML-to-JSON
        // conversion makes them.
        Value::Scalar(_, ScalarKind::Float) => match node.as_f64() {
            Some(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
            None => Json::String(node.text().to_string()),
        },
        Value::Scalar(s, _) => Json::String(s.to_string()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), to_json(&e.value)))
                .collect(),
        ),
    }
}

/// An integer as JSON: `i64`, else `u64`, else (too big for both, as a YAML-to-JSON converter
/// in Go would also do) the nearest `f64`.
fn int_to_json(text: &str) -> Json {
    if let Some(i) = super::node::parse_int(text) {
        return Json::from(i);
    }
    let digits = text.strip_prefix('+').unwrap_or(text);
    if let Ok(u) = digits.parse::<u64>() {
        return Json::from(u);
    }
    digits
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Json::Number)
        .unwrap_or_else(|| Json::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::node::parse_documents;

    #[test]
    fn round_trips_typed_scalars() {
        let doc =
            &parse_documents("a: 1\nb: '1'\nc: [true, null, 1.5]\nd: {e: x}\n", 0).unwrap()[0];
        let json = to_json(doc);
        assert_eq!(
            json,
            serde_json::json!({"a": 1, "b": "1", "c": [true, null, 1.5], "d": {"e": "x"}})
        );
        assert_eq!(to_json(&from_json(&json)), json);
    }
}
