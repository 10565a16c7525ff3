//! istioctl's manifest-generate corpus (`../shared/conformance/istio-manifests`): each case's
//! inputs rendered by meshdeck, the selected objects compared with upstream's golden output
//! semantically (parsed; key order ignored; every field and value compared). A string that
//! holds a YAML mapping on both sides (the mesh config inside the `istio` ConfigMap) is
//! compared as the mapping it spells, since key order inside it is toYaml's, not meaning.

use std::collections::BTreeMap;
use std::path::Path;

use meshdeck::install::helm::Value;
use meshdeck::install::render::{self, InputFile, RenderRequest};
use meshdeck::resource::node::parse_documents;

use crate::common::shared_dir;

/// Cases that fail on purpose, with the reason (none so far).
const KNOWN_FAILING: &[(&str, &str)] = &[];

fn object_id(o: &Value) -> String {
    let s = |v: Value| match v {
        Value::Nil => String::new(),
        v => meshdeck::install::helm::funcs::strval(&v),
    };
    format!(
        "{}:{}:{}",
        s(o.get("kind")),
        s(o.path(&["metadata", "namespace"])),
        s(o.path(&["metadata", "name"]))
    )
}

fn selected(objs: Vec<Value>, select: Option<&str>) -> BTreeMap<String, Value> {
    let res: Vec<regex::Regex> = select
        .map(|s| {
            s.split(',')
                .map(|sel| {
                    let parts: Vec<String> = sel
                        .split(':')
                        .map(|p| {
                            if p.is_empty() || p == "*" {
                                ".*".to_string()
                            } else {
                                p.to_string()
                            }
                        })
                        .collect();
                    regex::Regex::new(&parts.join(":")).unwrap()
                })
                .collect()
        })
        .unwrap_or_default();
    objs.into_iter()
        .filter(|o| res.is_empty() || res.iter().any(|r| r.is_match(&object_id(o))))
        .map(|o| (object_id(&o), o))
        .collect()
}

fn as_yaml_map(s: &str) -> Option<Value> {
    if !s.contains('\n') {
        return None;
    }
    let docs = parse_documents(s, 0).ok()?;
    match docs.first().map(Value::from_node) {
        Some(v @ Value::Map(_)) => Some(v),
        _ => None,
    }
}

/// The field paths at which two values differ.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            for (k, va) in x.iter() {
                match y.get(k) {
                    Some(vb) => diff(&format!("{path}.{k}"), va, vb, out),
                    None => out.push(format!("{path}.{k}: only in meshdeck's output")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: only in the golden output"));
            }
        }
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                out.push(format!(
                    "{path}: {} items here, {} in the golden output",
                    x.len(),
                    y.len()
                ));
            }
            for (i, (va, vb)) in x.iter().zip(y.iter()).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        (Value::Str(x), Value::Str(y)) if x != y => match (as_yaml_map(x), as_yaml_map(y)) {
            (Some(mx), Some(my)) => diff(&format!("{path}(yaml)"), &mx, &my, out),
            _ => out.push(format!(
                "{path}: {:?} here, {:?} in the golden output",
                trunc(x),
                trunc(y)
            )),
        },
        _ if a.deep_eq(b) => {}
        _ => out.push(format!(
            "{path}: {} here, {} in the golden output",
            trunc(&a.to_print_string()),
            trunc(&b.to_print_string())
        )),
    }
}

fn trunc(s: &str) -> String {
    if s.len() > 120 {
        format!(
            "{}...",
            &s[..s.char_indices().nth(120).map(|(i, _)| i).unwrap_or(s.len())]
        )
    } else {
        s.to_string()
    }
}

fn run_case(dir: &Path, case: &serde_json::Value) -> Result<usize, Vec<String>> {
    let charts = match case["charts"].as_str() {
        Some("release") => shared_dir().join("istio-release/1.30.3/manifests"),
        _ => dir.join("data-snapshot/manifests"),
    };
    let mut files = Vec::new();
    if let Some(input) = case["input"].as_str() {
        files.push(InputFile {
            name: input.to_string(),
            text: std::fs::read_to_string(dir.join(input)).unwrap(),
        });
    }
    let mut set = Vec::new();
    let flags: Vec<&str> = case["flags"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        if *f == "--set" || *f == "-s" {
            set.push(it.next().unwrap().to_string());
        }
    }
    let req = RenderRequest {
        manifests: charts,
        files,
        set,
        hub_tag: None,
        kube_version: "v1.25.0".into(),
    };
    let rendered = render::render(&req).map_err(|e| {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(&format!(": {s}"));
            src = s.source();
        }
        vec![msg]
    })?;
    let golden_text = std::fs::read_to_string(dir.join(case["golden"].as_str().unwrap())).unwrap();
    let golden: Vec<Value> = parse_documents(&golden_text, 0)
        .unwrap()
        .iter()
        .map(Value::from_node)
        .filter(|v| matches!(v, Value::Map(m) if !m.borrow().is_empty()))
        .collect();
    let select = case["diff_select"].as_str();
    let ours = selected(rendered.ordered(), select);
    let theirs = selected(golden, select);
    let mut problems = Vec::new();
    if theirs.is_empty() {
        problems.push(format!(
            "the selector {select:?} matches nothing in the golden output"
        ));
    }
    for (id, o) in &ours {
        match theirs.get(id) {
            Some(g) => {
                let mut d = Vec::new();
                diff("", o, g, &mut d);
                problems.extend(d.into_iter().map(|p| format!("{id} {p}")));
            }
            None => problems.push(format!("{id}: only in meshdeck's output")),
        }
    }
    for id in theirs.keys().filter(|k| !ours.contains_key(*k)) {
        problems.push(format!("{id}: only in the golden output"));
    }
    if problems.is_empty() {
        Ok(theirs.len())
    } else {
        Err(problems)
    }
}

#[test]
fn istio_manifest_generate_corpus() {
    let dir = shared_dir().join("conformance/istio-manifests");
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let mut passed = 0;
    let mut compared = 0;
    let mut unexpected = Vec::new();
    for case in &cases {
        let name = case["desc"].as_str().unwrap();
        match run_case(&dir, case) {
            Ok(n) => {
                passed += 1;
                compared += n;
                if KNOWN_FAILING.iter().any(|(n, _)| *n == name) {
                    unexpected.push(format!("{name} passes: take it off KNOWN_FAILING"));
                }
            }
            Err(problems) => {
                let known = KNOWN_FAILING.iter().find(|(n, _)| *n == name);
                println!(
                    "FAIL {name}{}",
                    known
                        .map(|(_, why)| format!(" (known: {why})"))
                        .unwrap_or_default()
                );
                for p in problems.iter().take(25) {
                    println!("    {p}");
                }
                if problems.len() > 25 {
                    println!("    ... and {} more", problems.len() - 25);
                }
                if known.is_none() {
                    unexpected.push(format!("{name} fails"));
                }
            }
        }
    }
    println!("manifests: {passed}/{}", cases.len());
    println!("objects compared: {compared}");
    assert!(unexpected.is_empty(), "{unexpected:?}");
}
