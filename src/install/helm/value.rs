//! The values templates work on, with Go's semantics: maps are shared references (so `set`,
//! `unset` and `mergeOverwrite` change the map every holder sees, which Istio's charts rely on
//! across templates), numbers read from YAML are float64 as in Helm, and maps iterate in key
//! order.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use crate::resource::node::{Node, ScalarKind, Value as NodeValue};

pub type MapRef = Rc<RefCell<BTreeMap<String, Value>>>;

#[derive(Clone, Debug)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Value>>),
    Map(MapRef),
    /// Helm's `.Files`: the chart's non-template files by path.
    Files(Rc<BTreeMap<String, String>>),
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(s.into())
    }

    pub fn new_map() -> Value {
        Value::Map(Rc::new(RefCell::new(BTreeMap::new())))
    }

    pub fn from_map(m: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(m)))
    }

    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(v))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Files(_) => true,
        }
    }

    pub fn as_map(&self) -> Option<&MapRef> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A map entry (nil when missing or not a map).
    pub fn get(&self, key: &str) -> Value {
        match self {
            Value::Map(m) => m.borrow().get(key).cloned().unwrap_or(Value::Nil),
            _ => Value::Nil,
        }
    }

    /// The value at a dotted path of map keys.
    pub fn path(&self, path: &[&str]) -> Value {
        let mut cur = self.clone();
        for p in path {
            cur = cur.get(p);
        }
        cur
    }

    /// A copy that shares nothing with the original.
    pub fn deep_clone(&self) -> Value {
        match self {
            Value::Map(m) => Value::from_map(
                m.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_clone()))
                    .collect(),
            ),
            Value::List(l) => Value::list(l.iter().map(Value::deep_clone).collect()),
            other => other.clone(),
        }
    }

    /// Go's type name, for `typeOf` and error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
            Value::Files(_) => "chart.Files",
        }
    }

    /// Go's `reflect.Kind` name, for `kindOf` and `kindIs`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Files(_) => "map",
        }
    }

    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// How `{{ . }}` prints the value (Go's `%v`). Nil prints `<no value>`, which Helm removes
    /// from the final output.
    pub fn to_print_string(&self) -> String {
        let mut s = String::new();
        self.write_print(&mut s, true);
        s
    }

    fn write_print(&self, out: &mut String, top: bool) {
        match self {
            Value::Nil => out.push_str(if top { "<no value>" } else { "<nil>" }),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&go_float(*f)),
            Value::Str(s) => out.push_str(s),
            Value::List(l) => {
                out.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    v.write_print(out, false);
                }
                out.push(']');
            }
            Value::Map(m) => {
                out.push_str("map[");
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_print(out, false);
                }
                out.push(']');
            }
            Value::Files(_) => out.push_str("{files}"),
        }
    }

    /// Converts a parsed YAML node. Numbers become float64, as Helm's values do (JSON
    /// semantics), so `{{ 1000000 }}` from values prints `1e+06` as Helm does.
    pub fn from_node(node: &Node) -> Value {
        match &node.value {
            NodeValue::Null => Value::Nil,
            NodeValue::Scalar(text, kind) => scalar(text, *kind),
            NodeValue::Seq(items) => Value::list(items.iter().map(Value::from_node).collect()),
            NodeValue::Map(entries) => Value::from_map(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), Value::from_node(&e.value)))
                    .collect(),
            ),
        }
    }

    /// Semantic equality (Go's `reflect.DeepEqual` with numbers compared by value).
    pub fn deep_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.deep_eq(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.deep_eq(vb))
            }
            (a, b) => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        }
    }
}

fn scalar(text: &str, kind: ScalarKind) -> Value {
    match kind {
        ScalarKind::Null => Value::Nil,
        ScalarKind::Bool => Value::Bool(matches!(text, "true" | "True" | "TRUE")),
        ScalarKind::Int => parse_int(text)
            .map(|i| Value::Float(i as f64))
            .unwrap_or_else(|| Value::str(text)),
        ScalarKind::Float => text.parse::<f64>().map(Value::Float).unwrap_or_else(|_| {
            match text.to_ascii_lowercase().as_str() {
                ".inf" | "+.inf" => Value::Float(f64::INFINITY),
                "-.inf" => Value::Float(f64::NEG_INFINITY),
                _ => Value::Float(f64::NAN),
            }
        }),
        ScalarKind::Str => Value::str(text),
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let v = if let Some(h) = body.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// Go's `%v` for a float64: the shortest representation, in exponent form when the exponent
/// is below -4 or at least 6 (strconv's 'g' with the shortest precision).
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Shortest round-trip digits via Rust's `{:e}`.
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent");
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if neg { "-" } else { "" };
    // fmt's %v is %g with the shortest precision, which switches to %e when
    // exp < -4 || exp >= 6.
    if !(-4..6).contains(&exp) {
        let frac = &digits[1..];
        let m = if frac.is_empty() {
            digits[..1].to_string()
        } else {
            format!("{}.{}", &digits[..1], frac)
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.abs());
    }
    if exp >= 0 {
        let exp = exp as usize;
        if digits.len() <= exp + 1 {
            format!("{sign}{digits}{}", "0".repeat(exp + 1 - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..=exp], &digits[exp + 1..])
        }
    } else {
        format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        assert_eq!(go_float(1.0), "1");
        assert_eq!(go_float(15021.0), "15021");
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(100000.0), "100000");
        assert_eq!(go_float(0.0001), "0.0001");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(-2.5), "-2.5");
    }
}
