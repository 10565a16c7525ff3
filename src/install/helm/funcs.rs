//! Go's template builtins and the sprig functions Helm charts use, with their Go semantics
//! (sprig's `default`/`empty`, mergo's `merge`/`mergeOverwrite` that change their first
//! argument in place, `quote` skipping nil, `get` answering "" for a missing key, ...).

use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;

use super::value::{MapRef, Value};
use super::yaml;

type R = Result<Value, String>;

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

fn want(args: &[Value], n: usize, name: &str) -> Result<(), String> {
    if args.len() != n {
        return Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ));
    }
    Ok(())
}

/// sprig's `strval`: strings as they are, everything else as `%v` prints it.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Nil => "<nil>".into(),
        other => other.to_print_string(),
    }
}

/// sprig's `empty`.
pub fn empty(v: &Value) -> bool {
    !v.truthy()
}

/// cast.ToInt64 as sprig uses it: numbers truncate, strings parse, bools are 0/1.
fn to_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => *b as i64,
        Value::Str(s) => {
            let t = s.trim();
            t.parse::<i64>()
                .ok()
                .or_else(|| t.parse::<f64>().ok().map(|f| f as i64))
                .unwrap_or(0)
        }
        _ => 0,
    }
}

fn to_float(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        Value::Str(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn list_of(v: &Value, name: &str) -> Result<Rc<Vec<Value>>, String> {
    match v {
        Value::List(l) => Ok(l.clone()),
        Value::Nil => Ok(Rc::new(Vec::new())),
        other => Err(format!(
            "{name}: cannot find a list in type {}",
            other.type_name()
        )),
    }
}

fn map_of(v: &Value, name: &str) -> Result<MapRef, String> {
    match v {
        Value::Map(m) => Ok(m.clone()),
        other => Err(format!(
            "{name}: wrong type for value; expected map[string]interface {{}}; got {}",
            other.type_name()
        )),
    }
}

/// Compares two values for `lt`/`le`/`gt`/`ge`.
fn order(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x
                .partial_cmp(&y)
                .ok_or_else(|| "NaN is not ordered".to_string()),
            _ => Err("incompatible types for comparison".into()),
        },
    }
}

fn basic_eq(a: &Value, b: &Value) -> Result<bool, String> {
    Ok(match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Nil, _) | (_, Value::Nil) => false,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(_) | Value::Map(_), _) | (_, Value::List(_) | Value::Map(_)) => {
            return Err("non-comparable types".into());
        }
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => return Err("incompatible types for comparison".into()),
        },
    })
}

/// Go's `%q` for a string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `fmt.Sprintf` for the verbs templates use: %s %v %d %q %t %f %x %%, with widths.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+# 0".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() {
                width.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let mut prec: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() {
                    p.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let s = match (verb, a) {
            ('s' | 'v', Value::Nil) => {
                if verb == 'v' {
                    "<nil>".into()
                } else {
                    "%!s(<nil>)".into()
                }
            }
            ('s' | 'v', v) => strval(v),
            ('d', v @ (Value::Int(_) | Value::Float(_)))
                if v.as_f64().is_some_and(|f| f == f.trunc()) || matches!(v, Value::Int(_)) =>
            {
                match v {
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => format!("%!d(float64={})", super::value::go_float(*f)),
                    _ => unreachable!(),
                }
            }
            ('d', v) => format!("%!d({}={})", v.type_name(), strval(v)),
            ('q', v) => go_quote(&strval(v)),
            ('t', Value::Bool(b)) => b.to_string(),
            ('f' | 'F', v) if v.as_f64().is_some() => {
                format!("{:.*}", prec.unwrap_or(6), v.as_f64().unwrap_or(0.0))
            }
            ('x', Value::Int(i)) => format!("{i:x}"),
            ('x', Value::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            (v, a) => format!("%!{v}({}={})", a.type_name(), strval(a)),
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = s.chars().count();
        if len < w {
            let fill = if flags.contains('0') && !flags.contains('-') {
                '0'
            } else {
                ' '
            };
            let padding: String = std::iter::repeat_n(fill, w - len).collect();
            if flags.contains('-') {
                out.push_str(&s);
                out.push_str(&padding);
            } else {
                out.push_str(&padding);
                out.push_str(&s);
            }
        } else {
            out.push_str(&s);
        }
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| format!("{}={}", a.type_name(), strval(a)))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&strval(a));
    }
    out
}

/// mergo's Merge (no overwrite) and Merge WithOverride, on maps of interface values.
pub fn merge_into(dst: &MapRef, src: &MapRef, overwrite: bool) {
    if Rc::ptr_eq(dst, src) {
        return;
    }
    let src = src.borrow().clone();
    for (k, sv) in src {
        let dv = dst.borrow().get(&k).cloned();
        match (&sv, &dv) {
            (Value::Nil, _) => {
                if overwrite {
                    dst.borrow_mut().insert(k, Value::Nil);
                }
            }
            (Value::Map(sm), Some(Value::Map(dm))) if !dm.borrow().is_empty() => {
                merge_into(dm, sm, overwrite);
            }
            _ => {
                let dst_empty = dv.as_ref().is_none_or(empty);
                if overwrite || dst_empty {
                    dst.borrow_mut().insert(k, sv);
                }
            }
        }
    }
}

fn path_base(s: &str) -> String {
    if s.is_empty() {
        return ".".into();
    }
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(s: &str) -> String {
    match s.rfind('/') {
        None => ".".into(),
        Some(0) => "/".into(),
        Some(i) => {
            let d = s[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.to_string()
            }
        }
    }
}

/// Whether a function of this name exists (for the parser's unknown-function check).
pub fn exists(name: &str) -> bool {
    // Checked by calling with no arguments would have side effects for none of them, but
    // keep an explicit list so unknown names fail at parse time.
    NAMES.contains(&name)
}

pub const NAMES: &[&str] = &[
    "and",
    "or",
    "not",
    "len",
    "index",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "slice",
    "include",
    "tpl",
    "required",
    "fail",
    "lookup",
    "default",
    "empty",
    "coalesce",
    "ternary",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "lower",
    "upper",
    "title",
    "repeat",
    "substr",
    "trunc",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "cat",
    "indent",
    "nindent",
    "replace",
    "toYaml",
    "fromYaml",
    "fromYamlArray",
    "toJson",
    "fromJson",
    "toPrettyJson",
    "toRawJson",
    "b64enc",
    "b64dec",
    "dict",
    "list",
    "add",
    "sub",
    "div",
    "mod",
    "mul",
    "add1",
    "max",
    "min",
    "int",
    "int64",
    "float64",
    "atoi",
    "toString",
    "toStrings",
    "typeOf",
    "kindOf",
    "kindIs",
    "typeIs",
    "deepEqual",
    "first",
    "rest",
    "last",
    "initial",
    "append",
    "mustAppend",
    "prepend",
    "concat",
    "reverse",
    "uniq",
    "without",
    "has",
    "compact",
    "until",
    "get",
    "set",
    "unset",
    "hasKey",
    "keys",
    "values",
    "pick",
    "omit",
    "merge",
    "mustMerge",
    "mergeOverwrite",
    "mustMergeOverwrite",
    "deepCopy",
    "mustDeepCopy",
    "dig",
    "base",
    "dir",
    "ext",
    "regexMatch",
    "regexReplaceAll",
    "regexFind",
    "split",
    "splitList",
    "join",
    "sortAlpha",
    "semverCompare",
    "toDecimal",
    "nospace",
    "mustToJson",
    "mustFromJson",
    "toYamlPretty",
    "mustToYaml",
];

pub fn call(name: &str, args: Vec<Value>) -> R {
    let a = &args[..];
    Ok(match name {
        "not" => {
            want(a, 1, name)?;
            Value::Bool(!a[0].truthy())
        }
        "len" => {
            want(a, 1, name)?;
            Value::Int(match &a[0] {
                Value::Str(s) => s.len(),
                Value::List(l) => l.len(),
                Value::Map(m) => m.borrow().len(),
                other => return Err(format!("len of type {}", other.type_name())),
            } as i64)
        }
        "index" => {
            let mut cur = arg(a, 0);
            for i in a.iter().skip(1) {
                cur = match (&cur, i) {
                    (Value::Map(m), k) => m.borrow().get(&strval(k)).cloned().unwrap_or(Value::Nil),
                    (Value::List(l), k) => {
                        let idx = to_int(k);
                        if idx < 0 || idx as usize >= l.len() {
                            return Err(format!("index out of range: {idx}"));
                        }
                        l[idx as usize].clone()
                    }
                    (Value::Nil, _) => return Err("index of untyped nil".into()),
                    (other, _) => {
                        return Err(format!("can't index item of type {}", other.type_name()));
                    }
                };
            }
            cur
        }
        "print" => Value::str(sprint(a)),
        "println" => {
            let parts: Vec<String> = a.iter().map(strval).collect();
            Value::str(format!("{}\n", parts.join(" ")))
        }
        "printf" => {
            let f = arg(a, 0);
            Value::str(sprintf(
                f.as_str().unwrap_or_default(),
                a.get(1..).unwrap_or(&[]),
            ))
        }
        "eq" => {
            if a.len() < 2 {
                return Err("missing argument for comparison".into());
            }
            let mut any = false;
            for b in &a[1..] {
                if basic_eq(&a[0], b)? {
                    any = true;
                }
            }
            Value::Bool(any)
        }
        "ne" => {
            want(a, 2, name)?;
            Value::Bool(!basic_eq(&a[0], &a[1])?)
        }
        "lt" | "le" | "gt" | "ge" => {
            want(a, 2, name)?;
            let o = order(&a[0], &a[1])?;
            use std::cmp::Ordering::*;
            Value::Bool(match name {
                "lt" => o == Less,
                "le" => o != Greater,
                "gt" => o == Greater,
                _ => o != Less,
            })
        }
        "html" | "js" | "urlquery" => Value::str(sprint(a)),
        "default" => {
            let d = arg(a, 0);
            match a.get(1) {
                Some(g) if !empty(g) => g.clone(),
                _ => d,
            }
        }
        "empty" => Value::Bool(empty(&arg(a, 0))),
        "coalesce" => a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil),
        "ternary" => {
            want(a, 3, name)?;
            if a[2].truthy() {
                a[0].clone()
            } else {
                a[1].clone()
            }
        }
        "trim" => Value::str(strval(&arg(a, 0)).trim()),
        "nospace" => Value::str(strval(&arg(a, 0)).split_whitespace().collect::<String>()),
        "trimAll" => {
            let cut: Vec<char> = strval(&arg(a, 0)).chars().collect();
            Value::str(strval(&arg(a, 1)).trim_matches(|c| cut.contains(&c)))
        }
        "trimPrefix" => {
            let s = strval(&arg(a, 1));
            let p = strval(&arg(a, 0));
            Value::str(s.strip_prefix(p.as_str()).unwrap_or(&s))
        }
        "trimSuffix" => {
            let s = strval(&arg(a, 1));
            let p = strval(&arg(a, 0));
            Value::str(s.strip_suffix(p.as_str()).unwrap_or(&s))
        }
        "lower" => Value::str(strval(&arg(a, 0)).to_lowercase()),
        "upper" => Value::str(strval(&arg(a, 0)).to_uppercase()),
        "title" => {
            let s = strval(&arg(a, 0));
            let mut out = String::new();
            let mut start = true;
            for c in s.chars() {
                if start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = c.is_whitespace();
            }
            Value::str(out)
        }
        "repeat" => Value::str(strval(&arg(a, 1)).repeat(to_int(&arg(a, 0)).max(0) as usize)),
        "substr" => {
            let s = strval(&arg(a, 2));
            let (start, end) = (to_int(&arg(a, 0)), to_int(&arg(a, 1)));
            let len = s.len() as i64;
            let start = if start < 0 { 0 } else { start.min(len) };
            let end = if end < 0 || end > len { len } else { end };
            Value::str(s.get(start as usize..end.max(start) as usize).unwrap_or(""))
        }
        "trunc" => {
            let n = to_int(&arg(a, 0));
            let s = strval(&arg(a, 1));
            let len = s.len() as i64;
            Value::str(if n >= 0 {
                s.get(..n.min(len) as usize).unwrap_or(&s).to_string()
            } else {
                s.get((len + n).max(0) as usize..).unwrap_or(&s).to_string()
            })
        }
        "contains" => Value::Bool(strval(&arg(a, 1)).contains(strval(&arg(a, 0)).as_str())),
        "hasPrefix" => Value::Bool(strval(&arg(a, 1)).starts_with(strval(&arg(a, 0)).as_str())),
        "hasSuffix" => Value::Bool(strval(&arg(a, 1)).ends_with(strval(&arg(a, 0)).as_str())),
        "quote" => {
            let parts: Vec<String> = a
                .iter()
                .filter(|v| !v.is_nil())
                .map(|v| go_quote(&strval(v)))
                .collect();
            Value::str(parts.join(" "))
        }
        "squote" => {
            let parts: Vec<String> = a
                .iter()
                .filter(|v| !v.is_nil())
                .map(|v| format!("'{}'", strval(v)))
                .collect();
            Value::str(parts.join(" "))
        }
        "cat" => {
            let parts: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(strval).collect();
            Value::str(parts.join(" "))
        }
        "indent" | "nindent" => {
            let n = to_int(&arg(a, 0)).max(0) as usize;
            let pad = " ".repeat(n);
            let s = strval(&arg(a, 1));
            let body = format!("{pad}{}", s.replace('\n', &format!("\n{pad}")));
            Value::str(if name == "nindent" {
                format!("\n{body}")
            } else {
                body
            })
        }
        "replace" => Value::str(
            strval(&arg(a, 2)).replace(strval(&arg(a, 0)).as_str(), strval(&arg(a, 1)).as_str()),
        ),
        "toYaml" | "mustToYaml" | "toYamlPretty" => {
            let s = yaml::to_yaml(&arg(a, 0));
            Value::str(s.strip_suffix('\n').unwrap_or(&s))
        }
        "fromYaml" => {
            let s = strval(&arg(a, 0));
            match crate::resource::node::parse_documents(&s, 0) {
                Ok(docs) => match docs.first().map(Value::from_node) {
                    Some(v @ Value::Map(_)) => v,
                    None | Some(Value::Nil) => Value::new_map(),
                    Some(other) => {
                        let mut m = BTreeMap::new();
                        m.insert(
                            "Error".into(),
                            Value::str(format!("cannot unmarshal {} into map", other.type_name())),
                        );
                        Value::from_map(m)
                    }
                },
                Err(e) => {
                    let mut m = BTreeMap::new();
                    m.insert("Error".into(), Value::str(e.message));
                    Value::from_map(m)
                }
            }
        }
        "fromYamlArray" => {
            let s = strval(&arg(a, 0));
            match crate::resource::node::parse_documents(&s, 0) {
                Ok(docs) => docs
                    .first()
                    .map(Value::from_node)
                    .unwrap_or(Value::list(vec![])),
                Err(e) => Value::list(vec![Value::str(e.message)]),
            }
        }
        "toJson" | "mustToJson" | "toRawJson" => Value::str(yaml::to_json(&arg(a, 0))),
        "toPrettyJson" => Value::str(yaml::to_pretty_json(&arg(a, 0))),
        "fromJson" | "mustFromJson" => {
            let s = strval(&arg(a, 0));
            match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(j) => from_json(&j),
                Err(e) if name == "fromJson" => {
                    let mut m = BTreeMap::new();
                    m.insert("Error".into(), Value::str(e.to_string()));
                    Value::from_map(m)
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        "b64enc" => {
            Value::str(base64::engine::general_purpose::STANDARD.encode(strval(&arg(a, 0))))
        }
        "b64dec" => Value::str(
            base64::engine::general_purpose::STANDARD
                .decode(strval(&arg(a, 0)))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_else(|e| e.to_string()),
        ),
        "dict" => {
            let mut m = BTreeMap::new();
            let mut it = a.iter();
            while let Some(k) = it.next() {
                m.insert(strval(k), it.next().cloned().unwrap_or(Value::str("")));
            }
            Value::from_map(m)
        }
        "list" => Value::list(a.to_vec()),
        "add" => Value::Int(a.iter().map(to_int).sum()),
        "add1" => Value::Int(to_int(&arg(a, 0)) + 1),
        "sub" => Value::Int(to_int(&arg(a, 0)) - to_int(&arg(a, 1))),
        "mul" => Value::Int(a.iter().map(to_int).product()),
        "div" | "mod" => {
            let d = to_int(&arg(a, 1));
            if d == 0 {
                return Err("integer divide by zero".into());
            }
            Value::Int(if name == "div" {
                to_int(&arg(a, 0)) / d
            } else {
                to_int(&arg(a, 0)) % d
            })
        }
        "max" => Value::Int(a.iter().map(to_int).max().unwrap_or(0)),
        "min" => Value::Int(a.iter().map(to_int).min().unwrap_or(0)),
        "int" | "int64" | "atoi" | "toDecimal" => Value::Int(to_int(&arg(a, 0))),
        "float64" => Value::Float(to_float(&arg(a, 0))),
        "toString" => Value::str(strval(&arg(a, 0))),
        "toStrings" => Value::list(
            list_of(&arg(a, 0), name)?
                .iter()
                .map(|v| Value::str(strval(v)))
                .collect(),
        ),
        "typeOf" => Value::str(arg(a, 0).type_name()),
        "kindOf" => Value::str(arg(a, 0).kind_name()),
        "kindIs" => Value::Bool(arg(a, 1).kind_name() == strval(&arg(a, 0))),
        "typeIs" => Value::Bool(arg(a, 1).type_name() == strval(&arg(a, 0))),
        "deepEqual" => Value::Bool(arg(a, 0).deep_eq(&arg(a, 1))),
        "first" => list_of(&arg(a, 0), name)?
            .first()
            .cloned()
            .unwrap_or(Value::Nil),
        "last" => list_of(&arg(a, 0), name)?
            .last()
            .cloned()
            .unwrap_or(Value::Nil),
        "rest" => Value::list(list_of(&arg(a, 0), name)?.iter().skip(1).cloned().collect()),
        "initial" => {
            let l = list_of(&arg(a, 0), name)?;
            Value::list(l[..l.len().saturating_sub(1)].to_vec())
        }
        "append" | "mustAppend" => {
            let mut l = list_of(&arg(a, 0), name)?.to_vec();
            l.push(arg(a, 1));
            Value::list(l)
        }
        "prepend" => {
            let mut l = list_of(&arg(a, 0), name)?.to_vec();
            l.insert(0, arg(a, 1));
            Value::list(l)
        }
        "concat" => {
            let mut out = Vec::new();
            for l in a {
                out.extend(list_of(l, name)?.iter().cloned());
            }
            Value::list(out)
        }
        "reverse" => Value::list(list_of(&arg(a, 0), name)?.iter().rev().cloned().collect()),
        "uniq" => {
            let mut out: Vec<Value> = Vec::new();
            for v in list_of(&arg(a, 0), name)?.iter() {
                if !out.iter().any(|o| o.deep_eq(v)) {
                    out.push(v.clone());
                }
            }
            Value::list(out)
        }
        "without" => {
            let l = list_of(&arg(a, 0), name)?;
            Value::list(
                l.iter()
                    .filter(|v| !a[1..].iter().any(|w| w.deep_eq(v)))
                    .cloned()
                    .collect(),
            )
        }
        "has" => Value::Bool(
            list_of(&arg(a, 1), name)?
                .iter()
                .any(|v| v.deep_eq(&arg(a, 0))),
        ),
        "compact" => Value::list(
            list_of(&arg(a, 0), name)?
                .iter()
                .filter(|v| !empty(v))
                .cloned()
                .collect(),
        ),
        "until" => Value::list((0..to_int(&arg(a, 0)).max(0)).map(Value::Int).collect()),
        "sortAlpha" => {
            let mut l: Vec<String> = list_of(&arg(a, 0), name)?.iter().map(strval).collect();
            l.sort();
            Value::list(l.into_iter().map(Value::str).collect())
        }
        "join" => {
            let sep = strval(&arg(a, 0));
            let parts: Vec<String> = match &arg(a, 1) {
                Value::List(l) => l.iter().filter(|v| !v.is_nil()).map(strval).collect(),
                Value::Nil => Vec::new(),
                other => vec![strval(other)],
            };
            Value::str(parts.join(&sep))
        }
        "split" => {
            let sep = strval(&arg(a, 0));
            let s = strval(&arg(a, 1));
            let m: BTreeMap<String, Value> = s
                .split(sep.as_str())
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::str(p)))
                .collect();
            Value::from_map(m)
        }
        "splitList" => {
            let sep = strval(&arg(a, 0));
            Value::list(
                strval(&arg(a, 1))
                    .split(sep.as_str())
                    .map(Value::str)
                    .collect(),
            )
        }
        "get" => {
            let m = map_of(&arg(a, 0), name)?;
            m.borrow()
                .get(&strval(&arg(a, 1)))
                .cloned()
                .unwrap_or(Value::str(""))
        }
        "set" => {
            let m = map_of(&arg(a, 0), name)?;
            m.borrow_mut().insert(strval(&arg(a, 1)), arg(a, 2));
            Value::Map(m)
        }
        "unset" => {
            let m = map_of(&arg(a, 0), name)?;
            m.borrow_mut().remove(&strval(&arg(a, 1)));
            Value::Map(m)
        }
        "hasKey" => Value::Bool(
            map_of(&arg(a, 0), name)?
                .borrow()
                .contains_key(&strval(&arg(a, 1))),
        ),
        "keys" => {
            let mut ks = Vec::new();
            for m in a {
                ks.extend(
                    map_of(m, name)?
                        .borrow()
                        .keys()
                        .map(|k| Value::str(k.as_str())),
                );
            }
            Value::list(ks)
        }
        "values" => Value::list(
            map_of(&arg(a, 0), name)?
                .borrow()
                .values()
                .cloned()
                .collect(),
        ),
        "pick" | "omit" => {
            let m = map_of(&arg(a, 0), name)?;
            let names: Vec<String> = a[1..].iter().map(strval).collect();
            let keep = name == "pick";
            Value::from_map(
                m.borrow()
                    .iter()
                    .filter(|(k, _)| names.contains(k) == keep)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }
        "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => {
            let dst = map_of(&arg(a, 0), name)?;
            for s in &a[1..] {
                match s {
                    Value::Map(sm) => merge_into(&dst, sm, name.contains("Overwrite")),
                    Value::Nil => {}
                    other => return Err(format!("{name}: cannot merge {}", other.type_name())),
                }
            }
            Value::Map(dst)
        }
        "deepCopy" | "mustDeepCopy" => arg(a, 0).deep_clone(),
        "dig" => {
            if a.len() < 3 {
                return Err("dig needs at least three arguments".into());
            }
            let m = &a[a.len() - 1];
            let default = &a[a.len() - 2];
            let mut cur = m.clone();
            for k in &a[..a.len() - 2] {
                cur = match &cur {
                    Value::Map(mm) => match mm.borrow().get(&strval(k)) {
                        Some(v) => v.clone(),
                        None => return Ok(default.clone()),
                    },
                    _ => return Ok(default.clone()),
                };
            }
            cur
        }
        "base" => Value::str(path_base(&strval(&arg(a, 0)))),
        "dir" => Value::str(path_dir(&strval(&arg(a, 0)))),
        "ext" => {
            let b = path_base(&strval(&arg(a, 0)));
            Value::str(b.rfind('.').map(|i| b[i..].to_string()).unwrap_or_default())
        }
        "regexMatch" => {
            let re = regex::Regex::new(&strval(&arg(a, 0))).map_err(|e| e.to_string())?;
            Value::Bool(re.is_match(&strval(&arg(a, 1))))
        }
        "regexFind" => {
            let re = regex::Regex::new(&strval(&arg(a, 0))).map_err(|e| e.to_string())?;
            let s = strval(&arg(a, 1));
            Value::str(re.find(&s).map(|m| m.as_str()).unwrap_or(""))
        }
        "regexReplaceAll" => {
            let re = regex::Regex::new(&strval(&arg(a, 0))).map_err(|e| e.to_string())?;
            Value::str(
                re.replace_all(&strval(&arg(a, 1)), strval(&arg(a, 2)).as_str())
                    .into_owned(),
            )
        }
        "semverCompare" => {
            let c = strval(&arg(a, 0));
            let v = strval(&arg(a, 1));
            // Masterminds' constraints allow `1.25-0`; the semver crate wants `1.25.0-0`.
            let pad = regex::Regex::new(r"(\b\d+\.\d+)-").map_err(|e| e.to_string())?;
            let c = pad.replace_all(&c, "${1}.0-").replace(' ', ", ");
            let req = semver::VersionReq::parse(&c).map_err(|e| e.to_string())?;
            let ver =
                semver::Version::parse(v.trim_start_matches('v')).map_err(|e| e.to_string())?;
            Value::Bool(req.matches(&ver))
        }
        "slice" => {
            let l = list_of(&arg(a, 0), name)?;
            let start = a.get(1).map(to_int).unwrap_or(0).max(0) as usize;
            let end = a
                .get(2)
                .map(to_int)
                .map(|e| e as usize)
                .unwrap_or(l.len())
                .min(l.len());
            Value::list(l.get(start..end).unwrap_or(&[]).to_vec())
        }
        other => return Err(format!("function {other:?} not defined")),
    })
}

pub fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Value::from_map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}
