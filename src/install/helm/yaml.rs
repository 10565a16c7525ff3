//! Serialising values as Helm does: `toYaml` (sigs.k8s.io/yaml: sorted keys, block style,
//! sequences at their key's indentation) and `toJson` (encoding/json: sorted keys, HTML-safe).

use std::fmt::Write as _;

use super::value::Value;

/// YAML text for a value, ending in a newline (as `yaml.Marshal` returns it).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Map(m) if !m.borrow().is_empty() => write_map(&mut out, v, 0),
        Value::List(l) if !l.is_empty() => write_list(&mut out, v, 0),
        other => {
            out.push_str(&inline(other, 0));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, v: &Value, indent: usize) {
    let Value::Map(m) = v else { return };
    let pad = " ".repeat(indent);
    for (k, val) in m.borrow().iter() {
        out.push_str(&pad);
        out.push_str(&scalar_str(k, indent));
        out.push(':');
        write_value_after_key(out, val, indent);
    }
}

/// Writes what follows `key:` (a space and a scalar, or a nested block).
fn write_value_after_key(out: &mut String, val: &Value, indent: usize) {
    match val {
        Value::Map(m) if !m.borrow().is_empty() => {
            out.push('\n');
            write_map(out, val, indent + 2);
        }
        Value::List(l) if !l.is_empty() => {
            out.push('\n');
            write_list(out, val, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other, indent + 2));
            out.push('\n');
        }
    }
}

fn write_list(out: &mut String, v: &Value, indent: usize) {
    let Value::List(l) = v else { return };
    let pad = " ".repeat(indent);
    for item in l.iter() {
        out.push_str(&pad);
        out.push('-');
        match item {
            Value::Map(m) if !m.borrow().is_empty() => {
                // The first key goes on the dash's line; the rest line up under it.
                let mut inner = String::new();
                write_map(&mut inner, item, indent + 2);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            Value::List(l2) if !l2.is_empty() => {
                let mut inner = String::new();
                write_list(&mut inner, item, indent + 2);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            other => {
                out.push(' ');
                out.push_str(&inline(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// A value on one line (or a literal block for a multi-line string).
fn inline(v: &Value, indent: usize) -> String {
    match v {
        Value::Nil => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => json_float(*f),
        Value::Str(s) => scalar_str(s, indent),
        Value::List(_) => "[]".into(),
        Value::Map(_) | Value::Files(_) => "{}".into(),
    }
}

fn scalar_str(s: &str, indent: usize) -> String {
    if s.contains('\n') && literal_ok(s) {
        return literal(s, indent);
    }
    if plain_ok(s) {
        return s.to_string();
    }
    double_quoted(s)
}

fn literal_ok(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || c == '\t' || !c.is_control()) && !s.contains("\r")
        // A line of only spaces before content cannot be told from indentation.
        && !s.lines().any(|l| !l.is_empty() && l.trim().is_empty())
}

fn literal(s: &str, indent: usize) -> String {
    let pad = " ".repeat(indent.max(2));
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let body = s.trim_end_matches('\n');
    let indicator = if body.starts_with(' ') { "2" } else { "" };
    let mut out = format!("|{indicator}{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    out
}

/// Whether a string can be written without quotes and still read back as that string.
pub fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s != s.trim() {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-foo` and `:foo` are plain in YAML, but yaml.v2 quotes them anyway when followed by
        // a space; keep it simple and quote every indicator start except a lone dash word.
        if first != '-' || s.len() <= 1 || s[1..].starts_with(' ') || looks_like_number(s) {
            return false;
        }
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | "null"
            | "~"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return false;
    }
    !looks_like_number(s)
}

fn looks_like_number(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '+']);
    if t.is_empty() {
        return false;
    }
    if t.starts_with("0x") || t.starts_with("0o") || t.starts_with("0b") {
        return true;
    }
    let c = t.as_bytes()[0];
    (c.is_ascii_digit() || c == b'.')
        && t.bytes().all(|b| {
            b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'_' | b'-' | b'+' | b':')
        })
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// encoding/json's float form: integers without a fraction, exponent form outside 1e-6..1e21.
pub fn json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == f.trunc() && f.abs() < 1e21 {
        return format!("{}", f as i128);
    }
    let a = f.abs();
    if (1e-6..1e21).contains(&a) {
        format!("{f}")
    } else {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').expect("exponent");
        let e: i32 = e.parse().expect("exponent");
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    }
}

/// `toJson`: compact, sorted keys, `<`, `>` and `&` escaped as Go does.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, None, 0);
    out
}

/// `toPrettyJson`: two-space indentation.
pub fn to_pretty_json(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, Some("  "), 0);
    out
}

fn write_json(out: &mut String, v: &Value, ind: Option<&str>, level: usize) {
    let nl = |out: &mut String, level: usize| {
        if let Some(i) = ind {
            out.push('\n');
            out.push_str(&i.repeat(level));
        }
    };
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&json_float(*f)),
        Value::Str(s) => json_string(out, s),
        Value::List(l) => {
            if l.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                write_json(out, x, ind, level + 1);
            }
            nl(out, level);
            out.push(']');
        }
        Value::Map(m) => {
            let m = m.borrow();
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                json_string(out, k);
                out.push(':');
                if ind.is_some() {
                    out.push(' ');
                }
                write_json(out, x, ind, level + 1);
            }
            nl(out, level);
            out.push('}');
        }
        Value::Files(_) => out.push_str("{}"),
    }
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
